/**
 * The preference and suppression rows (db/schema.ts: notificationPreferences, emailSuppressions).
 * Preference queries take the CoachScope; a token's row is found by id and then only touched under
 * its own coach. Suppressions are account-wide (an address that bounces bounces for everybody).
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client";
import { inChunks } from "../../db/client";
import { emailSuppressions, notificationOutbox, notificationPreferences } from "../../db/schema";
import type { CoachScope } from "../../env";
import { newPreferenceId } from "./tokens";

export type Preference = typeof notificationPreferences.$inferSelect;
export type Suppression = typeof emailSuppressions.$inferSelect;
export type PreferenceChoices = Pick<
  Preference,
  "reminders" | "followUps" | "smsReminders" | "phone"
>;

export const normalEmail = (email: string) => email.trim().toLowerCase();

export async function findPreference(scope: CoachScope, email: string) {
  const [row] = await scope.db
    .select()
    .from(notificationPreferences)
    .where(
      and(
        eq(notificationPreferences.coachId, scope.coachId),
        eq(notificationPreferences.email, normalEmail(email)),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** The row for this coach + address, created with the defaults when there is none yet. */
export async function ensurePreference(scope: CoachScope, email: string): Promise<Preference> {
  const existing = await findPreference(scope, email);
  if (existing) return existing;
  await scope.db
    .insert(notificationPreferences)
    .values({ id: newPreferenceId(), coachId: scope.coachId, email: normalEmail(email) })
    .onConflictDoNothing();
  const row = await findPreference(scope, email);
  if (!row) throw new Error("notification preference row vanished after insert");
  return row;
}

/** By the id a token names: the token was verified, so this is the one unscoped read. */
export async function preferenceById(db: Database, id: string) {
  const [row] = await db
    .select()
    .from(notificationPreferences)
    .where(eq(notificationPreferences.id, id))
    .limit(1);
  return row ?? null;
}

export async function updatePreference(
  db: Database,
  row: Pick<Preference, "id" | "coachId">,
  changes: Partial<PreferenceChoices>,
) {
  await db
    .update(notificationPreferences)
    .set({ ...changes, updatedAt: new Date() })
    .where(
      and(eq(notificationPreferences.id, row.id), eq(notificationPreferences.coachId, row.coachId)),
    );
}

export async function suppressionOf(db: Database, email: string) {
  const [row] = await db
    .select()
    .from(emailSuppressions)
    .where(eq(emailSuppressions.email, normalEmail(email)))
    .limit(1);
  return row ?? null;
}

export async function suppressionsOf(db: Database, emails: string[]) {
  const wanted = [...new Set(emails.map(normalEmail))];
  return inChunks(wanted, (chunk) =>
    db.select().from(emailSuppressions).where(inArray(emailSuppressions.email, chunk)),
  );
}

export type SuppressionInput = {
  email: string;
  reason: Suppression["reason"];
  source: Suppression["source"];
  detail?: string | null;
  providerMessageId?: string | null;
};

/**
 * Suppress an address (idempotent: a redelivered event rewrites the same row). A complaint is never
 * downgraded to a bounce. The coach is whoever sent the message the provider names, if we sent it.
 */
export async function suppress(db: Database, input: SuppressionInput) {
  const email = normalEmail(input.email);
  const coachId = input.providerMessageId
    ? ((
        await db
          .select({ coachId: notificationOutbox.coachId })
          .from(notificationOutbox)
          .where(eq(notificationOutbox.providerMessageId, input.providerMessageId))
          .limit(1)
      )[0]?.coachId ?? null)
    : null;
  const existing = await suppressionOf(db, email);
  const reason = existing?.reason === "complaint" ? "complaint" : input.reason;
  const values = {
    email,
    reason,
    source: input.source,
    detail: input.detail?.slice(0, 300) ?? null,
    coachId,
    providerMessageId: input.providerMessageId?.slice(0, 200) ?? null,
  };
  await db
    .insert(emailSuppressions)
    .values(values)
    .onConflictDoUpdate({
      target: emailSuppressions.email,
      set: { ...values, updatedAt: new Date() },
    });
}

/**
 * A client's STOP / START texted to our number: SMS reminders off (or back on) for every
 * preference row that gave that number — the carrier-level opt-out is per number, not per coach.
 */
export async function setSmsByPhone(db: Database, phone: string, on: boolean) {
  const rows = await db
    .update(notificationPreferences)
    .set({ smsReminders: on, updatedAt: new Date() })
    .where(eq(notificationPreferences.phone, phone))
    .returning({ id: notificationPreferences.id });
  return rows.length;
}
