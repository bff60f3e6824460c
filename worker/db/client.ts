import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export const createDb = (d1: D1Database) => drizzle(d1, { schema });
export type Database = ReturnType<typeof createDb>;

/** D1 binds at most 100 parameters per statement: run an `IN (…)` query over chunks and concat. */
export async function inChunks<V, R>(
  values: V[],
  query: (chunk: V[]) => Promise<R[]>,
  size = 90,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += size)
    out.push(...(await query(values.slice(i, i + size))));
  return out;
}
