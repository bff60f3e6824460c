/** Signs a sandbox coach in and imports their sessions (90 days back, 60 ahead) page by page. */
import { env } from "cloudflare:workers";
import { syncNextPage } from "../../../worker/bookings/reconcile";
import { createDb } from "../../../worker/db/client";
import { readyCoach } from "./public-booking";
import { syncWindow } from "./sync-run";

export async function importSessions(email: string) {
  const coach = await readyCoach(email);
  const scope = { db: createDb(env.DB), coachId: coach.id };
  await syncWindow(scope, {
    start: new Date(Date.now() - 90 * 86_400_000),
    end: new Date(Date.now() + 60 * 86_400_000),
  });
  return coach;
}
