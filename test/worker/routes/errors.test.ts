import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AppError, toAppError } from "../../../worker/lib/errors";

const get = (path: string) => exports.default.fetch(`http://kairos.test${path}`);

describe("error mapping", () => {
  it("answers unknown /api paths with a JSON 404 and a request id", async () => {
    const res = await get("/api/no-such-thing");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
    const body = (await res.json()) as {
      error: { code: string; message: string };
      requestId: string;
    };
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toContain("/api/no-such-thing");
    expect(body.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("answers private routes without a session with 401", async () => {
    const res = await get("/api/me");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: { code: "unauthenticated", message: "Please sign in to continue." },
    });
  });

  it("sets secure headers on every response", async () => {
    const res = await get("/api/health");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("strict-transport-security")).toContain("max-age");
  });

  it("wraps unknown errors in a generic 500 that reveals nothing internal", () => {
    const e = toAppError(new TypeError("secret internals: db password"));
    expect(e.status).toBe(500);
    expect(e.code).toBe("internal");
    expect(e.message).not.toContain("secret");
    expect(e.internal).toBe("TypeError: secret internals: db password");
  });

  it("keeps typed application errors with their status and details", () => {
    const e = toAppError(new AppError("conflict", "Slot taken", { details: { slot: "x" } }));
    expect(e.status).toBe(409);
    expect(e.details).toEqual({ slot: "x" });
  });
});

describe("API documentation", () => {
  it("serves an OpenAPI 3.1 document covering every /api route", async () => {
    const res = await get("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/api/activity",
      "/api/attendance/settings",
      "/api/availability",
      "/api/availability/busy",
      "/api/availability/insights",
      "/api/availability/templates",
      "/api/availability/templates/{id}",
      "/api/batches",
      "/api/batches/{id}",
      "/api/batches/{id}/sessions.csv",
      "/api/batches/{id}/sessions.ics",
      "/api/booking-settings",
      "/api/clients",
      "/api/clients/{email}",
      "/api/clients/{email}/delivery",
      "/api/connections",
      "/api/connections/calendly/disconnect",
      "/api/connections/zoom/disconnect",
      "/api/event-types",
      "/api/event-types/refresh",
      "/api/event-types/{id}/buffers",
      "/api/event-types/{id}/conferencing",
      "/api/event-types/{id}/schedule",
      "/api/exports/account.json",
      "/api/exports/invitees.csv",
      "/api/exports/sessions.csv",
      "/api/exports/sessions.ics",
      "/api/exports/sessions/{id}.ics",
      "/api/feed",
      "/api/health",
      "/api/login-sessions/revoke-all",
      "/api/logout",
      "/api/me",
      "/api/messages",
      "/api/messages/{id}/resend",
      "/api/notification-settings",
      "/api/notification-templates",
      "/api/notification-templates/{kind}",
      "/api/notification-templates/{kind}/preview",
      "/api/public/availability",
      "/api/public/bookings",
      "/api/public/bookings/{token}",
      "/api/public/bookings/{token}/cancel",
      "/api/public/coaches/{coachSlug}",
      "/api/public/form-tokens",
      "/api/sessions",
      "/api/sessions/{id}",
      "/api/sessions/{id}/attendance",
      "/api/sessions/{id}/attendance/{inviteeId}/confirm",
      "/api/sessions/{id}/attendance/{inviteeId}/dismiss",
      "/api/sessions/{id}/cancel",
      "/api/sessions/{id}/history",
      "/api/sessions/{id}/invitees/{inviteeId}/no-show",
      "/api/sessions/{id}/zoom/recreate",
      "/api/sessions/{id}/zoom/retry",
      "/api/sync",
      "/api/sync-runs",
      "/api/sync-settings",
    ]);
  });

  it("serves an interactive docs page at /api/docs that loads the document", async () => {
    const res = await get("/api/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("/openapi.json");
    expect(html).toContain("/vendor/scalar-api-reference.js");
  });
});
