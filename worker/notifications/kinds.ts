/**
 * Every kind of message Kairos sends, who receives it and which preference category governs it.
 * The pipeline (outbox, queue, transports) and the renderer both key on these names; the names are
 * also the `{kind}` path segment of /api/notification-templates/{kind}, so never rename one.
 */

export const NOTIFICATION_KINDS = [
  // to the client (invitee)
  "booking_confirmation",
  "reminder",
  "reschedule_notice",
  "cancellation_notice",
  "modification_notice",
  "follow_up",
  "feedback_request",
  // to the coach
  "coach_new_booking",
  "coach_cancellation",
  "coach_daily_agenda",
  "coach_connection_attention",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * transactional: always sent (a client cannot opt out of being told their session moved);
 * reminders / follow_ups: honour the recipient's preferences and carry List-Unsubscribe.
 */
export const NOTIFICATION_CATEGORIES = ["transactional", "reminders", "follow_ups"] as const;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];

export type NotificationRecipient = "client" | "coach";

export type KindInfo = {
  recipient: NotificationRecipient;
  category: NotificationCategory;
  /** Whether the message is about a session still ahead, so it carries an .ics invite. */
  hasSession: boolean;
  /** A short label for the coach's Settings → Messages picker. */
  label: string;
};

export const KIND_INFO: Record<NotificationKind, KindInfo> = {
  booking_confirmation: {
    recipient: "client",
    category: "transactional",
    hasSession: true,
    label: "Booking confirmation",
  },
  reminder: { recipient: "client", category: "reminders", hasSession: true, label: "Reminder" },
  reschedule_notice: {
    recipient: "client",
    category: "transactional",
    hasSession: true,
    label: "Reschedule notice",
  },
  cancellation_notice: {
    recipient: "client",
    category: "transactional",
    hasSession: true,
    label: "Cancellation notice",
  },
  modification_notice: {
    recipient: "client",
    category: "transactional",
    hasSession: true,
    label: "Session changed",
  },
  follow_up: {
    recipient: "client",
    category: "follow_ups",
    hasSession: false,
    label: "Post-session follow-up",
  },
  feedback_request: {
    recipient: "client",
    category: "follow_ups",
    hasSession: false,
    label: "Feedback request",
  },
  coach_new_booking: {
    recipient: "coach",
    category: "transactional",
    hasSession: true,
    label: "New booking (to you)",
  },
  coach_cancellation: {
    recipient: "coach",
    category: "transactional",
    hasSession: true,
    label: "Cancellation (to you)",
  },
  // Opt-in digest: the coach turns it on and off in their own settings, so it is not "transactional".
  coach_daily_agenda: {
    recipient: "coach",
    category: "reminders",
    hasSession: false,
    label: "Daily agenda (to you)",
  },
  coach_connection_attention: {
    recipient: "coach",
    category: "transactional",
    hasSession: false,
    label: "Connection needs attention (to you)",
  },
};

export const isNotificationKind = (value: string): value is NotificationKind =>
  (NOTIFICATION_KINDS as readonly string[]).includes(value);

export const categoryOf = (kind: NotificationKind): NotificationCategory =>
  KIND_INFO[kind].category;
export const recipientOf = (kind: NotificationKind): NotificationRecipient =>
  KIND_INFO[kind].recipient;
