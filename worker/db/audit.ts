/** Append-only audit trail of what happened to a coach's account and by whom. */

import { newId } from "../lib/ids";
import type { Database } from "./client";
import { auditLog } from "./schema";

export function audit(
  db: Database,
  entry: {
    coachId: string | null;
    actor: string;
    action: string;
    subject?: string;
    detail?: Record<string, unknown>;
  },
) {
  return db.insert(auditLog).values({ id: newId("aud"), ...entry });
}
