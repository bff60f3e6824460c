/**
 * JSON control API of the fake Calendly (/sandbox/calendly/control/*), used by the /sandbox page,
 * scripts and tests to act as a client would: book, cancel, reschedule, mark no-shows, and tune the
 * fake (rate limit, webhook failure modes, injected API faults, token expiry/revocation). Plus `POST /webhooks/deliver`: sign and send any envelope.
 */
import { and, asc, desc, eq, gte } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import {
  sbDeliveries,
  sbEvents,
  sbEventTypes,
  sbInvitees,
  sbSubscriptions,
  sbUsers,
} from "../db/schema";
import { openSlots } from "./availability";
import { book, cancelInvitee, reschedule, SlotTaken, setNoShow } from "./bookings";
import {
  DEFAULT_RETRY_AFTER_S,
  DEFAULT_TIMEOUT_DELAY_MS,
  expireAccessTokens,
  getFault,
  revokeRefreshTokens,
  setFault,
} from "./faults";
import { getSettings, idFromUri, iso6, sandboxDb, saveSettings, uris } from "./store";
import { attempt } from "./webhooks";

const Book = z.object({
  coachEmail: z.email(),
  eventTypeSlug: z.string().min(1),
  startTime: z.iso.datetime({ offset: true }),
  invitee: z.object({ name: z.string().min(1), email: z.email(), timezone: z.string().optional() }),
});
const Cancel = z.object({
  inviteeUri: z.string().min(1),
  reason: z.string().max(10_000).optional(),
  canceledBy: z.enum(["invitee", "host"]).default("invitee"),
});
const Reschedule = z.object({
  inviteeUri: z.string().min(1),
  newStartTime: z.iso.datetime({ offset: true }),
});
const NoShow = z.object({ inviteeUri: z.string().min(1), noShow: z.boolean() });
const Settings = z.object({
  rateLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
  webhookMode: z
    .enum(["normal", "duplicate", "lost", "out_of_order", "delayed", "chaos"])
    .optional(),
});
const Faults = z.object({
  kind: z.enum(["5xx", "timeout", "429", "none"]),
  count: z.number().int().min(1).max(1000).default(5),
  retryAfterSeconds: z.number().int().min(1).max(3600).default(DEFAULT_RETRY_AFTER_S),
  delayMs: z.number().int().min(0).max(60_000).default(DEFAULT_TIMEOUT_DELAY_MS),
});
const Tokens = z.object({
  coachEmail: z.email(),
  action: z.enum(["expire_access", "revoke_refresh"]),
});
const Envelope = z.object({
  event: z.string(),
  created_at: z.string(),
  created_by: z.string(),
  payload: z.record(z.string(), z.unknown()),
});

const bad = (c: Context, message: string, details?: unknown) =>
  c.json({ title: "Invalid Argument", message, details }, 400);
/** A booking outcome as the control API reports it: the new URIs, or 409 when the slot is gone. */
async function placed(
  c: Context<AppEnv>,
  booking: () => Promise<{ eventId: string; inviteeId: string }>,
) {
  try {
    const ids = await booking();
    const at = uris(c.env.CALENDLY_API_BASE);
    return c.json(
      { event: at.event(ids.eventId), invitee: at.invitee(ids.eventId, ids.inviteeId) },
      201,
    );
  } catch (err) {
    if (!(err instanceof SlotTaken)) throw err;
    return c.json(
      { title: "Conflict", message: "That time is not available — pick another slot." },
      409,
    );
  }
}

const ctxOf = (c: Context<AppEnv>) => ({
  env: c.env,
  waitUntil: (p: Promise<unknown>) => c.executionCtx.waitUntil(p),
});

async function parse<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T> | Response> {
  const result = schema.safeParse(await c.req.json().catch(() => undefined));
  return result.success
    ? result.data
    : bad(
        c,
        "Invalid request body.",
        result.error.issues.map((i) => ({ parameter: i.path.join("."), message: i.message })),
      );
}

async function ownerOfInvitee(env: Env, inviteeUri: string) {
  const db = sandboxDb(env);
  const inv = await db.query.sbInvitees.findFirst({
    where: eq(sbInvitees.id, idFromUri(inviteeUri)),
  });
  const ev = inv && (await db.query.sbEvents.findFirst({ where: eq(sbEvents.id, inv.eventId) }));
  const user = ev && (await db.query.sbUsers.findFirst({ where: eq(sbUsers.id, ev.userId) }));
  return inv && ev && user ? { inv, ev, user } : undefined;
}

export const calendlyControl = new Hono<AppEnv>()
  .get("/control/state", async (c) => {
    const db = sandboxDb(c.env);
    const at = uris(c.env.CALENDLY_API_BASE);
    const users = await db.select().from(sbUsers).orderBy(asc(sbUsers.name));
    const types = await db.select().from(sbEventTypes).orderBy(asc(sbEventTypes.position));
    const events = await db
      .select()
      .from(sbEvents)
      .where(gte(sbEvents.endTime, Date.now() - 86_400_000))
      .orderBy(asc(sbEvents.startTime))
      .limit(50);
    const people = events.length ? await db.select().from(sbInvitees) : [];
    const emailOf = new Map(users.map((u) => [u.id, u.email]));
    const deliveries = await db
      .select()
      .from(sbDeliveries)
      .orderBy(desc(sbDeliveries.createdAt))
      .limit(20);
    const subscriptions = await db.select().from(sbSubscriptions);
    const subs = new Map(subscriptions.map((s) => [s.id, s.callbackUrl]));
    return c.json({
      users: users.map((u) => ({
        email: u.email,
        name: u.name,
        slug: u.slug,
        uri: at.user(u.id),
        timezone: u.timezone,
      })),
      eventTypes: types.map((t) => ({
        uri: at.eventType(t.id),
        name: t.name,
        slug: t.slug,
        ownerEmail: emailOf.get(t.userId),
        duration: t.duration,
        kind: t.kind,
      })),
      events: events.map((e) => ({
        uri: at.event(e.id),
        name: e.name,
        startTime: iso6(e.startTime),
        endTime: iso6(e.endTime),
        status: e.status,
        ownerEmail: emailOf.get(e.userId),
        invitees: people
          .filter((p) => p.eventId === e.id)
          .map((p) => ({
            uri: at.invitee(e.id, p.id),
            email: p.email,
            name: p.name,
            status: p.status,
            noShow: p.noShowId !== null,
          })),
      })),
      deliveries: deliveries.map((d) => ({
        id: d.id,
        event: d.event,
        callbackUrl: subs.get(d.subscriptionId) ?? null,
        status: d.status,
        attempts: d.attempts,
        lastStatus: d.lastStatus,
        createdAt: iso6(d.createdAt),
      })),
      subscriptions: subscriptions.map((s) => ({
        ownerEmail: emailOf.get(s.userId),
        callbackUrl: s.callbackUrl,
        state: s.state,
        events: s.events,
      })),
      settings: await getSettings(db),
      faults: await getFault(db),
    });
  })
  /** Everything the fake holds for one coach, for comparisons (chaos check, debugging). */
  .get("/control/export", async (c) => {
    const db = sandboxDb(c.env);
    const at = uris(c.env.CALENDLY_API_BASE);
    const user = await db.query.sbUsers.findFirst({
      where: eq(sbUsers.email, (c.req.query("coachEmail") ?? "").toLowerCase()),
    });
    if (!user) return c.json({ title: "Resource Not Found", message: "No such coach." }, 404);
    const events = await db.select().from(sbEvents).where(eq(sbEvents.userId, user.id));
    const ids = new Set(events.map((e) => e.id));
    const people = (await db.select().from(sbInvitees)).filter((i) => ids.has(i.eventId));
    const eventOf = new Map(events.map((e) => [e.id, e]));
    return c.json({
      invitees: people.map((i) => {
        const e = eventOf.get(i.eventId);
        return {
          uri: at.invitee(i.eventId, i.id),
          status: i.status,
          noShow: i.noShowId !== null,
          eventUri: at.event(i.eventId),
          eventStatus: e?.status,
          startTime: e ? iso6(e.startTime) : null,
        };
      }),
    });
  })
  .get("/control/slots", async (c) => {
    const { coachEmail = "", eventTypeSlug = "" } = c.req.query();
    const db = sandboxDb(c.env);
    const user = await db.query.sbUsers.findFirst({
      where: eq(sbUsers.email, coachEmail.toLowerCase()),
    });
    const et =
      user &&
      (await db.query.sbEventTypes.findFirst({
        where: and(eq(sbEventTypes.userId, user.id), eq(sbEventTypes.slug, eventTypeSlug)),
      }));
    if (!user || !et)
      return c.json({ title: "Resource Not Found", message: "No such coach or event type." }, 404);
    const from = Date.now() + 15 * 60_000;
    const slots = await openSlots(db, user, et, from, from + 14 * 86_400_000);
    return c.json({ timezone: user.timezone, slots: slots.slice(0, 60).map((s) => iso6(s.start)) });
  })
  .post("/control/book", async (c) => {
    const body = await parse(c, Book);
    if (body instanceof Response) return body;
    const db = sandboxDb(c.env);
    const user = await db.query.sbUsers.findFirst({
      where: eq(sbUsers.email, body.coachEmail.toLowerCase()),
    });
    const et =
      user &&
      (await db.query.sbEventTypes.findFirst({
        where: and(eq(sbEventTypes.userId, user.id), eq(sbEventTypes.slug, body.eventTypeSlug)),
      }));
    if (!user || !et)
      return c.json({ title: "Resource Not Found", message: "No such coach or event type." }, 404);
    const who = { ...body.invitee, timezone: body.invitee.timezone ?? user.timezone };
    return placed(c, () => book(ctxOf(c), user, et, Date.parse(body.startTime), who, null));
  })
  .post("/control/cancel", async (c) => {
    const body = await parse(c, Cancel);
    if (body instanceof Response) return body;
    const found = await ownerOfInvitee(c.env, body.inviteeUri);
    if (!found) return c.json({ title: "Resource Not Found", message: "No such invitee." }, 404);
    if (found.inv.status === "canceled")
      return c.json({ title: "Conflict", message: "Already canceled." }, 409);
    await cancelInvitee(ctxOf(c), found.user, found.inv.id, body.canceledBy, body.reason ?? null);
    return c.json({ ok: true });
  })
  .post("/control/reschedule", async (c) => {
    const body = await parse(c, Reschedule);
    if (body instanceof Response) return body;
    const found = await ownerOfInvitee(c.env, body.inviteeUri);
    if (!found) return c.json({ title: "Resource Not Found", message: "No such invitee." }, 404);
    if (found.inv.status === "canceled")
      return c.json(
        { title: "Conflict", message: "A canceled booking cannot be rescheduled." },
        409,
      );
    const newStart = Date.parse(body.newStartTime);
    return placed(c, () => reschedule(ctxOf(c), found.user, found.inv.id, newStart));
  })
  .post("/control/no-show", async (c) => {
    const body = await parse(c, NoShow);
    if (body instanceof Response) return body;
    const found = await ownerOfInvitee(c.env, body.inviteeUri);
    if (!found) return c.json({ title: "Resource Not Found", message: "No such invitee." }, 404);
    if ((found.inv.noShowId !== null) === body.noShow) return c.json({ ok: true, changed: false });
    await setNoShow(ctxOf(c), found.user, found.inv.id, body.noShow);
    return c.json({ ok: true, changed: true });
  })
  .post("/control/settings", async (c) => {
    const body = await parse(c, Settings);
    if (body instanceof Response) return body;
    return c.json(await saveSettings(sandboxDb(c.env), body));
  })
  /** The API fault queued for the next calls (5xx burst, timeouts, 429s), or null. */
  .get("/control/faults", async (c) => c.json(await getFault(sandboxDb(c.env))))
  .post("/control/faults", async (c) => {
    const body = await parse(c, Faults);
    if (body instanceof Response) return body;
    const db = sandboxDb(c.env);
    if (body.kind === "none") return c.json(await setFault(db, null));
    return c.json(
      await setFault(db, {
        kind: body.kind,
        remaining: body.count,
        ...(body.kind === "429" ? { retryAfterSeconds: body.retryAfterSeconds } : {}),
        ...(body.kind === "timeout" ? { delayMs: body.delayMs } : {}),
      }),
    );
  })
  /** Expire a coach's access tokens now, or revoke their refresh tokens (next refresh: invalid_grant). */
  .post("/control/tokens", async (c) => {
    const body = await parse(c, Tokens);
    if (body instanceof Response) return body;
    const db = sandboxDb(c.env);
    const user = await db.query.sbUsers.findFirst({
      where: eq(sbUsers.email, body.coachEmail.toLowerCase()),
    });
    if (!user) return c.json({ title: "Resource Not Found", message: "No such coach." }, 404);
    const changed =
      body.action === "expire_access"
        ? await expireAccessTokens(db, user.id)
        : await revokeRefreshTokens(db, user.id);
    return c.json({ ok: true, changed });
  })
  .post("/webhooks/deliver", async (c) => {
    const body = await parse(c, Envelope);
    if (body instanceof Response) return body;
    const db = sandboxDb(c.env);
    const subs = await db
      .select()
      .from(sbSubscriptions)
      .where(
        and(
          eq(sbSubscriptions.userId, idFromUri(body.created_by)),
          eq(sbSubscriptions.state, "active"),
        ),
      );
    const sub = subs.find((s) => s.events.includes(body.event));
    if (!sub)
      return c.json(
        {
          title: "Resource Not Found",
          message: "No active subscription of that user takes this event.",
        },
        404,
      );
    const raw = JSON.stringify(body);
    const delivery = {
      id: `dlv_manual_${Date.now()}`,
      subscriptionId: sub.id,
      event: body.event,
      body: raw,
      status: "pending" as const,
      attempts: 0,
      lastStatus: null,
      nextAttemptAt: null,
      createdAt: Date.now(),
    };
    await db.insert(sbDeliveries).values(delivery);
    return c.json(await attempt(c.env, db, delivery));
  });
