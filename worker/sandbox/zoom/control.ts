/** JSON control API of the fake Zoom and its webhook endpoints (deliver, validate, simulate). */
import { desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { newId } from "../../lib/ids";
import { szDeliveries, szMeetings, szUsers } from "../db/zoom-schema";
import { SCENARIOS, scenarioEvents } from "./scenarios";
import { saveZoomSettings, zoomDb, zoomSettings } from "./store";
import { deliverRow, emitZoom, validateEndpoint } from "./webhooks";

const Envelope = z.object({
  event: z.string().min(1),
  event_ts: z.number(),
  payload: z.record(z.string(), z.unknown()),
});
const Simulate = z.object({ meetingId: z.string().min(1), scenario: z.enum(SCENARIOS) });
const Settings = z.object({
  qpsLimit: z.number().int().min(1).max(1000).optional(),
  webhookMode: z.enum(["normal", "duplicate", "lost", "out_of_order"]).optional(),
});
const bad = (issues: z.core.$ZodIssue[]) => ({
  code: 300,
  message: "Validation Failed.",
  errors: issues.map((i) => ({ field: i.path.join("."), message: i.message })),
});

export const zoomControl = new Hono<AppEnv>()
  .post("/webhooks/deliver", async (c) => {
    const parsed = Envelope.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json(bad(parsed.error.issues), 400);
    const row = {
      id: newId("zdl"),
      event: parsed.data.event,
      body: JSON.stringify(parsed.data),
      status: "pending" as const,
      attempts: 0,
      lastStatus: null,
      nextAttemptAt: null,
      createdAt: Date.now(),
    };
    await zoomDb(c.env).insert(szDeliveries).values(row);
    return c.json(await deliverRow(c.env, row));
  })
  .post("/webhooks/validate", async (c) => c.json(await validateEndpoint(c.env)))
  .get("/control/state", async (c) => {
    const db = zoomDb(c.env);
    const users = await db.select().from(szUsers);
    const meetings = await db
      .select()
      .from(szMeetings)
      .orderBy(desc(szMeetings.startTime))
      .limit(50);
    const deliveries = await db
      .select()
      .from(szDeliveries)
      .orderBy(desc(szDeliveries.createdAt))
      .limit(20);
    const emailOf = new Map(users.map((u) => [u.id, u.email]));
    return c.json({
      users: users.map((u) => ({ email: u.email, id: u.id, accountId: u.accountId, type: u.type })),
      meetings: meetings
        .filter((m) => m.status !== "deleted")
        .map((m) => ({
          id: m.id,
          uuid: m.uuid,
          topic: m.topic,
          startTime: new Date(m.startTime).toISOString(),
          duration: m.duration,
          hostEmail: emailOf.get(m.userId),
          status: m.status,
        })),
      deliveries: deliveries.map((d) => ({
        id: d.id,
        event: d.event,
        status: d.status,
        attempts: d.attempts,
        lastStatus: d.lastStatus,
        createdAt: new Date(d.createdAt).toISOString(),
      })),
      settings: await zoomSettings(db),
    });
  })
  .post("/control/simulate", async (c) => {
    const parsed = Simulate.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json(bad(parsed.error.issues), 400);
    const db = zoomDb(c.env);
    const m = await db.query.szMeetings.findFirst({
      where: eq(szMeetings.id, parsed.data.meetingId),
    });
    const host = m && (await db.query.szUsers.findFirst({ where: eq(szUsers.id, m.userId) }));
    if (!m || !host || m.status === "deleted")
      return c.json(
        { code: 3001, message: `Meeting does not exist: ${parsed.data.meetingId}.` },
        404,
      );
    const { events, participants } = scenarioEvents(m, host, parsed.data.scenario);
    const ended = events.some((e) => e.event === "meeting.ended");
    await db
      .update(szMeetings)
      .set({ participants, status: ended ? "ended" : m.status })
      .where(eq(szMeetings.id, m.id));
    await emitZoom(c.env, events);
    return c.json({ sent: events.map((e) => e.event) });
  })
  .post("/control/settings", async (c) => {
    const parsed = Settings.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json(bad(parsed.error.issues), 400);
    return c.json(await saveZoomSettings(zoomDb(c.env), parsed.data));
  });
