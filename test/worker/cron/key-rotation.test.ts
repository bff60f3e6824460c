import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { fanOutKeyRotation } from "../../../worker/cron/key-rotation";
import { accessTokenFor } from "../../../worker/durable-objects/coach-guard";
import worker from "../../../worker/index";
import { createTokenCipher } from "../../../worker/lib/crypto";
import { dana, fakeCalendly, lee } from "../helpers/fake-calendly";
import { signInWithCode } from "../helpers/sign-in";
import { server } from "../setup";

/** The key tests configure second (ENCRYPTION_KEYS = "v2:…,v1:…"): what an older deploy used. */
const OLD_KEYS = env.ENCRYPTION_KEYS.split(",")[1] ?? "";

async function withOldKey(email: string, token: string) {
  server.use(...fakeCalendly([dana, lee]));
  await signInWithCode(`code-${token}`);
  const coach = await env.DB.prepare("select id from coaches where email = ?")
    .bind(email)
    .first<{ id: string }>();
  const coachId = coach?.id ?? "";
  // Re-encrypt the stored pair with the old key only, as an older deploy would have left it.
  const old = await createTokenCipher(OLD_KEYS);
  await env.DB.prepare(
    "update provider_connections set access_token_enc = ?, refresh_token_enc = ? where coach_id = ?",
  )
    .bind(
      await old.encrypt(token, `${coachId}|calendly|access_token`),
      await old.encrypt(`refresh-${token}`, `${coachId}|calendly|refresh_token`),
      coachId,
    )
    .run();
  return coachId;
}

const ciphertexts = (coachId: string) =>
  env.DB.prepare(
    "select access_token_enc as a, refresh_token_enc as r from provider_connections where coach_id = ?",
  )
    .bind(coachId)
    .first<{ a: string; r: string }>();

describe("encryption key rotation", () => {
  it("re-encrypts lazily when the guard reads a token made with an older key", async () => {
    const coachId = await withOldKey(dana.email, dana.token);
    expect((await ciphertexts(coachId))?.a.startsWith("v1.")).toBe(true);
    expect(await accessTokenFor(env, coachId, "calendly")).toBe(dana.token);
    const after = await ciphertexts(coachId);
    expect(after?.a.startsWith("v2.")).toBe(true);
    expect(after?.r.startsWith("v2.")).toBe(true);
    expect(await accessTokenFor(env, coachId, "calendly")).toBe(dana.token);
  });

  it("the daily sweep finds old ciphertext and the job re-encrypts it, without downtime", async () => {
    const coachId = await withOldKey(lee.email, lee.token);
    expect(await fanOutKeyRotation(env)).toBeGreaterThanOrEqual(1);

    const batch = createMessageBatch("jobs", [
      {
        id: "rekey-1",
        timestamp: new Date(),
        attempts: 1,
        body: { type: "tokens.rekey", coachId },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["rekey-1"]);

    const after = await ciphertexts(coachId);
    expect(after?.a.startsWith("v2.")).toBe(true);
    expect(after?.r.startsWith("v2.")).toBe(true);
    expect(await accessTokenFor(env, coachId, "calendly")).toBe(lee.token);
    const stale = await env.DB.prepare(
      "select count(*) as n from provider_connections where coach_id = ? and (access_token_enc like 'v1.%' or refresh_token_enc like 'v1.%')",
    )
      .bind(coachId)
      .first<{ n: number }>();
    expect(stale?.n).toBe(0);
  });

  it("a ciphertext whose key was removed: jobs give up at once (no dead-letter retries) and alert", async () => {
    const coachId = await withOldKey(dana.email, dana.token);
    const removed = await createTokenCipher(`v0:${btoa("k".repeat(32))}`);
    await env.DB.prepare(
      "update provider_connections set access_token_enc = ?, refresh_token_enc = ? where coach_id = ?",
    )
      .bind(
        await removed.encrypt(dana.token, `${coachId}|calendly|access_token`),
        await removed.encrypt(`refresh-${dana.token}`, `${coachId}|calendly|refresh_token`),
        coachId,
      )
      .run();
    const errors = vi.spyOn(console, "error");
    try {
      const batch = createMessageBatch("jobs", [
        { id: "k1", timestamp: new Date(), attempts: 1, body: { type: "tokens.rekey", coachId } },
        {
          id: "k2",
          timestamp: new Date(),
          attempts: 1,
          body: { type: "calendly.refresh_token", coachId },
        },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      const settled = await getQueueResult(batch, ctx);
      expect(settled.explicitAcks.sort()).toEqual(["k1", "k2"]);
      expect(settled.retryMessages).toEqual([]);
      const alert = errors.mock.calls
        .map(([line]) => String(line))
        .find((l) => l.includes('"keys.unknown_version"'));
      expect(alert && JSON.parse(alert)).toMatchObject({
        event: "keys.unknown_version",
        internal: { reason: "unknown_key_version", keyVersion: "v0" },
      });
    } finally {
      errors.mockRestore();
    }
    await expect(accessTokenFor(env, coachId, "calendly")).rejects.toMatchObject({
      code: "misconfigured",
    });
  });
});
