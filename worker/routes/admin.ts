/**
 * Operator API (/admin/api): failed webhook events and their replay, dead-lettered messages, and a
 * full re-import of one coach's bookings. A replay puts the stored raw delivery back on the
 * webhook-events queue; processing and imports are idempotent, so both are always safe to repeat.
 * Who is an operator: auth/require-operator.ts (Cloudflare Access in production).
 */
import { desc, eq, inArray } from "drizzle-orm";
import { Hono } from "hono";
import { requireOperator } from "../auth/require-operator";
import { startSync } from "../bookings/start-sync";
import { auditLog, coaches, webhookEvents } from "../db/schema";
import type { AppEnv } from "../env";
import { AppError } from "../lib/errors";
import type { StoredWebhookEvent } from "../queues/webhook-message";

export const adminRoutes = new Hono<AppEnv>()
  .use(requireOperator())
  .get("/webhook-events", async (c) => {
    const rows = await c.var.db
      .select({
        id: webhookEvents.id,
        provider: webhookEvents.provider,
        event: webhookEvents.event,
        coachId: webhookEvents.coachId,
        status: webhookEvents.status,
        receivedAt: webhookEvents.receivedAt,
      })
      .from(webhookEvents)
      .where(inArray(webhookEvents.status, ["failed", "received"]))
      .orderBy(desc(webhookEvents.receivedAt))
      .limit(100);
    return c.json({ items: rows });
  })
  .get("/dead-letters", async (c) => {
    // Messages that exhausted their retries (recorded by the dead-letters consumer), newest first.
    const rows = await c.var.db
      .select({
        id: auditLog.id,
        messageId: auditLog.subject,
        detail: auditLog.detail,
        at: auditLog.createdAt,
      })
      .from(auditLog)
      .where(eq(auditLog.action, "queue.dead_letter"))
      .orderBy(desc(auditLog.createdAt))
      .limit(100);
    return c.json({ items: rows });
  })
  .post("/webhook-events/:id/replay", async (c) => {
    const id = c.req.param("id");
    const row = await c.var.db.query.webhookEvents.findFirst({ where: eq(webhookEvents.id, id) });
    if (!row) throw new AppError("not_found", "No such webhook event.");
    await c.var.db
      .update(webhookEvents)
      .set({ status: "received" })
      .where(eq(webhookEvents.id, id));
    await c.env.WEBHOOK_EVENTS.send({
      provider: row.provider,
      webhookEventId: id,
    } satisfies StoredWebhookEvent);
    return c.json({ ok: true, id }, 202);
  })
  // Re-reads a coach's whole import window (90 days back, a year ahead) from Calendly: repairs
  // history older than the scheduled sync's week, e.g. fields added by a migration.
  .post("/coaches/:id/import", async (c) => {
    const coachId = c.req.param("id");
    const coach = await c.var.db.query.coaches.findFirst({ where: eq(coaches.id, coachId) });
    if (!coach) throw new AppError("not_found", "No such coach.");
    return c.json(await startSync(c.env, { db: c.var.db, coachId }, "import"), 202);
  });
