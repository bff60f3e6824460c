/**
 * The keyset page the connection fan-outs share: coach ids with a connected Calendly connection
 * (and `also`, if given), after `after`, in coach-id order. One statement, on the
 * (provider, status, coach_id) prefix of provider_connections.
 */
import { and, asc, eq, gt, type SQL } from "drizzle-orm";
import type { Database } from "../db/client";
import { providerConnections } from "../db/schema";
import { FAN_OUT_PAGE } from "./fan-out";

export async function connectedCalendlyCoachPage(db: Database, after: string | null, also?: SQL) {
  const rows = await db
    .select({ coachId: providerConnections.coachId })
    .from(providerConnections)
    .where(
      and(
        eq(providerConnections.provider, "calendly"),
        eq(providerConnections.status, "connected"),
        also,
        after === null ? undefined : gt(providerConnections.coachId, after),
      ),
    )
    .orderBy(asc(providerConnections.coachId))
    .limit(FAN_OUT_PAGE);
  return rows.map((r) => r.coachId);
}
