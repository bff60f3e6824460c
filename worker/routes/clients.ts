/**
 * The coach's clients: GET /api/clients (one row per client email, name order, cursor pages, search)
 * and GET /api/clients/{email} (the summary plus the client's whole session history).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { getClient, listClients } from "../db/clients";
import { AppError } from "../lib/errors";
import { ClientDetail, ClientPage, ClientQuery } from "../schemas/clients";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { withZoom } from "../zoom/meetings/summary";
import { apiRoutes, coachOnly } from "./factory";

const list = createRoute({
  ...coachOnly,
  method: "get",
  path: "/",
  tags: ["Clients"],
  summary: "List clients by name, a page at a time, with their booking counts",
  request: { query: ClientQuery },
  responses: {
    200: json(ClientPage, "A page of clients"),
    400: json(ErrorBody, "Invalid query"),
    ...guardedErrors,
  },
});

const one = createRoute({
  ...coachOnly,
  method: "get",
  path: "/{email}",
  tags: ["Clients"],
  summary: "One client (by email, case-insensitive) with every session they were on",
  request: {
    params: z.object({
      email: z
        .string()
        .min(1)
        .max(320)
        .openapi({ description: "The client's email, URL-encoded", example: "sam%40client.test" }),
    }),
  },
  responses: {
    200: json(ClientDetail, "The client"),
    404: json(ErrorBody, "No such client for this coach"),
    ...guardedErrors,
  },
});

export const clientRoutes = apiRoutes()
  .openapi(list, async (c) => c.json(await listClients(c.var.scope, c.req.valid("query")), 200))
  .openapi(one, async (c) => {
    const client = await getClient(c.var.scope, c.req.valid("param").email);
    if (!client) throw new AppError("not_found", "Client not found.");
    return c.json({ ...client, sessions: await withZoom(c.var.scope, client.sessions) }, 200);
  });
