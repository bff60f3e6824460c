import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  missingCalendlyScopes,
  needsAccessMessage,
} from "../../../worker/connections/calendly-scopes";
import { flagIfInsufficientScope } from "../../../worker/connections/flag-missing-scopes";
import { createDb } from "../../../worker/db/client";
import { AppError } from "../../../worker/lib/errors";
import { upstreamHttpError } from "../../../worker/upstream/errors";
import { sandboxSignIn } from "../helpers/sandbox-sign-in";
import { api } from "../helpers/sign-in";

const insufficient = (scopes: string[]) =>
  JSON.stringify({
    title: "Insufficient scope",
    message: `This request requires the ${scopes.join(", ")} scope.`,
    required_scopes: scopes,
  });

describe("missing Calendly scopes", () => {
  it("reads a grant with Calendly's hierarchy; a legacy grant (no scope) misses nothing", () => {
    expect(
      missingCalendlyScopes(
        "users:read event_types:write availability:write scheduled_events:write webhooks:write",
      ),
    ).toEqual([]);
    expect(missingCalendlyScopes("users:read scheduled_events:read")).toContain(
      "scheduled_events:write",
    );
    expect(missingCalendlyScopes("")).toHaveLength(9);
    expect(missingCalendlyScopes(undefined)).toEqual([]);
    expect(missingCalendlyScopes("default")).toEqual([]);
    expect(needsAccessMessage(["webhooks:write"])).toMatch(
      /^Kairos needs access to live booking updates \(webhooks\) \(webhooks:write\) in Calendly\./,
    );
  });

  it("turns Calendly's 403 Insufficient scope into a reconnect (424, never retried), not a 403 or 5xx", () => {
    const err = upstreamHttpError(
      "calendly",
      403,
      insufficient(["scheduled_events:read"]),
      "scheduled_events",
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe("reconnect_required");
    expect(err.status).toBe(424);
    expect(err.message).toContain("Kairos needs access to your bookings (scheduled_events:read)");
    expect(err.details).toMatchObject({ missingScopes: ["scheduled_events:read"] });
    // Scope names only in `details` (the spec's error shape) are read too.
    const fromDetails = upstreamHttpError(
      "calendly",
      403,
      JSON.stringify({
        title: "Insufficient scope",
        message: "Missing scopes",
        details: [{ parameter: "scope", message: "webhooks:write is required" }],
      }),
      "webhook_subscriptions",
    );
    expect(fromDetails.details).toMatchObject({ missingScopes: ["webhooks:write"] });
    // A 403 about role or plan stays a plain refusal.
    const role = upstreamHttpError(
      "calendly",
      403,
      JSON.stringify({ title: "Permission Denied", message: "You do not have permission" }),
      "x",
    );
    expect(role.code).toBe("forbidden");
  });

  it("a scope Calendly refuses at call time fails the request as a reconnect and flags the connection", async () => {
    const { jar } = await sandboxSignIn("dana@coach.test");
    const coach = await env.DB.prepare(
      "select id from coaches where email = 'dana@coach.test'",
    ).first<{ id: string }>();
    const coachId = coach?.id ?? "";
    // The grant loses availability at Calendly (the fake's live access token), not in Kairos.
    await env.DB.prepare(
      `update sandbox_calendly_tokens set meta = json_set(meta, '$.scope', 'users:read scheduled_events:write')
        where user_id = 'dana-reyes-0001' and kind = 'access' and revoked = 0`,
    ).run();
    const res = await api(jar, "/api/availability/busy");
    expect(res.status).toBe(424);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({
      code: "reconnect_required",
      message: expect.stringContaining("Kairos needs access to your availability"),
    });

    // What CoachGuard does with that error (see flag-missing-scopes.ts).
    const err = upstreamHttpError("calendly", 403, insufficient(["availability:read"]), "busy");
    await flagIfInsufficientScope({ db: createDb(env.DB), coachId }, err);
    const { items } = (await (await api(jar, "/api/connections")).json()) as {
      items: { status: string; scopes: string[]; missingScopes: string[]; lastError: string }[];
    };
    expect(items[0]).toMatchObject({
      status: "needs_reconnect",
      missingScopes: ["availability:read", "availability:write"],
      lastError: expect.stringContaining("Kairos needs access to your availability"),
    });
    expect(items[0]?.scopes).not.toContain("availability:write");
    // Any other error leaves the connection alone.
    await flagIfInsufficientScope(
      { db: createDb(env.DB), coachId: "nobody" },
      new AppError("forbidden", "no"),
    );
  });
});
