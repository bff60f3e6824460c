/**
 * The provider transports against the contract's answers: Resend over HTTP (MSW stands in for
 * api.resend.com) and Cloudflare's send_email binding (a recording stand-in). Retryable vs permanent
 * is what the pipeline's queue acts on (transport.ts isRetryable).
 */
import { env } from "cloudflare:workers";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../../worker/db/client";
import { AppError } from "../../../../worker/lib/errors";
import { suppressionOf } from "../../../../worker/notifications/preferences/store";
import {
  isRetryable,
  type OutgoingMessage,
  transportFor,
} from "../../../../worker/notifications/transport";
import type {
  EmailServiceBinding,
  EmailServiceMessage,
} from "../../../../worker/notifications/transports/cloudflare";
import resend from "../../../fixtures/email/resend.json";
import { server } from "../../setup";

const message: OutgoingMessage = {
  id: "ntf_delivery_test_1",
  from: "Dana Lee via Kairos <sessions@mail.coach.example.com>",
  to: "sam@example.net",
  replyTo: "dana@coach.example.com",
  subject: "Confirmed: coaching session",
  html: "<p>Hi</p>",
  text: "Hi",
  headers: {
    "List-Unsubscribe": "<https://kairos.test/u/t>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    "Message-ID": "<dropped@x>",
    "X-Session-Id": "ses_1",
  },
  attachments: [
    {
      filename: "invite.ics",
      contentType: "text/calendar; method=REQUEST",
      content: "BEGIN:VCALENDAR\r\nSUMMARY:Café\r\n",
    },
  ],
};

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the send to fail");
}

describe("resend transport", () => {
  const resendEnv = { ...env, EMAIL_TRANSPORT: "resend", RESEND_API_KEY: "re_test_key" } as Env;

  it("posts the message with the outbox id as Idempotency-Key and returns Resend's id", async () => {
    let seen: { headers: Headers; body: Record<string, unknown> } | undefined;
    server.use(
      http.post("https://api.resend.com/emails", async ({ request }) => {
        seen = {
          headers: request.headers,
          body: (await request.json()) as Record<string, unknown>,
        };
        return HttpResponse.json(resend.send.response.body, { status: 200 });
      }),
    );
    const transport = transportFor(resendEnv);
    expect(transport.name).toBe("resend");
    expect(await transport.send(message)).toEqual({
      providerMessageId: "56761188-7520-42d8-8898-ff6fc54ce618",
    });
    expect(seen?.headers.get("idempotency-key")).toBe(message.id);
    expect(seen?.headers.get("authorization")).toBe("Bearer re_test_key");
    expect(seen?.body).toMatchObject({
      from: message.from,
      to: ["sam@example.net"],
      reply_to: "dana@coach.example.com",
      subject: message.subject,
      headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    });
    const [att] = seen?.body.attachments as { content: string; content_type: string }[];
    expect(att?.content_type).toBe("text/calendar; method=REQUEST");
    expect(
      new TextDecoder().decode(Uint8Array.from(atob(att?.content ?? ""), (c) => c.charCodeAt(0))),
    ).toContain("Café");
  });

  it("maps 429 and 5xx to retryable, other 4xx to permanent", async () => {
    for (const [status, retryable] of [
      [429, true],
      [500, true],
      [503, true],
      [422, false],
      [401, false],
    ] as const) {
      server.use(
        http.post("https://api.resend.com/emails", () =>
          HttpResponse.json({ name: "x", message: "nope" }, { status }),
        ),
      );
      const err = await failure(transportFor(resendEnv).send(message));
      expect(err).toBeInstanceOf(AppError);
      expect([status, isRetryable(err)]).toEqual([status, retryable]);
    }
  });

  it("is a permanent misconfiguration without an API key", async () => {
    const err = await failure(
      transportFor({ ...resendEnv, RESEND_API_KEY: "" } as Env).send(message),
    );
    expect(err).toMatchObject({ code: "misconfigured" });
    expect(isRetryable(err)).toBe(false);
  });
});

describe("cloudflare transport", () => {
  function binding(answer: (m: EmailServiceMessage) => Promise<{ messageId: string }>) {
    const sent: EmailServiceMessage[] = [];
    const EMAIL: EmailServiceBinding = {
      send: async (m) => {
        sent.push(m);
        return answer(m);
      },
    };
    return { sent, env: { ...env, EMAIL_TRANSPORT: "cloudflare", EMAIL } as unknown as Env };
  }
  const codeError = (code: string) => Object.assign(new Error(code), { code });

  it("sends the builder form: from as {email,name}, allowed headers only, base64 attachments", async () => {
    const b = binding(async () => ({ messageId: "<m1@mail.coach.example.com>" }));
    expect(await transportFor(b.env).send(message)).toEqual({
      providerMessageId: "<m1@mail.coach.example.com>",
    });
    const [sent] = b.sent;
    expect(sent?.from).toEqual({
      email: "sessions@mail.coach.example.com",
      name: "Dana Lee via Kairos",
    });
    expect(sent?.to).toBe("sam@example.net");
    expect(sent?.replyTo).toBe("dana@coach.example.com");
    expect(sent?.headers).toEqual({
      "List-Unsubscribe": "<https://kairos.test/u/t>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "X-Session-Id": "ses_1",
    });
    expect(sent?.attachments[0]).toMatchObject({
      disposition: "attachment",
      filename: "invite.ics",
    });
  });

  it("retries rate and internal errors only; a suppressed recipient is suppressed here too", async () => {
    for (const [code, retryable] of [
      ["E_RATE_LIMIT_EXCEEDED", true],
      ["E_DAILY_LIMIT_EXCEEDED", true],
      ["E_INTERNAL_SERVER_ERROR", true],
      ["E_SENDER_NOT_VERIFIED", false],
      ["E_VALIDATION_ERROR", false],
    ] as const) {
      const b = binding(async () => {
        throw codeError(code);
      });
      const err = await failure(transportFor(b.env).send(message));
      expect([code, isRetryable(err)]).toEqual([code, retryable]);
    }
    const b = binding(async () => {
      throw codeError("E_RECIPIENT_SUPPRESSED");
    });
    const err = await failure(transportFor(b.env).send({ ...message, to: "blocked@example.org" }));
    expect(isRetryable(err)).toBe(false);
    expect(await suppressionOf(createDb(env.DB), "blocked@example.org")).toMatchObject({
      reason: "bounce",
      source: "cloudflare",
    });
  });

  it("is a permanent misconfiguration without the binding", async () => {
    const err = await failure(
      transportFor({
        ...env,
        EMAIL_TRANSPORT: "cloudflare",
        EMAIL: undefined,
      } as unknown as Env).send(message),
    );
    expect(err).toMatchObject({ code: "misconfigured" });
  });
});
