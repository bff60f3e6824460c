/**
 * The Calendly webhook envelope as Kairos stores it, and its dedupe key. Calendly sends no delivery
 * id, so a change is identified by event + resource URI + updated_at (+ the no-show URI).
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
  const noShow = envelope.event.startsWith("invitee_no_show") ? (p.no_show?.uri ?? "") : "";
  return ["calendly", envelope.event, p.uri, p.updated_at ?? envelope.created_at, noShow].join("|");
}
