/**
 * The Zoom webhook envelope as Kairos stores it, and its dedupe key. Zoom sends no delivery id, so
 * an event is identified by type + meeting uuid + participant + event time (contract §4.4).
 */
import { z } from "zod";

export const ZoomEnvelope = z.looseObject({
  event: z.string().min(1),
  event_ts: z.number(),
  payload: z.looseObject({
    plainToken: z.string().optional(),
    object: z
      .looseObject({
        uuid: z.string().optional(),
        participant: z
          .looseObject({ participant_uuid: z.string().optional(), user_id: z.string().optional() })
          .optional(),
      })
      .optional(),
  }),
});
export type ZoomEnvelope = z.infer<typeof ZoomEnvelope>;

export function zoomDedupeKey(envelope: ZoomEnvelope): string {
  const o = envelope.payload.object;
  const who = o?.participant?.participant_uuid ?? o?.participant?.user_id ?? "";
  return ["zoom", envelope.event, o?.uuid ?? "", who, envelope.event_ts].join("|");
}

const Routing = z.looseObject({
  account_id: z.string().optional(),
  user_id: z.string().optional(),
  object: z.looseObject({ host_id: z.string().optional() }).optional(),
});

/**
 * Whose event this is (contract §4.1): the Zoom user (meeting events name the host in
 * `object.host_id`, `app_deauthorized` the user in `user_id`) and the account. Read only after the
 * signature was verified.
 */
export function zoomRoutingOf(envelope: ZoomEnvelope): { userId: string; accountId?: string } {
  const p = Routing.safeParse(envelope.payload);
  if (!p.success) return { userId: "" };
  return {
    userId: p.data.object?.host_id ?? p.data.user_id ?? "",
    accountId: p.data.account_id || undefined,
  };
}
