/** The set `utm_*` tags of a tracking record (Calendly sends every key, null when unset). */
export const utmTags = (tracking: Record<string, unknown> | null | undefined) =>
  Object.fromEntries(
    Object.entries(tracking ?? {}).filter(
      (e): e is [string, string] => e[0].startsWith("utm_") && typeof e[1] === "string",
    ),
  );
