/**
 * A form token books once. The first submit that passes every spam check claims the token's nonce
 * in D1 for *that booking* — coach, event type, start, client email and weeks — in one atomic
 * statement (the primary key decides between concurrent submits, unlike a KV read-then-write).
 * Later submits with the token are let through only when they ask for the very same booking: a
 * retry after a lost answer or a double click, which the booking intents then answer with the one
 * booking (place-booking.ts). Anything else (another slot, another client) is refused; the booking
 * page fetches a new form for each attempt at a slot.
 */
import { eq, lt } from "drizzle-orm";
import type { Database } from "../db/client";
import { formTokenUses } from "../db/schema";
import { sha256Base64Url } from "../lib/crypto";
import { FORM_MAX_AGE_MS, formTokenNonce } from "./tokens";

export type BookingAsked = {
  coach: string;
  eventType: string;
  startTime: string;
  email: string;
  weeks: number;
};

export const bookingFingerprint = (b: BookingAsked) =>
  sha256Base64Url(
    [
      b.coach,
      b.eventType,
      new Date(b.startTime).toISOString(),
      b.email.trim().toLowerCase(),
      b.weeks,
    ].join("|"),
  );

/** True when this submit may use the token: it claimed it now, or it is the same booking again. */
export async function spendFormToken(
  db: Database,
  token: string,
  booking: BookingAsked,
  now = Date.now(),
): Promise<boolean> {
  const nonce = formTokenNonce(token);
  const fingerprint = await bookingFingerprint(booking);
  const [, , [claimed]] = await db.batch([
    // Spent tokens are kept only as long as the token itself could be used.
    db.delete(formTokenUses).where(lt(formTokenUses.expiresAt, new Date(now))),
    db
      .insert(formTokenUses)
      .values({ nonce, fingerprint, expiresAt: new Date(now + FORM_MAX_AGE_MS) })
      .onConflictDoNothing(),
    db
      .select({ fingerprint: formTokenUses.fingerprint })
      .from(formTokenUses)
      .where(eq(formTokenUses.nonce, nonce)),
  ]);
  return claimed?.fingerprint === fingerprint;
}
