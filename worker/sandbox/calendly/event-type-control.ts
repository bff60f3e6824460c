/**
 * Control API for a coach's event types (/sandbox/calendly/control/event-types): create, update and
 * delete them as the coach would in Calendly's UI, each followed by the `event_type.created` /
 * `.updated` / `.deleted` webhook Calendly sends to subscriptions that asked for it.
 *
 * The payload of those webhooks ("Event Type Webhook Payload") is not in the OpenAPI copies or the
 * contract (§3.2 names the events only), so the fake sends the event type resource of
 * `GET /event_types/{uuid}` and nothing more: `updated_at` is the time of the change (receivers
 * dedupe on it), and a deleted type carries `deleted_at` and `active: false`. A deleted type is gone
 * from the API (404, not listed); its past events keep their `event_type` URI.
 */
import { and, eq, max } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env";
import { newId } from "../../lib/ids";
import { sbEventTypes, sbUsers } from "../db/schema";
import { eventTypeResource } from "./resources";
import { iso6, type SandboxDb, sandboxDb, uris } from "./store";
import { emit } from "./webhooks";

type User = typeof sbUsers.$inferSelect;
type EventType = typeof sbEventTypes.$inferSelect;

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "lower-case words joined by -");
const Create = z.object({
  coachEmail: z.email(),
  name: z.string().trim().min(1).max(55),
  slug: slug.optional(),
  duration: z.number().int().min(1).max(720),
  description: z.string().max(5000).optional(),
});
const Update = z
  .object({
    name: z.string().trim().min(1).max(55),
    duration: z.number().int().min(1).max(720),
    active: z.boolean(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, "Give name, duration or active.");

const notFound = (c: Context, message: string) =>
  c.json({ title: "Resource Not Found", message }, 404);

async function parse<T extends z.ZodType>(c: Context, schema: T) {
  const result = schema.safeParse(await c.req.json().catch(() => undefined));
  return result.success
    ? result.data
    : c.json(
        {
          title: "Invalid Argument",
          message: "Invalid request body.",
          details: result.error.issues.map((i) => ({
            parameter: i.path.join("."),
            message: i.message,
          })),
        },
        400,
      );
}

async function ownedType(db: SandboxDb, id: string) {
  const et = await db.query.sbEventTypes.findFirst({ where: eq(sbEventTypes.id, id) });
  const user = et && (await db.query.sbUsers.findFirst({ where: eq(sbUsers.id, et.userId) }));
  return et && user ? { et, user } : undefined;
}

/** Sends `event` about `et` (as it is now, with `patch` over the resource) to the owner's hooks. */
async function announce(
  c: Context<AppEnv>,
  user: User,
  et: EventType,
  event: string,
  patch: Record<string, unknown> = {},
) {
  const now = iso6(Date.now());
  const resource = eventTypeResource(c.env.CALENDLY_API_BASE, c.env.APP_URL, user, et);
  await emit(
    c.env,
    user.id,
    [
      {
        event,
        created_at: now,
        created_by: uris(c.env.CALENDLY_API_BASE).user(user.id),
        payload: { ...resource, updated_at: now, ...patch },
      },
    ],
    (p) => c.executionCtx.waitUntil(p),
  );
  return resource;
}

export const eventTypeControl = new Hono<AppEnv>()
  .post("/control/event-types", async (c) => {
    const body = await parse(c, Create);
    if (body instanceof Response) return body;
    const db = sandboxDb(c.env);
    const user = await db.query.sbUsers.findFirst({
      where: eq(sbUsers.email, body.coachEmail.toLowerCase()),
    });
    if (!user) return notFound(c, "No such coach.");
    const typeSlug = body.slug ?? body.name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const clash = await db.query.sbEventTypes.findFirst({
      where: and(eq(sbEventTypes.userId, user.id), eq(sbEventTypes.slug, typeSlug)),
    });
    if (clash) return c.json({ title: "Conflict", message: "That slug is taken." }, 409);
    const [last] = await db
      .select({ position: max(sbEventTypes.position) })
      .from(sbEventTypes)
      .where(eq(sbEventTypes.userId, user.id));
    const row = {
      id: newId("et"),
      userId: user.id,
      name: body.name,
      slug: typeSlug,
      duration: body.duration,
      kind: "solo" as const,
      position: (last?.position ?? -1) + 1,
      color: "#0ea5e9",
      description: body.description ?? null,
      createdAt: iso6(Date.now()),
    };
    const [et] = await db.insert(sbEventTypes).values(row).returning();
    if (!et) throw new Error("event type not stored");
    const resource = await announce(c, user, et, "event_type.created", {
      updated_at: et.createdAt,
    });
    return c.json({ resource }, 201);
  })
  .patch("/control/event-types/:id", async (c) => {
    const body = await parse(c, Update);
    if (body instanceof Response) return body;
    const db = sandboxDb(c.env);
    const found = await ownedType(db, c.req.param("id"));
    if (!found) return notFound(c, "No such event type.");
    await db.update(sbEventTypes).set(body).where(eq(sbEventTypes.id, found.et.id));
    const et = { ...found.et, ...body };
    return c.json({ resource: await announce(c, found.user, et, "event_type.updated") });
  })
  .delete("/control/event-types/:id", async (c) => {
    const db = sandboxDb(c.env);
    const found = await ownedType(db, c.req.param("id"));
    if (!found) return notFound(c, "No such event type.");
    await db.delete(sbEventTypes).where(eq(sbEventTypes.id, found.et.id));
    await announce(c, found.user, found.et, "event_type.deleted", {
      active: false,
      deleted_at: iso6(Date.now()),
    });
    return c.body(null, 204);
  });
