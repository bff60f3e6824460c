/**
 * The scope switch of the fake Calendly (/sandbox/calendly/control/scopes): make the NEXT
 * authorization grant leave out some of the scopes the app asks for, as a coach who unticks a
 * permission on Calendly's consent screen would. One-shot: the approval that uses it clears it, so
 * the following sign-in (the "reconnect") gets everything again.
 */
import { eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { sbKv } from "../db/schema";
import { KNOWN_SCOPES } from "./scopes";
import { type SandboxDb, sandboxDb } from "./store";

const KEY = "scope-grant";
const Withhold = z.object({ withhold: z.array(z.enum(KNOWN_SCOPES)).min(1) });

async function pending(db: SandboxDb): Promise<string[]> {
  const row = await db.query.sbKv.findFirst({ where: eq(sbKv.key, KEY) });
  return row ? (JSON.parse(row.value) as string[]) : [];
}

/** The scopes to hold back from this grant; taking them clears the switch (one delete, no race). */
export async function takeWithheldScopes(db: SandboxDb): Promise<string[]> {
  const [row] = await db.delete(sbKv).where(eq(sbKv.key, KEY)).returning();
  return row ? (JSON.parse(row.value) as string[]) : [];
}

const answer = async (c: Context<AppEnv>) =>
  c.json({ withhold: await pending(sandboxDb(c.env)), appliesTo: "next authorization" });

export const calendlyScopeControl = new Hono<AppEnv>()
  .get("/control/scopes", answer)
  .post("/control/scopes", async (c) => {
    const body = Withhold.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) {
      return c.json(
        {
          title: "Invalid Argument",
          message: "Send {withhold: [scope, …]} with known Calendly scopes.",
          details: body.error.issues.map((i) => ({
            parameter: i.path.join("."),
            message: i.message,
          })),
        },
        400,
      );
    }
    const value = JSON.stringify(body.data.withhold);
    await sandboxDb(c.env)
      .insert(sbKv)
      .values({ key: KEY, value })
      .onConflictDoUpdate({ target: sbKv.key, set: { value } });
    return answer(c);
  })
  .delete("/control/scopes", async (c) => {
    await takeWithheldScopes(sandboxDb(c.env));
    return answer(c);
  });
