/**
 * JSON control API of the fake Zoom: webhook endpoints (deliver, validate, retry-now), state (each
 * meeting with its agenda, invitees, settings and played instances), scenarios played for the booked
 * client, settings, the next instance UUID, faults, token switches and the daily-counter reset.
 */
import { desc, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { newId } from "../../lib/ids";
import { sbInvitees } from "../db/schema";
import { szDeliveries, szInstances, szMeetings, szUsers } from "../db/zoom-schema";
import { FAULT_KINDS, getFault, setFault } from "./faults";
import { resetDailyCounters } from "./limits";
import { type Client, playScenario, SCENARIOS, scenarioProblem, scenarioSpan } from "./scenarios";
import { saveZoomSettings, type ZoomDb, zoomDb, zoomSettings } from "./store";
import { deauthorize, expireAccessTokens, revokeGrant, TOKEN_ACTIONS } from "./token-controls";
import { peekNextUuid, setNextUuid, takeUuid } from "./uuids";
import { deliverRow, emitZoom, retryZoomDeliveries, validateEndpoint } from "./webhooks";

const Envelope = z.object({
  event: z.string().min(1),
  event_ts: z.number(),
  payload: z.record(z.string(), z.unknown()),
});
const Simulate = z.object({
  meetingId: z.string().min(1),
  scenario: z.enum(SCENARIOS),
  /** Who the client is; default: the meeting's first invitee (named as booked on Calendly). */
  client: z.object({ name: z.string().min(1), email: z.string().optional() }).optional(),
  /** "scheduled": times around the scheduled start; "now": the timeline ends now. */
  clock: z.enum(["scheduled", "now"]).default("scheduled"),
  /** Events this play loses (never delivered): names, or "all". */
  drop: z.union([z.array(z.string().min(1)), z.literal("all")]).default([]),
});
const Settings = z.object({
  qpsLimit: z.number().int().min(1).max(1000).nullable().optional(),
  webhookMode: z.enum(["normal", "duplicate", "lost", "out_of_order"]).optional(),
  participantsReportDelaySeconds: z.number().int().min(0).max(86_400).optional(),
});
const Faults = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none"), target: z.enum(["api", "token"]).default("api") }),
  z.object({
    kind: z.enum(FAULT_KINDS),
    target: z.enum(["api", "token"]).default("api"),
    count: z.number().int().min(1).max(1000).default(1),
    delayMs: z.number().int().min(0).max(60_000).optional(),
  }),
]);
const Tokens = z.object({
  email: z.email(),
  action: z.enum(TOKEN_ACTIONS),
  userDataRetention: z.boolean().default(false),
});
const NextUuid = z.object({ uuid: z.string().min(1).max(100).nullable() });
const bad = (issues: z.core.$ZodIssue[]) => ({
  code: 300,
  message: "Validation Failed.",
  errors: issues.map((i) => ({ field: i.path.join("."), message: i.message })),
});
const noMeeting = (id: string) => ({ code: 3001, message: `Meeting does not exist: ${id}.` });

/** The booked client of a meeting: its first invitee, named as the sandbox Calendly booked them. */
async function bookedClient(env: Env, m: typeof szMeetings.$inferSelect): Promise<Client | null> {
  const email = m.settings.meeting_invitees?.[0]?.email;
  if (!email) return null;
  const booked = await drizzle(env.DB)
    .select({ name: sbInvitees.name })
    .from(sbInvitees)
    .where(eq(sbInvitees.email, email))
    .orderBy(desc(sbInvitees.createdAt))
    .limit(1);
  const fromEmail = (email.split("@")[0] ?? email)
    .split(/[._-]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
  return { email, name: booked[0]?.name ?? fromEmail };
}

async function instancesOf(db: ZoomDb, meetingIds: string[]) {
  if (meetingIds.length === 0) return [];
  return db
    .select()
    .from(szInstances)
    .where(inArray(szInstances.meetingId, meetingIds))
    .orderBy(szInstances.createdAt);
}

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
  /** Runs every failed delivery's next retry now instead of minutes later. */
  .post("/control/retry-now", async (c) =>
    c.json({ retried: await retryZoomDeliveries(c.env, { now: true }) }),
  )
  .get("/control/state", async (c) => {
    const db = zoomDb(c.env);
    const users = await db.select().from(szUsers);
    const meetings = (
      await db.select().from(szMeetings).orderBy(desc(szMeetings.startTime)).limit(50)
    ).filter((m) => m.status !== "deleted");
    const instances = await instancesOf(
      db,
      meetings.map((m) => m.id),
    );
    const deliveries = await db
      .select()
      .from(szDeliveries)
      .orderBy(desc(szDeliveries.createdAt))
      .limit(20);
    const emailOf = new Map(users.map((u) => [u.id, u.email]));
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    return c.json({
      users: users.map((u) => ({ email: u.email, id: u.id, accountId: u.accountId, type: u.type })),
      meetings: meetings.map((m) => ({
        id: m.id,
        uuid: m.uuid,
        topic: m.topic,
        startTime: new Date(m.startTime).toISOString(),
        duration: m.duration,
        timezone: m.timezone,
        hostEmail: emailOf.get(m.userId),
        status: m.status,
        agenda: m.agenda,
        invitees: (m.settings.meeting_invitees ?? []).map((i) => i.email),
        settings: m.settings,
        instances: instances
          .filter((i) => i.meetingId === m.id)
          .map((i) => ({
            uuid: i.uuid,
            startedAt: iso(i.startedAt),
            endedAt: iso(i.endedAt),
            participants: i.participants.length,
            reportAt: iso(i.reportAt),
          })),
      })),
      deliveries: deliveries.map((d) => ({
        id: d.id,
        event: d.event,
        status: d.status,
        attempts: d.attempts,
        lastStatus: d.lastStatus,
        nextAttemptAt: iso(d.nextAttemptAt),
        createdAt: new Date(d.createdAt).toISOString(),
      })),
      settings: await zoomSettings(db),
      nextUuid: await peekNextUuid(db),
      faults: { api: await getFault(db, "api"), token: await getFault(db, "token") },
    });
  })
  .post("/control/simulate", async (c) => {
    const parsed = Simulate.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json(bad(parsed.error.issues), 400);
    const body = parsed.data;
    const db = zoomDb(c.env);
    const m = await db.query.szMeetings.findFirst({ where: eq(szMeetings.id, body.meetingId) });
    const host = m && (await db.query.szUsers.findFirst({ where: eq(szUsers.id, m.userId) }));
    if (!m || !host || m.status === "deleted") return c.json(noMeeting(body.meetingId), 404);
    const problem = scenarioProblem(body.scenario, m.settings);
    if (problem) return c.json({ code: 300, message: problem }, 400);
    const booked = body.client
      ? { name: body.client.name, email: body.client.email ?? "" }
      : await bookedClient(c.env, m);
    if (!booked)
      return c.json(
        { code: 300, message: "The meeting has no invitee: pass client {name, email}." },
        400,
      );
    const client = body.scenario === "guest_no_email" ? { ...booked, email: "" } : booked;
    // Each played instance has its own UUID: the meeting's current one until it has been played.
    const played = await db.query.szInstances.findFirst({ where: eq(szInstances.uuid, m.uuid) });
    const uuid = played ? await takeUuid(db) : m.uuid;
    const start =
      body.clock === "now"
        ? Date.now() - scenarioSpan(m, host, body.scenario, client)
        : m.startTime;
    const timeline = playScenario(m, host, uuid, body.scenario, client, start);
    if (timeline.startedAt !== null) {
      const { participantsReportDelaySeconds } = await zoomSettings(db);
      await db.insert(szInstances).values({
        uuid,
        meetingId: m.id,
        startedAt: timeline.startedAt,
        endedAt: timeline.endedAt,
        participants: timeline.participants,
        reportAt:
          timeline.endedAt === null ? null : Date.now() + participantsReportDelaySeconds * 1000,
        createdAt: Date.now(),
      });
      if (uuid !== m.uuid) await db.update(szMeetings).set({ uuid }).where(eq(szMeetings.id, m.id));
    }
    await emitZoom(c.env, timeline.events, body.drop);
    const dropped = (e: string) => body.drop === "all" || body.drop.includes(e);
    return c.json({
      uuid,
      client,
      sent: timeline.events.map((e) => e.event).filter((e) => !dropped(e)),
      dropped: timeline.events.map((e) => e.event).filter(dropped),
    });
  })
  .post("/control/settings", async (c) => {
    const parsed = Settings.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json(bad(parsed.error.issues), 400);
    return c.json(await saveZoomSettings(zoomDb(c.env), parsed.data));
  })
  /** The UUID the next created meeting or played instance gets (e.g. one starting with "/"). */
  .post("/control/next-uuid", async (c) => {
    const parsed = NextUuid.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json(bad(parsed.error.issues), 400);
    await setNextUuid(zoomDb(c.env), parsed.data.uuid);
    return c.json({ nextUuid: parsed.data.uuid });
  })
  .get("/control/faults", async (c) => {
    const db = zoomDb(c.env);
    return c.json({ api: await getFault(db, "api"), token: await getFault(db, "token") });
  })
  .post("/control/faults", async (c) => {
    const parsed = Faults.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json(bad(parsed.error.issues), 400);
    const f = parsed.data;
    const db = zoomDb(c.env);
    if (f.kind === "none") return c.json(await setFault(db, f.target, null));
    return c.json(
      await setFault(db, f.target, {
        kind: f.kind,
        remaining: f.count,
        ...(f.delayMs === undefined ? {} : { delayMs: f.delayMs }),
      }),
    );
  })
  .post("/control/tokens", async (c) => {
    const parsed = Tokens.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json(bad(parsed.error.issues), 400);
    const db = zoomDb(c.env);
    const user = await db.query.szUsers.findFirst({
      where: eq(szUsers.email, parsed.data.email.toLowerCase()),
    });
    if (!user) return c.json({ code: 1001, message: "User does not exist." }, 404);
    const changed =
      parsed.data.action === "expire_access"
        ? await expireAccessTokens(db, user.id)
        : parsed.data.action === "revoke_grant"
          ? await revokeGrant(db, user.id)
          : await deauthorize(c.env, db, user, parsed.data.userDataRetention);
    return c.json({ ok: true, changed });
  })
  /** Forgets the day's counters (label budgets and the 100 meeting writes), as 00:00 UTC does. */
  .post("/control/rate-limits/reset", async (c) =>
    c.json({ ok: true, cleared: await resetDailyCounters(zoomDb(c.env)) }),
  );
