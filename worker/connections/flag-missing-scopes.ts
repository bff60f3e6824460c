/**
 * Marks a Calendly connection `needs_reconnect` because its grant lacks scopes Kairos needs, with
 * the reason in the coach's words (./calendly-scopes.ts). At sign-in the granted `scope` says what
 * is missing; at call time Calendly's 403 "Insufficient scope" does, and then Calendly is believed
 * over the stored grant: the scopes column drops what it refused.
 */
import { and, eq } from "drizzle-orm";
import { getConnection, setConnectionStatus } from "../db/connections";
import { providerConnections } from "../db/schema";
import type { CoachScope } from "../env";
import { missingScopesOf, needsAccessMessage } from "./calendly-scopes";

/** A grant that lacks scopes: the connection needs reconnecting, saying what is missing. */
export async function flagMissingScopes(scope: CoachScope, missing: readonly string[]) {
  await setConnectionStatus(scope, "calendly", "needs_reconnect", needsAccessMessage(missing));
}

/** After a failed Calendly call: a no-op unless the error is an insufficient-scope refusal. */
export async function flagIfInsufficientScope(scope: CoachScope, err: unknown) {
  const missing = missingScopesOf(err);
  const row = missing && (await getConnection(scope, "calendly"));
  if (!missing || !row) return;
  const refused = new Set(missing.flatMap((s) => [s, s.replace(/:read$/, ":write")]));
  const kept = row.scopes
    .split(" ")
    .filter((s) => s && !refused.has(s))
    .join(" ");
  await scope.db
    .update(providerConnections)
    .set({
      scopes: kept,
      status: "needs_reconnect",
      lastError: needsAccessMessage(missing),
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(providerConnections.coachId, scope.coachId),
        eq(providerConnections.provider, "calendly"),
      ),
    );
}
