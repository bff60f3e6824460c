/** Signs in through the real sandbox Calendly (authorize with `sandbox_user`, token, users/me). */
import { env, exports } from "cloudflare:workers";
import { callback, startSignIn } from "./sign-in";

export async function sandboxSignIn(email: string) {
  const { jar, authorize } = await startSignIn();
  authorize.searchParams.set("sandbox_user", email);
  const approved = await exports.default.fetch(authorize.toString(), { redirect: "manual" });
  if (approved.status !== 302)
    throw new Error(`authorize answered ${approved.status}: ${await approved.text()}`);
  const back = new URL(approved.headers.get("location") ?? "");
  const res = await callback(jar, Object.fromEntries(back.searchParams));
  return { jar, res };
}

/**
 * Waits until the work a sign-in starts in the background (the import sync and the webhook
 * subscription) has finished, so a test that counts upstream calls or breaks Calendly on purpose
 * only sees its own calls.
 */
export async function signInSettled(coachId: string) {
  for (let i = 0; i < 300; i++) {
    const row = await env.DB.prepare(
      `select (select count(*) from sync_runs where coach_id = ?1 and status = 'running') as running,
              (select count(*) from webhook_subscriptions where coach_id = ?1) as subscribed`,
    )
      .bind(coachId)
      .first<{ running: number; subscribed: number }>();
    if (row && row.running === 0 && row.subscribed > 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the sign-in's background work did not finish");
}
