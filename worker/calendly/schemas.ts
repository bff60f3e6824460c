/**
 * Zod shapes of the Calendly API v2 responses Kairos reads. Objects are loose (unknown fields pass)
 * so a new Calendly field never breaks parsing; only what Kairos uses is required.
 */
import { z } from "zod";
import { RequiredSafeLink, SafeLink } from "../lib/safe-url";

export const TokenResponse = z.looseObject({
  token_type: z.string(),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  created_at: z.number().int().optional(),
  scope: z.string().optional(),
  owner: z.string().optional(),
  organization: z.string().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

export const CalendlyUser = z.looseObject({
  uri: z.string(),
  name: z.string(),
  slug: z.string(),
  email: z.string(),
  scheduling_url: SafeLink,
  timezone: z.string(),
  current_organization: z.string().nullish(),
});
export type CalendlyUser = z.infer<typeof CalendlyUser>;

export const CalendlyEventType = z.looseObject({
  uri: z.string(),
  name: z.string(),
  active: z.boolean(),
  slug: z.string().nullish(),
  scheduling_url: RequiredSafeLink,
  duration: z.number().int(),
  kind: z.string(),
  secret: z.boolean().default(false),
  color: z.string().nullish(),
  description_plain: z.string().nullish(),
  position: z.number().int().default(0),
  custom_questions: z
    .array(
      z.looseObject({
        name: z.string(),
        type: z.enum(["string", "text", "phone_number", "single_select", "multi_select"]),
        position: z.number().int().default(0),
        enabled: z.boolean().default(true),
        required: z.boolean().default(false),
        answer_choices: z.array(z.string()).nullish(),
        include_other: z.boolean().default(false),
      }),
    )
    .nullish(),
  locations: z.array(z.looseObject({ kind: z.string(), location: z.string().nullish() })).nullish(),
  before_buffer: z.number().int().nullish(),
  after_buffer: z.number().int().nullish(),
});
export type CalendlyEventType = z.infer<typeof CalendlyEventType>;

export const Pagination = z.looseObject({
  count: z.number().int(),
  next_page: z.string().nullable(),
  next_page_token: z.string().nullable(),
});

export const resource = <T extends z.ZodType>(item: T) => z.looseObject({ resource: item });
export const collection = <T extends z.ZodType>(item: T) =>
  z.looseObject({ collection: z.array(item), pagination: Pagination });

export const WebhookSubscription = z.looseObject({
  uri: z.string(),
  callback_url: z.string(),
  state: z.enum(["active", "disabled"]),
  events: z.array(z.string()),
  retry_started_at: z.string().nullish(),
});
export type WebhookSubscription = z.infer<typeof WebhookSubscription>;

export type CreateSubscription = {
  url: string;
  events: string[];
  organization: string;
  user: string;
  scope: "user";
  signing_key: string;
};

/** The trailing id of a Calendly URI (path params take it, query params take the full URI). */
export const uuidOf = (uri: string) => uri.slice(uri.lastIndexOf("/") + 1);

export const AvailableTime = z.looseObject({
  status: z.string(),
  invitees_remaining: z.number().int().default(1),
  start_time: z.string(),
});

/** `POST /invitees` body (contract §2.10). */
export type CreateInvitee = {
  event_type: string;
  start_time: string;
  invitee: { email: string; name: string; timezone: string };
  location?: { kind: string; location?: string };
  questions_and_answers?: { question: string; answer: string; position: number }[];
  tracking?: Partial<
    Record<"utm_campaign" | "utm_source" | "utm_medium" | "utm_content" | "utm_term", string>
  >;
};

/** One item of GET /event_type_availability_schedules (shape [unverified]; parsed leniently). */
export const EventTypeSchedule = z.looseObject({
  availability_rule: z.looseObject({
    timezone: z.string(),
    rules: z.array(
      z.looseObject({
        type: z.enum(["wday", "date"]),
        wday: z.string().optional(),
        date: z.string().optional(),
        intervals: z.array(z.looseObject({ from: z.string(), to: z.string() })),
      }),
    ),
  }),
});
