/** Coaches for the delivery tests, and the app called with extra bindings (a webhook secret). */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { createDb } from "../../../../worker/db/client";
import type { CoachScope } from "../../../../worker/env";
import worker from "../../../../worker/index";

export const RESEND_SECRET = "whsec_a2Fpcm9zLXRlc3QtcmVzZW5kLXdlYmhvb2stc2VjcmV0";

export const testEnv = (extra: Partial<Env> = {}) =>
  ({ ...env, RESEND_WEBHOOK_SECRET: RESEND_SECRET, ...extra }) as Env;

export async function seedCoach(id: string): Promise<CoachScope> {
  await env.DB.prepare(
    "insert into coaches (id, calendly_user_uri, name, email, time_zone, slug) values (?, ?, ?, ?, 'UTC', ?)",
  )
    .bind(id, `https://api.calendly.test/users/${id}`, `Coach ${id}`, `${id}@coach.test`, id)
    .run();
  return { db: createDb(env.DB), coachId: id };
}

export const call = (req: Request, bindings: Env = testEnv()) =>
  worker.fetch(req, bindings, createExecutionContext());

export const tokenOf = (listUnsubscribe: string) => {
  const m = /<https?:\/\/[^>]+\/u\/([^>]+)>/.exec(listUnsubscribe);
  if (!m?.[1]) throw new Error(`no https link in ${listUnsubscribe}`);
  return m[1];
};
