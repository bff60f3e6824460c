/** Dates for the client, in the time zone they chose (Intl only: no date library in this bundle). */

export const detectedTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

export const allTimeZones = (): string[] => {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf?.("timeZone") ?? [detectedTimeZone()];
};

/** "2026-12-07" in `timeZone`: groups slots by the client's calendar day. */
export const dayKey = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(new Date(iso));

export const dayLabel = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat(undefined, {
    timeZone,
    weekday: "short",
    month: "short",
    day: "numeric",
  }).format(new Date(iso));

export const timeLabel = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat(undefined, { timeZone, hour: "numeric", minute: "2-digit" }).format(
    new Date(iso),
  );

export const fullLabel = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat(undefined, {
    timeZone,
    weekday: "long",
    month: "long",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(new Date(iso));

/** Slots grouped by day, in order. */
export function byDay(slots: string[], timeZone: string): [string, string[]][] {
  const days = new Map<string, string[]>();
  for (const slot of slots) {
    const key = dayKey(slot, timeZone);
    days.set(key, [...(days.get(key) ?? []), slot]);
  }
  return [...days.entries()];
}
