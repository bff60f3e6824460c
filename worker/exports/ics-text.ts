/**
 * RFC 5545 §3.3.11 TEXT escaping for the few values ical-generator writes verbatim: the calendar's
 * NAME / X-WR-CALNAME (and the UID, which we build from our own ids but escape anyway). Event
 * fields (summary, description, location, url) are escaped by the library itself; folding of
 * every long line is the library's too. A name from Calendly with "\r\n" must never start a line.
 */
export function icsText(value: string): string {
  return value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, "\\n");
}
