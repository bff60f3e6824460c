/**
 * Composition: middleware, the documented JSON API (/api, OpenAPI), OAuth doors, and the one error
 * handler. The sandbox is mounted by index.ts, the single place that imports it.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import pkg from "../package.json";
import { createDb } from "./db/client";
import type { AppEnv } from "./env";
import { AppError, toAppError } from "./lib/errors";
import { log } from "./lib/log";
import { sameOriginOnly } from "./lib/same-origin";
import { rejectInvalid } from "./lib/validation";
import { activityRoutes } from "./routes/activity";
import { adminRoutes } from "./routes/admin";
import { apiDocs } from "./routes/api-docs";
import { attendanceRoutes } from "./routes/attendance";
import { availabilityRoutes } from "./routes/availability";
import { availabilityTemplateRoutes } from "./routes/availability-templates";
import { batchRoutes } from "./routes/batches";
import { bookingPageRoutes } from "./routes/booking-pages";
import { bookingSettingsRoutes } from "./routes/booking-settings";
import { clientDeliveryRoutes } from "./routes/client-delivery";
import { clientRoutes } from "./routes/clients";
import { connectionRoutes } from "./routes/connections";
import { conferencingRoutes } from "./routes/event-type-conferencing";
import { eventTypeRoutes } from "./routes/event-types";
import { exportRoutes } from "./routes/exports";
import { healthRoutes } from "./routes/health";
import { meRoutes } from "./routes/me";
import { messageRoutes } from "./routes/messages";
import { notificationSettingsRoutes } from "./routes/notification-settings";
import { notificationTemplateRoutes } from "./routes/notification-templates";
import { calendlyOAuthRoutes } from "./routes/oauth-calendly";
import { zoomOAuthRoutes } from "./routes/oauth-zoom";
import { publicRoutes } from "./routes/public";
import { sessionRoutes } from "./routes/sessions";
import { syncRoutes } from "./routes/sync";
import { preferencesRoutes, unsubscribeRoutes } from "./routes/unsubscribe";
import { calendlyWebhookRoutes } from "./routes/webhooks-calendly";
import { emailWebhookRoutes } from "./routes/webhooks-email";
import { smsWebhookRoutes } from "./routes/webhooks-sms";
import { zoomWebhookRoutes } from "./routes/webhooks-zoom";
import { zoomMeetingRoutes } from "./routes/zoom-meetings";

/** The documented JSON API. Its type is what the web app's `hc<AppType>` sees. */
const api = new OpenAPIHono<AppEnv>({ defaultHook: rejectInvalid }).basePath("/api");
const apiRoutes = api
  .route("/health", healthRoutes)
  .route("/event-types", eventTypeRoutes)
  .route("/event-types", conferencingRoutes)
  .route("/sessions", sessionRoutes)
  .route("/", attendanceRoutes)
  .route("/sessions", zoomMeetingRoutes)
  .route("/clients", clientRoutes)
  .route("/clients", clientDeliveryRoutes)
  .route("/batches", batchRoutes)
  .route("/", availabilityRoutes)
  .route("/", availabilityTemplateRoutes)
  .route("/exports", exportRoutes)
  .route("/connections", connectionRoutes)
  .route("/public", publicRoutes)
  .route("/", bookingSettingsRoutes)
  .route("/", activityRoutes)
  .route("/", syncRoutes)
  .route("/", meRoutes)
  .route("/", notificationSettingsRoutes)
  .route("/", messageRoutes)
  .route("/", notificationTemplateRoutes);
export type AppType = typeof apiRoutes;

api.get("/docs", apiDocs);
api.all("*", (c) => {
  throw new AppError("not_found", `No API route matches ${c.req.method} ${c.req.path}.`);
});

export const app = new Hono<AppEnv>();
app.use(requestId({ headerName: "X-Request-Id" }));
const strictHeaders = secureHeaders({ crossOriginResourcePolicy: "same-origin" });
// Client-facing pages are framed by coaches' sites (CSP frame-ancestors decides, not
// X-Frame-Options) and the loader is a cross-origin script.
const clientHeaders = secureHeaders({
  xFrameOptions: false,
  crossOriginResourcePolicy: "cross-origin",
  crossOriginOpenerPolicy: false,
});
const CLIENT_PATHS = /^\/(book|manage)\/|^\/embed\.js$/;
app.use((c, next) => (CLIENT_PATHS.test(c.req.path) ? clientHeaders : strictHeaders)(c, next));
// One body limit for every JSON route; the public booking form keeps its own (larger, 256 KB) and
// webhook intake its own (5 MB), both declared beside their routes.
const MAX_JSON_BODY = 64 * 1024;
const jsonBodyLimit = bodyLimit({
  maxSize: MAX_JSON_BODY,
  onError: () => {
    throw new AppError(
      "payload_too_large",
      `Request bodies are limited to ${MAX_JSON_BODY / 1024} KB.`,
    );
  },
});
// The booking page calls /api/public from our own origin (the iframe), so it is checked too.
app.use("/api/*", sameOriginOnly());
app.use("/admin/api/*", sameOriginOnly());
const OWN_LIMIT = new Set(["/api/public/bookings"]);
app.on(["POST", "PUT", "PATCH", "DELETE"], ["/api/*", "/admin/api/*"], (c, next) =>
  OWN_LIMIT.has(c.req.path) ? next() : jsonBodyLimit(c, next),
);
app.use(async (c, next) => {
  c.set("db", createDb(c.env.DB));
  await next();
});
app.route("/", api);
app.route("/oauth/calendly", calendlyOAuthRoutes);
app.route("/oauth/zoom", zoomOAuthRoutes);
app.route("/webhooks/calendly", calendlyWebhookRoutes);
app.route("/webhooks/zoom", zoomWebhookRoutes);
app.route("/webhooks/email", emailWebhookRoutes);
app.route("/webhooks/sms", smsWebhookRoutes);
app.route("/u", unsubscribeRoutes);
app.route("/preferences", preferencesRoutes);
app.route("/admin/api", adminRoutes);
app.route("/", bookingPageRoutes);
api.openAPIRegistry.registerComponent("securitySchemes", "sessionCookie", {
  type: "apiKey",
  in: "cookie",
  name: "__Host-kairos_session",
  description: "Set by signing in with Calendly (/oauth/calendly/start).",
});
// The document only changes with a deploy: build it once per isolate, serve it as text.
let openApiJson: string | undefined;
app.get("/openapi.json", (c) => {
  openApiJson ??= JSON.stringify(
    api.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "Kairos API",
        version: pkg.version,
        description: "Scheduling hub for coaches.",
      },
    }),
  );
  return c.body(openApiJson, 200, {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "public, max-age=300",
  });
});

app.onError((err, c) => {
  const e = toAppError(err);
  const requestId = c.var.requestId;
  if (e.status >= 500)
    log.error("request.failed", { requestId, errorCode: e.code, internal: e.internal, err });
  else
    log.info("request.rejected", {
      requestId,
      errorCode: e.code,
      status: e.status,
      internal: e.internal,
    });
  if (e.retryAfterSeconds !== undefined) c.header("Retry-After", String(e.retryAfterSeconds));
  return c.json(
    { error: { code: e.code, message: e.message, details: e.details }, requestId },
    e.status,
  );
});
app.notFound((c) => c.json({ error: { code: "not_found", message: "Not found." } }, 404));
