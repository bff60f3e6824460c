/**
 * The fake's webhook failure modes (`POST /control/settings {webhookMode}`) as what happens to each
 * delivery: sent now, held back until after the next action (or the cron, HOLD_MS later), delayed
 * to the next cron run, or lost. Calendly promises neither order nor exactly-once, and the cases
 * that hurt a receiver cross actions: a cancel that arrives before its booking, or a stale copy of
 * the booking that arrives after the cancel. Pure; `random` is injected for chaos.
 */
import type { Settings } from "./store";

export type WebhookMode = Settings["webhookMode"];
export type Copy = "now" | "held" | "delayed" | "lost";

/** How long a held delivery waits for the next action before the cron sends it anyway. */
export const HOLD_MS = 10 * 60_000;

/**
 * The copies of one delivery. `holdThisAction` (out_of_order): nothing of this subscription is
 * held yet, so this action waits and the next one overtakes it.
 */
export function copiesOf(
  mode: WebhookMode,
  holdThisAction: boolean,
  random: () => number = Math.random,
): Copy[] {
  switch (mode) {
    case "lost":
      return ["lost"];
    case "delayed":
      return ["delayed"];
    case "duplicate": // back to back, and once more after whatever happens next
      return ["now", "now", "held"];
    case "out_of_order":
      return [holdThisAction ? "held" : "now"];
    case "chaos": {
      const r = random();
      if (r < 0.2) return ["lost"];
      if (r < 0.3) return ["now", "now"];
      if (r < 0.4) return ["now", "held"];
      if (r < 0.55) return ["held"];
      if (r < 0.7) return ["delayed"];
      return ["now"];
    }
    default:
      return ["now"];
  }
}

/** Modes in which held deliveries go out right after the next action's own deliveries. */
export const releasesHeld = (mode: WebhookMode) =>
  mode === "out_of_order" || mode === "duplicate" || mode === "chaos";

/** The order of one action's deliveries (a reschedule sends two). */
export function orderWithin<T>(items: T[], mode: WebhookMode, random = Math.random): T[] {
  if (mode === "out_of_order") return [...items].reverse();
  if (mode === "chaos") return [...items].sort(() => random() - 0.5);
  return items;
}
