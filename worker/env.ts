/** The Hono environment shared by every route: bindings plus per-request variables. */
import type { Database } from "./db/client";

export type CoachScope = { db: Database; coachId: string };

export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    db: Database;
    /** Set by requireCoach(); every coach-owned query takes it first. */
    scope: CoachScope;
  };
};
