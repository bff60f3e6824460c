/**
 * The copy every kind starts with, until the coach edits it (Settings → Messages). Only the subject
 * and the opening copy are editable: the facts a message must carry (the time in the recipient's
 * zone, the old time, who canceled, the manage link, the invite) are laid out by the renderer, so
 * no edit can drop them.
 */
import type { NotificationKind } from "../kinds";

export type TemplateCopy = { subject: string; body: string };

export const DEFAULT_TEMPLATES: Record<NotificationKind, TemplateCopy> = {
  booking_confirmation: {
    subject: "Confirmed: {{event_name}} with {{coach_name}} on {{session_date}}",
    body: "Hi {{client_first_name}},\n\nYou're booked for {{event_name}} with {{coach_name}}. The details are below, and the attached invite adds the session to your calendar.\n\nIf your plans change, you can reschedule or cancel from the link below.",
  },
  reminder: {
    subject: "Reminder: {{event_name}} with {{coach_name}} {{reminder_lead}}",
    body: "Hi {{client_first_name}},\n\nA quick reminder that your {{event_name}} with {{coach_name}} starts {{reminder_lead}}.",
  },
  reschedule_notice: {
    subject: "Rescheduled: {{event_name}} with {{coach_name}} is now {{session_date}}",
    body: "Hi {{client_first_name}},\n\nYour {{event_name}} with {{coach_name}} has moved to a new time. The new time is below; the attached invite updates your calendar.",
  },
  cancellation_notice: {
    subject: "Canceled: {{event_name}} with {{coach_name}} on {{session_date}}",
    body: "Hi {{client_first_name}},\n\nYour {{event_name}} with {{coach_name}} has been canceled. If you'd like to meet another time, you can book again below.",
  },
  modification_notice: {
    subject: "Updated: {{event_name}} with {{coach_name}} on {{session_date}}",
    body: "Hi {{client_first_name}},\n\nThe details of your {{event_name}} with {{coach_name}} have changed ({{changes}}). The current details are below; the attached invite updates your calendar.",
  },
  follow_up: {
    subject: "Thanks for your {{event_name}}, {{client_first_name}}",
    body: "Hi {{client_first_name}},\n\nThank you for your session with {{coach_name}}. Whenever you're ready for the next one, you can book it below.",
  },
  feedback_request: {
    subject: "How was your {{event_name}} with {{coach_name}}?",
    body: "Hi {{client_first_name}},\n\n{{coach_name}} would love to hear how your session went. It takes a minute.",
  },
  coach_new_booking: {
    subject: "New booking: {{client_name}} — {{event_name}} on {{session_date}}",
    body: "{{client_name}} booked {{event_name}} with you.",
  },
  coach_cancellation: {
    subject: "Canceled: {{client_name}} — {{event_name}} on {{session_date}}",
    body: "{{canceled_by}} canceled {{event_name}} with {{client_name}}.",
  },
  coach_daily_agenda: {
    subject: "Your agenda for {{agenda_date}}: {{agenda_count}} session(s)",
    body: "Good morning {{coach_name}}, here is your day.",
  },
  coach_connection_attention: {
    subject: "Action needed: your {{provider}} connection",
    body: "Your {{provider}} connection {{problem}}. Until it is fixed, Kairos cannot keep your sessions in step.",
  },
};
