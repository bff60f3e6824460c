/**
 * One body limit (64 KB) for every JSON route under /api and /admin/api: beyond it, 413 in the error
 * envelope, whether the size is declared (Content-Length) or only streamed. The public booking form
 * keeps its own larger limit (256 KB).
 */
import { describe, expect, it } from "vitest";
import { freshIp, readyCoach } from "../helpers/public-booking";
import { api, ORIGIN } from "../helpers/sign-in";

const jsonOf = (bytes: number) => JSON.stringify({ name: "x".repeat(bytes), blocks: [] });

const post = (
  jar: Awaited<ReturnType<typeof readyCoach>>["jar"],
  path: string,
  body: BodyInit,
  method = "POST",
) =>
  api(jar, path, {
    method,
    headers: { "content-type": "application/json", origin: ORIGIN },
    body,
  });

async function expectTooLarge(res: Response) {
  expect(res.status).toBe(413);
  const body = (await res.json()) as { error: { code: string } };
  expect(body.error.code).toBe("payload_too_large");
}

describe("JSON body limit", () => {
  it("refuses a 5 MB body to POST /api/availability/templates with 413", async () => {
    const { jar } = await readyCoach();
    await expectTooLarge(await post(jar, "/api/availability/templates", jsonOf(5 * 1024 * 1024)));
  });

  it("refuses a body just over 64 KB on other routes, a streamed one too", async () => {
    const { jar } = await readyCoach();
    await expectTooLarge(await post(jar, "/api/booking-settings", jsonOf(65 * 1024), "PUT"));
    await expectTooLarge(await post(jar, "/admin/api/coaches/coa_x/sync", jsonOf(65 * 1024)));
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"name":"'));
        for (let i = 0; i < 5; i++) controller.enqueue(chunk);
        controller.enqueue(new TextEncoder().encode('","blocks":[]}'));
        controller.close();
      },
    });
    await expectTooLarge(await post(jar, "/api/availability/templates", stream));
  });

  it("still accepts an ordinary body", async () => {
    const { jar } = await readyCoach();
    const res = await post(jar, "/api/availability/templates", jsonOf(10));
    expect(res.status).not.toBe(413);
  });

  it("leaves the public booking form its own 256 KB limit", async () => {
    const { jar } = await readyCoach();
    const res = await api(jar, "/api/public/bookings", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: ORIGIN,
        "cf-connecting-ip": freshIp(),
      },
      body: jsonOf(100 * 1024),
    });
    expect(res.status).toBe(400); // past the size check, refused by validation
  });
});
