/**
 * Personal access tokens of the fake Calendly, and which key signs a new subscription's webhooks.
 * Calendly signs every webhook of an OAuth app with the app's one signing key (our
 * CALENDLY_WEBHOOK_SIGNING_KEY); only subscriptions made with a personal access token are signed
 * with the `signing_key` given on create (contract §3.5). So the fake must know which kind of token
 * made a subscription: PATs carry their own prefix, and are made through the control API (a Calendly
 * user makes one under Integrations → API & Webhooks). They never expire and carry the scopes asked.
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { randomToken } from "../../lib/ids";
import { sbTokens, sbUsers } from "../db/schema";
import { sandboxDb } from "./store";

const PERSONAL_TOKEN_PREFIX = "sbx_pat_";

const isPersonalToken = (authorization: string | undefined) =>
  authorization?.startsWith(`Bearer ${PERSONAL_TOKEN_PREFIX}`) ?? false;

/**
 * The key to store on a new subscription; null = sign with the app-wide key. A `signing_key` sent
 * with an OAuth token is not honoured (whether Calendly honours it is unverified; not honouring it
 * is the stricter choice, and exercises the receiver's app-key path). A PAT subscription created
 * without one gets a key nobody knows (also unverified): its deliveries then verify with nothing.
 */
export function subscriptionSigningKey(
  authorization: string | undefined,
  given: string | undefined,
): string | null {
  if (!isPersonalToken(authorization)) return null;
  return given ?? randomToken(32);
}

const PersonalTokenBody = z.object({
  coachEmail: z.email(),
  scope: z.string().trim().min(1),
});

export const personalTokenControl = new Hono<AppEnv>().post(
  "/control/personal-tokens",
  async (c) => {
    const body = PersonalTokenBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) {
      return c.json(
        { title: "Invalid Argument", message: "Give coachEmail and a space-separated scope." },
        400,
      );
    }
    const db = sandboxDb(c.env);
    const user = await db.query.sbUsers.findFirst({
      where: eq(sbUsers.email, body.data.coachEmail.toLowerCase()),
    });
    if (!user) return c.json({ title: "Resource Not Found", message: "No such coach." }, 404);
    const token = `${PERSONAL_TOKEN_PREFIX}${randomToken(32)}`;
    await db.insert(sbTokens).values({
      token,
      kind: "access",
      userId: user.id,
      expiresAt: null,
      meta: { scope: body.data.scope, personal: "true" },
      createdAt: Date.now(),
    });
    return c.json({ token, scope: body.data.scope }, 201);
  },
);
