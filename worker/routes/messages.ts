/**
 * Communication history: GET /api/messages?sessionId=… or ?client=… (what was sent, skipped or
 * failed, with why), and POST /api/messages/{id}/resend.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { AppError } from "../lib/errors";
import { clientMessages, resendMessage, sessionMessages } from "../notifications/history";
import { ErrorBody, guardedErrors, json } from "../schemas/common";
import { apiRoutes, coachOnly } from "./factory";

const Message = z
  .object({
    id: z.string(),
    kind: z.string().openapi({ example: "reminder" }),
    to: z.string(),
    subject: z.string().nullable(),
    status: z.enum(["planned", "claimed", "sent", "skipped", "failed", "revoked"]),
    skipReason: z.string().nullable().openapi({ example: "too_late" }),
    dueAt: z.string(),
    sentAt: z.string().nullable(),
    attempts: z.number(),
    lastError: z.string().nullable(),
    sessionId: z.string().nullable(),
    resendOf: z.string().nullable(),
  })
  .openapi("Message");

const list = createRoute({
  ...coachOnly,
  method: "get",
  path: "/messages",
  tags: ["Notifications"],
  summary: "The messages of a session (its whole booking chain) or of a client, newest first",
  request: {
    query: z.object({
      sessionId: z.string().max(100).optional(),
      client: z.string().max(320).optional().openapi({ description: "The client's email" }),
    }),
  },
  responses: {
    200: json(z.object({ items: z.array(Message) }), "Messages"),
    400: json(ErrorBody, "Neither sessionId nor client given"),
    404: json(ErrorBody, "No such session"),
    ...guardedErrors,
  },
});

const resend = createRoute({
  ...coachOnly,
  method: "post",
  path: "/messages/{id}/resend",
  tags: ["Notifications"],
  summary: "Send a sent message again, word for word",
  request: { params: z.object({ id: z.string().max(100) }) },
  responses: {
    202: json(Message, "Queued to be sent again"),
    404: json(ErrorBody, "No such message"),
    409: json(ErrorBody, "The message was never sent"),
    ...guardedErrors,
  },
});

export const messageRoutes = apiRoutes()
  .openapi(list, async (c) => {
    const { sessionId, client } = c.req.valid("query");
    if (sessionId) return c.json({ items: await sessionMessages(c.var.scope, sessionId) }, 200);
    if (client) return c.json({ items: await clientMessages(c.var.scope, client) }, 200);
    throw new AppError("bad_request", "Give sessionId or client.");
  })
  .openapi(resend, async (c) =>
    c.json(await resendMessage(c.env, c.var.scope, c.req.valid("param").id), 202),
  );
