/**
 * GET /api/exports/account.json: everything Kairos holds about the signed-in coach. Every table is
 * read through an explicit list of columns (never `select *`), so a secret column added later does
 * not leak by default: no token ciphertext (*_enc), no webhook signing keys, no login-session
 * hashes, no raw webhook payloads.
 */
import { z } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import {
  auditLog,
  bookingIntents,
  coaches,
  eventTypes,
  loginSessions,
  providerConnections,
  syncRuns,
  webhookEvents,
  webhookSubscriptions,
} from "../db/schema";
import type { CoachScope } from "../env";
import { InviteePayment } from "../schemas/sessions";
import { type ExportSession, exportSessions, locationOf } from "./sessions";

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);
const Timestamp = z.string().openapi({ example: "2026-12-01T15:00:00.000Z" });
const MaybeTimestamp = Timestamp.nullable();

const Invitee = z.object({
  id: z.string(),
  calendlyUri: z.string(),
  name: z.string(),
  email: z.string(),
  timeZone: z.string().nullable(),
  status: z.enum(["active", "canceled"]),
  noShow: z.boolean(),
  rescheduled: z.boolean(),
  oldInviteeUri: z.string().nullable(),
  newInviteeUri: z.string().nullable(),
  canceledBy: z.string().nullable(),
  cancelerType: z.string().nullable(),
  cancelReason: z.string().nullable(),
  answers: z.array(z.object({ question: z.string(), answer: z.string(), position: z.number() })),
  tracking: z.record(z.string(), z.string()),
  payment: InviteePayment.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const AccountExport = z
  .object({
    exportedAt: Timestamp,
    profile: z.object({
      id: z.string(),
      calendlyUserUri: z.string(),
      name: z.string(),
      email: z.string(),
      timeZone: z.string(),
      slug: z.string(),
      schedulingUrl: z.string().nullable(),
      organizationUri: z.string().nullable(),
      syncIntervalMinutes: z.number(),
      nextSyncAt: MaybeTimestamp,
      embedOrigins: z.array(z.string()),
      createdAt: Timestamp,
      updatedAt: Timestamp,
    }),
    connections: z.array(
      z.object({
        provider: z.string(),
        externalUserId: z.string(),
        status: z.string(),
        scopes: z.array(z.string()),
        accessExpiresAt: MaybeTimestamp,
        lastRefreshedAt: MaybeTimestamp,
        lastError: z.string().nullable(),
        createdAt: Timestamp,
        updatedAt: Timestamp,
      }),
    ),
    webhookSubscriptions: z.array(
      z.object({
        provider: z.string(),
        uri: z.string(),
        callbackUrl: z.string(),
        events: z.array(z.string()),
        state: z.string(),
        createdAt: Timestamp,
        updatedAt: Timestamp,
      }),
    ),
    eventTypes: z.array(
      z.object({
        id: z.string(),
        calendlyUri: z.string(),
        name: z.string(),
        slug: z.string().nullable(),
        durationMinutes: z.number(),
        kind: z.string(),
        active: z.boolean(),
        secret: z.boolean(),
        color: z.string().nullable(),
        schedulingUrl: z.string(),
        description: z.string().nullable(),
        position: z.number(),
        customQuestions: z.array(z.record(z.string(), z.unknown())),
        locations: z.array(z.object({ kind: z.string(), location: z.string().optional() })),
        minNoticeMinutes: z.number(),
        maxDaysAhead: z.number(),
        createdAt: Timestamp,
        updatedAt: Timestamp,
      }),
    ),
    sessions: z.array(
      z.object({
        id: z.string(),
        calendlyUri: z.string(),
        eventTypeUri: z.string().nullable(),
        name: z.string(),
        status: z.enum(["active", "canceled"]),
        startTime: Timestamp,
        endTime: Timestamp,
        location: z.object({ type: z.string(), joinUrl: z.string().optional() }).nullable(),
        cancelReason: z.string().nullable(),
        canceledAt: MaybeTimestamp,
        bookedAt: Timestamp,
        createdAt: Timestamp,
        updatedAt: Timestamp,
        invitees: z.array(Invitee),
      }),
    ),
    bookingIntents: z.array(
      z.object({
        id: z.string(),
        eventTypeId: z.string(),
        startTime: Timestamp,
        endTime: Timestamp,
        name: z.string(),
        email: z.string(),
        timeZone: z.string(),
        answers: z.array(
          z.object({ question: z.string(), answer: z.string(), position: z.number() }),
        ),
        tracking: z.record(z.string(), z.string()),
        status: z.string(),
        seriesId: z.string().nullable(),
        inviteeUri: z.string().nullable(),
        eventUri: z.string().nullable(),
        rescheduleUrl: z.string().nullable(),
        cancelUrl: z.string().nullable(),
        error: z.string().nullable(),
        createdAt: Timestamp,
        updatedAt: Timestamp,
      }),
    ),
    syncRuns: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        status: z.string(),
        windowStart: Timestamp,
        windowEnd: Timestamp,
        pages: z.number(),
        recordsSeen: z.number(),
        recordsFixed: z.number(),
        error: z.string().nullable(),
        startedAt: Timestamp,
        finishedAt: MaybeTimestamp,
      }),
    ),
    auditLog: z.array(
      z.object({
        id: z.string(),
        actor: z.string(),
        action: z.string(),
        subject: z.string().nullable(),
        detail: z.record(z.string(), z.unknown()).nullable(),
        createdAt: Timestamp,
      }),
    ),
    webhookEvents: z.array(
      z.object({ event: z.string(), status: z.string(), receivedAt: Timestamp }),
    ),
    signInSessions: z
      .array(z.object({ createdAt: Timestamp, expiresAt: Timestamp, revokedAt: MaybeTimestamp }))
      .openapi({ description: "When the coach signed in; the session identifiers are not kept" }),
  })
  .openapi("AccountExport");
export type AccountExport = z.infer<typeof AccountExport>;

/** Keys naming a secret: dropped from free-form JSON (audit details) as a second line of defence. */
const SECRET_KEY = /(_enc|Enc|token|secret|signing_?key|password|idHash|id_hash)$/i;

export function scrubSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubSecrets);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !SECRET_KEY.test(k))
        .map(([k, v]) => [k, scrubSecrets(v)]),
    );
  return value;
}

export async function accountExport(
  scope: CoachScope,
  now = new Date(),
): Promise<AccountExport | undefined> {
  const { db, coachId } = scope;
  const [profile] = await db
    .select({
      id: coaches.id,
      calendlyUserUri: coaches.calendlyUserUri,
      name: coaches.name,
      email: coaches.email,
      timeZone: coaches.timeZone,
      slug: coaches.slug,
      schedulingUrl: coaches.schedulingUrl,
      organizationUri: coaches.organizationUri,
      syncIntervalMinutes: coaches.syncIntervalMinutes,
      nextSyncAt: coaches.nextSyncAt,
      embedOrigins: coaches.embedOrigins,
      createdAt: coaches.createdAt,
      updatedAt: coaches.updatedAt,
    })
    .from(coaches)
    .where(eq(coaches.id, coachId));
  if (!profile) return undefined;

  const [connections, subscriptions, types, sessionList, intents, runs, audits, events, logins] =
    await Promise.all([
      db
        .select({
          provider: providerConnections.provider,
          externalUserId: providerConnections.externalUserId,
          status: providerConnections.status,
          scopes: providerConnections.scopes,
          accessExpiresAt: providerConnections.accessExpiresAt,
          lastRefreshedAt: providerConnections.lastRefreshedAt,
          lastError: providerConnections.lastError,
          createdAt: providerConnections.createdAt,
          updatedAt: providerConnections.updatedAt,
        })
        .from(providerConnections)
        .where(eq(providerConnections.coachId, coachId))
        .orderBy(asc(providerConnections.provider)),
      db
        .select({
          provider: webhookSubscriptions.provider,
          uri: webhookSubscriptions.uri,
          callbackUrl: webhookSubscriptions.callbackUrl,
          events: webhookSubscriptions.events,
          state: webhookSubscriptions.state,
          createdAt: webhookSubscriptions.createdAt,
          updatedAt: webhookSubscriptions.updatedAt,
        })
        .from(webhookSubscriptions)
        .where(eq(webhookSubscriptions.coachId, coachId))
        .orderBy(asc(webhookSubscriptions.createdAt)),
      db
        .select({
          id: eventTypes.id,
          calendlyUri: eventTypes.calendlyUri,
          name: eventTypes.name,
          slug: eventTypes.slug,
          durationMinutes: eventTypes.durationMinutes,
          kind: eventTypes.kind,
          active: eventTypes.active,
          secret: eventTypes.secret,
          color: eventTypes.color,
          schedulingUrl: eventTypes.schedulingUrl,
          description: eventTypes.description,
          position: eventTypes.position,
          customQuestions: eventTypes.customQuestions,
          locations: eventTypes.locations,
          minNoticeMinutes: eventTypes.minNoticeMinutes,
          maxDaysAhead: eventTypes.maxDaysAhead,
          createdAt: eventTypes.createdAt,
          updatedAt: eventTypes.updatedAt,
        })
        .from(eventTypes)
        .where(eq(eventTypes.coachId, coachId))
        .orderBy(asc(eventTypes.position), asc(eventTypes.id)),
      exportSessions(scope, {}),
      db
        .select({
          id: bookingIntents.id,
          eventTypeId: bookingIntents.eventTypeId,
          startTime: bookingIntents.startTime,
          endTime: bookingIntents.endTime,
          name: bookingIntents.name,
          email: bookingIntents.email,
          timeZone: bookingIntents.timeZone,
          answers: bookingIntents.answers,
          tracking: bookingIntents.tracking,
          status: bookingIntents.status,
          seriesId: bookingIntents.seriesId,
          inviteeUri: bookingIntents.inviteeUri,
          eventUri: bookingIntents.eventUri,
          rescheduleUrl: bookingIntents.rescheduleUrl,
          cancelUrl: bookingIntents.cancelUrl,
          error: bookingIntents.error,
          createdAt: bookingIntents.createdAt,
          updatedAt: bookingIntents.updatedAt,
        })
        .from(bookingIntents)
        .where(eq(bookingIntents.coachId, coachId))
        .orderBy(asc(bookingIntents.startTime), asc(bookingIntents.id)),
      db
        .select({
          id: syncRuns.id,
          kind: syncRuns.kind,
          status: syncRuns.status,
          windowStart: syncRuns.windowStart,
          windowEnd: syncRuns.windowEnd,
          pages: syncRuns.pages,
          recordsSeen: syncRuns.recordsSeen,
          recordsFixed: syncRuns.recordsFixed,
          error: syncRuns.error,
          startedAt: syncRuns.startedAt,
          finishedAt: syncRuns.finishedAt,
        })
        .from(syncRuns)
        .where(eq(syncRuns.coachId, coachId))
        .orderBy(asc(syncRuns.startedAt), asc(syncRuns.id)),
      db
        .select({
          id: auditLog.id,
          actor: auditLog.actor,
          action: auditLog.action,
          subject: auditLog.subject,
          detail: auditLog.detail,
          createdAt: auditLog.createdAt,
        })
        .from(auditLog)
        .where(eq(auditLog.coachId, coachId))
        .orderBy(asc(auditLog.createdAt), asc(auditLog.id)),
      db
        .select({
          event: webhookEvents.event,
          status: webhookEvents.status,
          receivedAt: webhookEvents.receivedAt,
        })
        .from(webhookEvents)
        .where(eq(webhookEvents.coachId, coachId))
        .orderBy(asc(webhookEvents.receivedAt), asc(webhookEvents.id)),
      db
        .select({
          createdAt: loginSessions.createdAt,
          expiresAt: loginSessions.expiresAt,
          revokedAt: loginSessions.revokedAt,
        })
        .from(loginSessions)
        .where(eq(loginSessions.coachId, coachId))
        .orderBy(asc(loginSessions.createdAt)),
    ]);

  return {
    exportedAt: iso(now),
    profile: {
      ...profile,
      nextSyncAt: isoOrNull(profile.nextSyncAt),
      createdAt: iso(profile.createdAt),
      updatedAt: iso(profile.updatedAt),
    },
    connections: connections.map((c) => ({
      ...c,
      scopes: c.scopes.split(/\s+/).filter(Boolean),
      accessExpiresAt: isoOrNull(c.accessExpiresAt),
      lastRefreshedAt: isoOrNull(c.lastRefreshedAt),
      createdAt: iso(c.createdAt),
      updatedAt: iso(c.updatedAt),
    })),
    webhookSubscriptions: subscriptions.map((s) => ({
      ...s,
      createdAt: iso(s.createdAt),
      updatedAt: iso(s.updatedAt),
    })),
    eventTypes: types.map((t) => ({
      ...t,
      createdAt: iso(t.createdAt),
      updatedAt: iso(t.updatedAt),
    })),
    sessions: sessionList.map(presentSession),
    bookingIntents: intents.map((b) => ({
      ...b,
      startTime: iso(b.startTime),
      endTime: iso(b.endTime),
      createdAt: iso(b.createdAt),
      updatedAt: iso(b.updatedAt),
    })),
    syncRuns: runs.map((r) => ({
      ...r,
      windowStart: iso(r.windowStart),
      windowEnd: iso(r.windowEnd),
      startedAt: iso(r.startedAt),
      finishedAt: isoOrNull(r.finishedAt),
    })),
    auditLog: audits.map((a) => ({
      ...a,
      detail: a.detail ? (scrubSecrets(a.detail) as Record<string, unknown>) : null,
      createdAt: iso(a.createdAt),
    })),
    webhookEvents: events.map((e) => ({ ...e, receivedAt: iso(e.receivedAt) })),
    signInSessions: logins.map((l) => ({
      createdAt: iso(l.createdAt),
      expiresAt: iso(l.expiresAt),
      revokedAt: isoOrNull(l.revokedAt),
    })),
  };
}

function presentSession(s: ExportSession): AccountExport["sessions"][number] {
  return {
    id: s.id,
    calendlyUri: s.calendlyUri,
    eventTypeUri: s.eventTypeUri,
    name: s.name,
    status: s.status,
    startTime: iso(s.startsAt),
    endTime: iso(s.endsAt),
    location: locationOf(s),
    cancelReason: s.cancelReason,
    canceledAt: isoOrNull(s.canceledAt),
    bookedAt: iso(s.bookedAt),
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
    invitees: s.invitees.map((i) => ({
      id: i.id,
      calendlyUri: i.calendlyUri,
      name: i.name,
      email: i.email,
      timeZone: i.timeZone,
      status: i.status,
      noShow: i.noShowUri !== null,
      rescheduled: i.rescheduled,
      oldInviteeUri: i.oldInviteeUri,
      newInviteeUri: i.newInviteeUri,
      canceledBy: i.canceledBy,
      cancelerType: i.cancelerType,
      cancelReason: i.cancelReason,
      answers: i.answers,
      tracking: i.tracking,
      payment: i.payment,
      createdAt: iso(i.createdAt),
      updatedAt: iso(i.updatedAt),
    })),
  };
}
