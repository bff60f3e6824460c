/**
 * Daily sweep, the second half of key rotation (the first is lazy: CoachGuard re-encrypts whatever it
 * reads with an old key). One `tokens.rekey` job per coach holding any ciphertext not made with the
 * newest key in ENCRYPTION_KEYS; the coach's CoachGuard re-encrypts. Old keys can be removed once a
 * sweep finds nothing (see docs/deployment.md). Keyset pages of 100 coaches (./fan-out.ts).
 */
import { sql } from "drizzle-orm";
import { createDb } from "../db/client";
import { log } from "../lib/log";
import { FAN_OUT_PAGE, fanOut, nextKey } from "./fan-out";

export const newestKeyVersion = (keys: string) => keys.split(",")[0]?.trim().split(":")[0] ?? "";

export async function fanOutKeyRotation(env: Env): Promise<number> {
  const db = createDb(env.DB);
  const current = `${newestKeyVersion(env.ENCRYPTION_KEYS)}.%`;
  const sent = await fanOut(env, { task: "key_rotation", maxPages: 500 }, async (after) => {
    const rows = await db.all<{ coachId: string }>(sql`
      select coachId from (
        select coach_id as coachId from provider_connections
          where access_token_enc not like ${current} or refresh_token_enc not like ${current}
        union
        select coach_id as coachId from webhook_subscriptions where signing_key_enc not like ${current})
      where coachId > ${after ?? ""}
      order by coachId
      limit ${FAN_OUT_PAGE}`);
    return {
      jobs: rows.map((r) => ({ type: "tokens.rekey" as const, coachId: r.coachId })),
      next: nextKey(rows, (r) => r.coachId),
    };
  });
  // Operators remove an old key once this reports 0 (docs/auth-flow.md, key rotation).
  log.info("keys.rotation_sweep", { coachesWithOldCiphertext: sent });
  return sent;
}
