/**
 * Named availability templates (GET/POST /api/availability/templates, DELETE …/{id}): weekly blocks a
 * coach saves from the calendar and applies to any event type. Saving an existing name replaces it.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { availabilityTemplates } from "../db/schema";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { WEEKDAYS } from "../schemas/availability";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { apiRoutes, coachOnly } from "./factory";

const Block = z
  .object({
    day: z.enum(WEEKDAYS),
    start: z.number().int().min(0).max(1440).multipleOf(5),
    end: z.number().int().min(0).max(1440).multipleOf(5),
  })
  .refine((b) => b.start < b.end, { message: "A block must end after it starts.", path: ["end"] });

const Template = z
  .object({ id: z.string(), name: z.string(), blocks: z.array(Block) })
  .openapi("AvailabilityTemplate");

const list = createRoute({
  ...coachOnly,
  method: "get",
  path: "/availability/templates",
  tags: ["Availability"],
  summary: "The coach's saved availability templates",
  responses: { 200: json(z.object({ items: z.array(Template) }), "Templates"), ...guardedErrors },
});

const save = createRoute({
  ...coachOnly,
  method: "post",
  path: "/availability/templates",
  tags: ["Availability"],
  summary: "Save weekly blocks under a name (replacing a template of the same name)",
  request: {
    body: {
      content: {
        "application/json": {
          schema: z.object({
            name: z.string().trim().min(1, "Give the template a name.").max(80),
            blocks: z.array(Block).max(200),
          }),
        },
      },
    },
  },
  responses: {
    200: json(Template, "Saved"),
    400: json(ErrorBody, "Invalid template"),
    ...guardedErrors,
  },
});

const remove = createRoute({
  ...coachOnly,
  method: "delete",
  path: "/availability/templates/{id}",
  tags: ["Availability"],
  summary: "Delete a template",
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: {
    200: json(z.object({ ok: z.literal(true) }), "Deleted"),
    404: json(ErrorBody, "No such template"),
    ...guardedErrors,
  },
});

export const availabilityTemplateRoutes = apiRoutes()
  .openapi(list, async (c) => {
    const { db, coachId } = c.var.scope;
    const items = await db
      .select({
        id: availabilityTemplates.id,
        name: availabilityTemplates.name,
        blocks: availabilityTemplates.blocks,
      })
      .from(availabilityTemplates)
      .where(eq(availabilityTemplates.coachId, coachId))
      .orderBy(asc(availabilityTemplates.name));
    return c.json({ items: items as z.infer<typeof Template>[] }, 200);
  })
  .openapi(save, async (c) => {
    const { db, coachId } = c.var.scope;
    const { name, blocks } = c.req.valid("json");
    const [row] = await db
      .insert(availabilityTemplates)
      .values({ id: newId("tpl"), coachId, name, blocks })
      .onConflictDoUpdate({
        target: [availabilityTemplates.coachId, availabilityTemplates.name],
        set: { blocks, updatedAt: new Date() },
      })
      .returning();
    if (!row) throw new AppError("internal", "The template was not saved.");
    return c.json({ id: row.id, name: row.name, blocks }, 200);
  })
  .openapi(remove, async (c) => {
    const { db, coachId } = c.var.scope;
    const deleted = await db
      .delete(availabilityTemplates)
      .where(
        and(
          eq(availabilityTemplates.id, c.req.valid("param").id),
          eq(availabilityTemplates.coachId, coachId),
        ),
      )
      .returning({ id: availabilityTemplates.id });
    if (deleted.length === 0) throw new AppError("not_found", "No such template.");
    return c.json({ ok: true as const }, 200);
  });
