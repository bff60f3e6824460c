/**
 * Which no-show changes one sighting of an invitee proves, given the state Kairos held before it.
 * Pure, so every ordering can be tested. Calendly gives each mark a new URI and a clear always ends
 * the current mark, so marks and clears alternate; that is what lets a late or lost delivery be
 * filled in: a mark that is replaced by another state (a clear, or a later mark) was cleared.
 * Changes are named by the mark's URI, so webhooks and reconcile agree and duplicates collapse.
 */
export type NoShowState = { uri: string | null; at: Date | null };
export type NoShowChange = {
  type: "invitee.no_show_marked" | "invitee.no_show_cleared";
  uri: string;
};

export function noShowChanges(held: NoShowState, seen: { uri: string | null; at: Date }) {
  const changes: NoShowChange[] = [];
  const mark = (uri: string) => changes.push({ type: "invitee.no_show_marked", uri });
  const clear = (uri: string) => changes.push({ type: "invitee.no_show_cleared", uri });
  const newer = held.at === null || seen.at.getTime() >= held.at.getTime();
  if (newer) {
    if (held.uri && held.uri !== seen.uri) clear(held.uri);
    if (seen.uri && seen.uri !== held.uri) mark(seen.uri);
  } else if (seen.uri) {
    // A late sighting of a mark: it happened, and if a later state differs, it was cleared since.
    mark(seen.uri);
    if (seen.uri !== held.uri) clear(seen.uri);
  }
  // A late clear says nothing new: the mark it ended was either seen (and closed by the later
  // state) or lost with it.
  return changes;
}
