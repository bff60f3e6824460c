/**
 * /api/notification-templates: a coach reads, saves and resets copy per kind; unknown variables
 * are a 400 naming them; saved copy is what renderMessage uses; preview renders escaped HTML with
 * the coach's latest past session (or sample data).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../worker/db/client";
import { renderMessage } from "../../../worker/notifications/render";
import { sandboxSignIn } from "../helpers/sandbox-sign-in";
import { api } from "../helpers/sign-in";
import { contextFor } from "./render/contexts";

const jsonInit = (method: string, body: unknown): RequestInit => ({
  method,
  body: JSON.stringify(body),
  headers: { "content-type": "application/json", origin: "http://kairos.test" },
});

describe("notification templates API", () => {
  it("lists every kind with its default copy and variables", async () => {
    const { jar } = await sandboxSignIn("dana@coach.test");
    const res = await api(jar, "/api/notification-templates");
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      items: { kind: string; edited: boolean; variables: { name: string }[] }[];
    };
    expect(body.items.map((i) => i.kind)).toContain("reschedule_notice");
    const reschedule = body.items.find((i) => i.kind === "reschedule_notice");
    expect(reschedule?.edited).toBe(false);
    expect(reschedule?.variables.map((v) => v.name)).toContain("previous_session_time");
  });

  it("PUT with unknown variables is a 400 naming them, and nothing is saved", async () => {
    const { jar } = await sandboxSignIn("dana@coach.test");
    const res = await api(
      jar,
      "/api/notification-templates/reminder",
      jsonInit("PUT", {
        subject: "Hi {{client_nmae}}",
        body: "See you {{reminder_lead}} {{cancel_reason}}",
      }),
    );
    expect(res.status).toBe(400);
    const err = (await res.json()) as {
      error: { message: string; details: { unknownVariables: string[] } };
    };
    expect(err.error.message).toContain("{{client_nmae}}");
    expect(err.error.message).toContain("{{cancel_reason}}");
    expect(err.error.details.unknownVariables).toEqual(["client_nmae", "cancel_reason"]);
    const after = (await (await api(jar, "/api/notification-templates/reminder")).json()) as {
      edited: boolean;
    };
    expect(after.edited).toBe(false);
  });

  it("an unknown kind is a 404", async () => {
    const { jar } = await sandboxSignIn("dana@coach.test");
    expect((await api(jar, "/api/notification-templates/nope")).status).toBe(404);
  });

  it("saved copy is used by renderMessage, escaped; DELETE restores the default", async () => {
    const { jar } = await sandboxSignIn("lee@coach.test");
    const put = await api(
      jar,
      "/api/notification-templates/booking_confirmation",
      jsonInit("PUT", {
        subject: "Booked: {{event_name}}",
        body: "<script>x()</script> See you, {{client_first_name}}!",
      }),
    );
    expect(put.status).toBe(200);
    const coach = await env.DB.prepare("select id from coaches where email = ?")
      .bind("lee@coach.test")
      .first<{ id: string }>();
    const scope = { db: createDb(env.DB), coachId: coach?.id ?? "" };
    const m = await renderMessage(scope, contextFor("booking_confirmation"));
    expect(m.subject).toBe("Booked: Intro Call");
    expect(m.text).toContain("<script>x()</script> See you, Sam!");
    expect(m.html).not.toContain("<script>");

    const preview = await api(
      jar,
      "/api/notification-templates/booking_confirmation/preview",
      jsonInit("POST", { body: "Draft for {{client_name}} <b>bold</b>" }),
    );
    expect(preview.status).toBe(200);
    const p = (await preview.json()) as {
      subject: string;
      html: string;
      text: string;
      sample: boolean;
    };
    expect(p.subject).toMatch(/^Booked: /);
    expect(p.html).toContain("&lt;b>bold&lt;/b>");
    expect(p.text).toMatch(/When: .* \((Europe|America)\/[A-Za-z_]+\)/);

    const badPreview = await api(
      jar,
      "/api/notification-templates/booking_confirmation/preview",
      jsonInit("POST", { body: "{{nope}}" }),
    );
    expect(badPreview.status).toBe(400);

    const reset = await api(jar, "/api/notification-templates/booking_confirmation", {
      method: "DELETE",
      headers: { origin: "http://kairos.test" },
    });
    expect(reset.status).toBe(200);
    const again = await renderMessage(scope, contextFor("booking_confirmation"));
    expect(again.subject).toBe(
      "Confirmed: Intro Call with Dana Reyes on Thursday, December 10, 2026",
    );
  });

  it("needs a session", async () => {
    const anon = await api({ header: () => "" } as never, "/api/notification-templates");
    expect(anon.status).toBe(401);
  });
});
