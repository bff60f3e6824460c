/**
 * The mailto twin of one-click unsubscribe: List-Unsubscribe also offers
 * <mailto:u+{token}@{sending domain}>, and Email Routing on that domain delivers those mails to the
 * worker's email() handler (docs/deployment.md). The token in the address is the whole request; the
 * mail itself is never read or kept. Anything else sent to the worker is refused.
 */
import { createDb } from "../../db/client";
import { log } from "../../lib/log";
import { applyUnsubscribe } from "./unsubscribe";

const ADDRESS = /^u\+([0-9a-z.]{1,64})@/i;

export async function handleInboundEmail(
  message: { to: string; setReject(reason: string): void },
  env: Env,
) {
  const token = ADDRESS.exec(message.to)?.[1]?.toLowerCase();
  const done = token ? await applyUnsubscribe(createDb(env.DB), env.SESSION_SECRET, token) : null;
  if (!done) {
    log.info("notifications.inbound_email_refused", {});
    message.setReject("Unknown address.");
  }
}
