/**
 * A meeting instance UUID as a path segment (contract §2): percent-encoded, and encoded twice when
 * it starts with `/` or contains `//` (Zoom decodes once more in that case; a single encoding is not
 * found, 404 `3001`). The one place Kairos builds such a segment.
 */
export function meetingUuidSegment(uuid: string): string {
  const once = encodeURIComponent(uuid);
  return uuid.startsWith("/") || uuid.includes("//") ? encodeURIComponent(once) : once;
}
