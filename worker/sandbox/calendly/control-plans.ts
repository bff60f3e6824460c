/**
 * Control API for the fake Calendly's plan switches (/sandbox/calendly/control/plan and
 * /control/scheduling): which billing tier a coach is on (rate limits, `POST /invitees` windows,
 * plan-gated webhook events; see plans.ts), and how `POST /invitees` answers a slot that is taken.
 */
import { eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { sbUsers } from "../db/schema";
import {
  getPlan,
  getSlotTakenAnswer,
  inviteeLimits,
  PLANS,
  type Plan,
  requestsPerMinute,
  setPlan,
  setSlotTakenAnswer,
} from "./plans";
import { sandboxDb } from "./store";

const PlanBody = z.object({ coachEmail: z.email(), plan: z.enum(PLANS) });
const SchedulingBody = z.object({ slotTakenStatus: z.union([z.literal(404), z.literal(400)]) });

const planView = (plan: Plan) => ({
  plan,
  requestsPerMinute: requestsPerMinute(plan),
  createInvitee: inviteeLimits(plan),
});

async function userByEmail(env: Env, email: string) {
  return sandboxDb(env).query.sbUsers.findFirst({
    where: eq(sbUsers.email, email.toLowerCase()),
  });
}

const noCoach = (c: Context) =>
  c.json({ title: "Resource Not Found", message: "No such coach." }, 404);

export const calendlyPlanControl = new Hono<AppEnv>()
  .get("/control/plan", async (c) => {
    const user = await userByEmail(c.env, c.req.query("coachEmail") ?? "");
    if (!user) return noCoach(c);
    return c.json(planView(await getPlan(sandboxDb(c.env), user.id)));
  })
  .post("/control/plan", async (c) => {
    const body = PlanBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) {
      return c.json({ title: "Invalid Argument", message: "Give coachEmail and a plan." }, 400);
    }
    const user = await userByEmail(c.env, body.data.coachEmail);
    if (!user) return noCoach(c);
    await setPlan(sandboxDb(c.env), user.id, body.data.plan);
    return c.json(planView(body.data.plan));
  })
  .get("/control/scheduling", async (c) =>
    c.json({ slotTakenStatus: await getSlotTakenAnswer(sandboxDb(c.env)) }),
  )
  .post("/control/scheduling", async (c) => {
    const body = SchedulingBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) {
      return c.json({ title: "Invalid Argument", message: "slotTakenStatus is 404 or 400." }, 400);
    }
    await setSlotTakenAnswer(sandboxDb(c.env), body.data.slotTakenStatus);
    return c.json(body.data);
  });
