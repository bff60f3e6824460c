/**
 * Who a Zoom participant is (contract §5): the host by Zoom user id (`host_id`), a booked invitee by
 * registrant id, then email (case-insensitive), then normalized display name. A name only counts
 * when exactly one invitee has it; anyone else is an "unknown guest" — never matched to a client
 * without the coach looking (so an unknown guest also keeps a client from being proposed a no-show).
 */
import type { Who } from "./timeline";

export type InviteeRef = { id: string; email: string; name: string };
export type Match =
  | { kind: "host" }
  | { kind: "invitee"; inviteeId: string; by: "email" | "name" }
  | { kind: "guest"; key: string };

/** Lower case, accents and punctuation dropped, spaces collapsed: "Sám  Rivera-" → "sam rivera". */
export function normalizeName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

export type Matcher = (who: Who) => Match;

/**
 * A matcher for one session. `knownEmails` maps Zoom user ids to an email seen with them elsewhere
 * in the timeline (join-before-host events carry no email, the same person's join does).
 */
export function matcher(
  hostZoomUserId: string | null,
  invitees: InviteeRef[],
  knownEmails: Map<string, string> = new Map(),
): Matcher {
  const byEmail = new Map<string, string>();
  for (const i of invitees) if (i.email) byEmail.set(i.email.trim().toLowerCase(), i.id);
  const byName = new Map<string, string | null>();
  for (const i of invitees) {
    const n = normalizeName(i.name);
    if (n) byName.set(n, byName.has(n) ? null : i.id); // null: two invitees share it
  }
  return (who) => {
    if (hostZoomUserId && who.zoomUserId === hostZoomUserId) return { kind: "host" };
    const email = (who.email || knownEmails.get(who.zoomUserId) || "").trim().toLowerCase();
    const viaEmail = email ? byEmail.get(email) : undefined;
    if (viaEmail) return { kind: "invitee", inviteeId: viaEmail, by: "email" };
    const viaName = byName.get(normalizeName(who.name));
    if (viaName) return { kind: "invitee", inviteeId: viaName, by: "name" };
    return { kind: "guest", key: guestKey(who, email) };
  };
}

/** One unknown guest across their events: Zoom user id, else email, else participant uuid, else name. */
function guestKey(who: Who, email: string): string {
  if (who.zoomUserId) return `id:${who.zoomUserId}`;
  if (email) return `email:${email}`;
  if (who.participantUuid) return `pu:${who.participantUuid}`;
  return `name:${normalizeName(who.name)}`;
}
