/**
 * Seeds many Calendly-connected coaches fast: multi-row INSERTs of literal values (no bound
 * parameters, so D1's 100-parameter limit does not apply), a few hundred rows a statement.
 */
import { env } from "cloudflare:workers";

export type SeedOptions = {
  /** Id prefix, so several seeds in one file do not collide. */
  prefix: string;
  /** Access tokens expire this soon (ms from now); far in the future by default. */
  expiresInMs?: number;
  /** Ciphertext key version of the stored tokens ("v2" is the newest tests configure). */
  keyVersion?: string;
};

export async function seedConnectedCoaches(count: number, options: SeedOptions) {
  const { prefix, expiresInMs = 7 * 86_400_000, keyVersion = "v2" } = options;
  const ids = Array.from(
    { length: count },
    (_, i) => `coa_${prefix}_${String(i).padStart(6, "0")}`,
  );
  const expires = Date.now() + expiresInMs;
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < ids.length; i += 250) {
    const chunk = ids.slice(i, i + 250);
    statements.push(
      env.DB.prepare(
        `insert into coaches (id, calendly_user_uri, name, email, time_zone, slug) values ${chunk
          .map(
            (id) =>
              `('${id}', 'https://api.calendly.test/users/${id}', 'Coach', '${id}@coach.test', 'UTC', '${id}')`,
          )
          .join(", ")}`,
      ),
      env.DB.prepare(
        `insert into provider_connections (id, coach_id, provider, external_user_id, status, access_token_enc, refresh_token_enc, access_expires_at) values ${chunk
          .map(
            (id) =>
              `('con_${id}', '${id}', 'calendly', '${id}', 'connected', '${keyVersion}.iv.a', '${keyVersion}.iv.r', ${expires})`,
          )
          .join(", ")}`,
      ),
    );
  }
  await env.DB.batch(statements);
  return ids;
}
