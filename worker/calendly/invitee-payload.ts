/**
 * The invitee payload of Calendly's invitee.* and invitee_no_show.* webhooks (also the shape of
 * GET …/invitees/{uuid} plus the embedded scheduled event). Tolerant: unknown fields and unknown
 * location types pass through.
 */
import { z } from "zod";
import { SafeLink } from "../lib/safe-url";
import { utmTags } from "../lib/utm";

const ts = z.string().transform((s, ctx) => {
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: "custom", message: "not a timestamp" });
    return z.NEVER;
  }
  return new Date(ms);
});

export const ScheduledEventPayload = z.looseObject({
  uri: z.string(),
  name: z.string(),
  status: z.enum(["active", "canceled"]),
  start_time: ts,
  end_time: ts,
  event_type: z.string().nullish(),
  // Links are checked here, where they enter: a `javascript:` join_url is stored as null.
  location: z.looseObject({ type: z.string(), join_url: SafeLink }).nullish(),
  created_at: ts.optional(),
  updated_at: ts.optional(),
});

const inviteeFields = {
  uri: z.string(),
  email: z.string(),
  name: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  status: z.enum(["active", "canceled"]),
  timezone: z.string().nullish(),
  updated_at: ts,
  rescheduled: z.boolean().default(false),
  old_invitee: z.string().nullish(),
  new_invitee: z.string().nullish(),
  no_show: z.looseObject({ uri: z.string() }).nullish(),
  reschedule_url: SafeLink,
  questions_and_answers: z
    .array(z.looseObject({ question: z.string(), answer: z.string(), position: z.number() }))
    .nullish()
    .transform((qa) =>
      (qa ?? []).map(({ question, answer, position }) => ({ question, answer, position })),
    )
    // Shown on screen only: an unexpected shape must never cost us the booking itself.
    .catch([]),
  tracking: z.record(z.string(), z.unknown()).nullish().transform(utmTags).catch({}),
  payment: z
    .looseObject({
      external_id: z.string().nullish(),
      provider: z.string().nullish(),
      amount: z.number().nullish(),
      currency: z.string().nullish(),
      terms: z.string().nullish(),
      successful: z.boolean().nullish(),
    })
    .nullish()
    .transform((p) =>
      p
        ? {
            externalId: p.external_id ?? null,
            provider: p.provider ?? null,
            amount: p.amount ?? null,
            currency: p.currency ?? null,
            terms: p.terms ?? null,
            successful: p.successful ?? null,
          }
        : null,
    )
    .catch(null),
  cancellation: z
    .looseObject({
      canceled_by: z.string().nullish(),
      reason: z.string().nullish(),
      canceler_type: z.string().nullish(),
    })
    .nullish(),
};

/** An invitee as GET …/invitees returns it (the webhook payload without `scheduled_event`). */
export const ApiInvitee = z.looseObject(inviteeFields);
export const InviteePayload = z.looseObject({
  ...inviteeFields,
  scheduled_event: ScheduledEventPayload,
});
export type InviteePayload = z.infer<typeof InviteePayload>;

export const inviteeName = (p: InviteePayload) =>
  p.name ?? ([p.first_name, p.last_name].filter(Boolean).join(" ") || p.email);

/** What `POST /invitees` answers: the invitee with its event and self-service links. */
export const CreatedInvitee = z.looseObject({
  ...inviteeFields,
  event: z.string(),
  cancel_url: SafeLink,
});
