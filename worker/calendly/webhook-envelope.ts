/**
 * The Calendly webhook envelope as Kairos stores it, and its dedupe key. Calendly sends no delivery
 * id, so a change is identified by event + resource URI + updated_at (+ the no-show URI). Calendly
 * does not bump the invitee's updated_at when a no-show is marked or cleared, so for
 * `invitee_no_show.*` the envelope's created_at (when the change happened) is part of the key too:
 * without it a second clear would collapse into the first.
 */
import { z } from "zod";

export const WebhookEnvelope = z.looseObject({
  event: z.string().min(1),
  created_at: z.string(),
  created_by: z.string().optional(),
  payload: z.looseObject({
    uri: z.string().min(1),
    updated_at: z.string().optional(),
    no_show: z.looseObject({ uri: z.string() }).nullish(),
  }),
});
export type WebhookEnvelope = z.infer<typeof WebhookEnvelope>;

export function dedupeKey(envelope: WebhookEnvelope): string {
  const p = envelope.payload;
  const version = p.updated_at ?? envelope.created_at;
  if (!envelope.event.startsWith("invitee_no_show")) {
    return ["calendly", envelope.event, p.uri, version, ""].join("|");
  }
  const noShow = p.no_show?.uri ?? "";
  return ["calendly", envelope.event, p.uri, version, noShow, envelope.created_at].join("|");
}
