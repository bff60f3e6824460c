/**
 * Meeting instance UUIDs as Zoom reads them in a path (contract §2): the server decodes a segment
 * once; a UUID that starts with `/` or contains `//` only survives when it was encoded twice, so a
 * single-encoded one is not found (404 3001). Twice-encoded UUIDs are decoded once more; a third
 * encoding is left encoded and finds nothing. A control can set the next UUID handed out.
 */
import { eq } from "drizzle-orm";
import { szKv } from "../db/zoom-schema";
import type { ZoomDb } from "./store";

/** The UUID (or numeric meeting id) a raw path segment names, or null when Zoom would find none. */
export function uuidFromPathSegment(raw: string): string | null {
  if (!raw || raw.includes("/")) return null; // an unencoded slash splits the path
  try {
    const once = decodeURIComponent(raw);
    if (once.includes("%")) return decodeURIComponent(once);
    return once.startsWith("/") || once.includes("//") ? null : once;
  } catch {
    return null;
  }
}

const NEXT = "next_uuid";

/** Sets (or with null clears) the UUID the next meeting or instance gets. */
export async function setNextUuid(db: ZoomDb, uuid: string | null) {
  if (uuid === null) await db.delete(szKv).where(eq(szKv.key, NEXT));
  else
    await db
      .insert(szKv)
      .values({ key: NEXT, value: uuid })
      .onConflictDoUpdate({ target: szKv.key, set: { value: uuid } });
}

export async function peekNextUuid(db: ZoomDb): Promise<string | null> {
  return (await db.query.szKv.findFirst({ where: eq(szKv.key, NEXT) }))?.value ?? null;
}

/** A fresh instance UUID: the one the control set (used once), else 16 random bytes in base64. */
export async function takeUuid(db: ZoomDb): Promise<string> {
  const rows = await db.delete(szKv).where(eq(szKv.key, NEXT)).returning({ value: szKv.value });
  const preset = rows[0]?.value;
  if (preset) return preset;
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
