/**
 * CSV exports (RFC 4180: header row, CRLF, quoting by csv-stringify). Every text cell goes through
 * `neutralizeFormula`, so a client who books as "=HYPERLINK(…)" cannot run a formula in the coach's
 * spreadsheet (OWASP "CSV injection").
 */
import { stringify } from "csv-stringify/sync";
import { type ExportSession, locationOf } from "./sessions";

/** Cells a spreadsheet would read as a formula get a leading single quote. */
export const neutralizeFormula = (value: string) =>
  /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;

type Column<T> = { header: string; value: (row: T) => string | boolean | null | undefined };

export function toCsv<T>(columns: Column<T>[], rows: T[]): string {
  return stringify(
    rows.map((row) => columns.map((c) => c.value(row) ?? "")),
    {
      header: true,
      columns: columns.map((c) => c.header),
      record_delimiter: "windows",
      cast: {
        string: neutralizeFormula,
        boolean: (v) => (v ? "yes" : "no"),
      },
    },
  );
}

const distinct = (values: (string | null)[]) => [
  ...new Set(values.filter((v): v is string => !!v)),
];

export const SESSION_COLUMNS: Column<ExportSession>[] = [
  { header: "Session ID", value: (s) => s.id },
  { header: "Start (UTC)", value: (s) => s.startsAt.toISOString() },
  { header: "End (UTC)", value: (s) => s.endsAt.toISOString() },
  { header: "Status", value: (s) => s.status },
  { header: "Event", value: (s) => s.name },
  { header: "Event type URI", value: (s) => s.eventTypeUri },
  { header: "Location type", value: (s) => locationOf(s)?.type },
  { header: "Join URL", value: (s) => locationOf(s)?.joinUrl },
  { header: "Invitee names", value: (s) => s.invitees.map((i) => i.name).join("; ") },
  { header: "Invitee emails", value: (s) => s.invitees.map((i) => i.email).join("; ") },
  { header: "No-show", value: (s) => s.invitees.some((i) => i.noShowUri !== null) },
  {
    header: "Canceled by",
    value: (s) => distinct(s.invitees.map((i) => i.canceledBy)).join("; "),
  },
  {
    header: "Cancel reason",
    value: (s) => s.cancelReason || distinct(s.invitees.map((i) => i.cancelReason)).join("; "),
  },
];

type InviteeLine = { session: ExportSession; invitee: ExportSession["invitees"][number] };

export const INVITEE_COLUMNS: Column<InviteeLine>[] = [
  { header: "Session ID", value: (r) => r.session.id },
  { header: "Session start (UTC)", value: (r) => r.session.startsAt.toISOString() },
  { header: "Event", value: (r) => r.session.name },
  { header: "Invitee name", value: (r) => r.invitee.name },
  { header: "Email", value: (r) => r.invitee.email },
  { header: "Status", value: (r) => r.invitee.status },
  { header: "No-show", value: (r) => r.invitee.noShowUri !== null },
  { header: "Rescheduled", value: (r) => r.invitee.rescheduled },
  { header: "Canceled by", value: (r) => r.invitee.canceledBy },
  { header: "Cancel reason", value: (r) => r.invitee.cancelReason },
];

export const sessionsCsv = (list: ExportSession[]) => toCsv(SESSION_COLUMNS, list);

export const inviteesCsv = (list: ExportSession[]) =>
  toCsv(
    INVITEE_COLUMNS,
    list.flatMap((session) => session.invitees.map((invitee) => ({ session, invitee }))),
  );
