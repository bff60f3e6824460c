/** Schemas shared by every documented route: the error envelope and response helpers. */
import { z } from "@hono/zod-openapi";

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string().openapi({ example: "Invalid request: check from." }),
      details: z.unknown().optional(),
    }),
    requestId: z.string().optional(),
  })
  .openapi("Error");

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

/** Responses every session-guarded route can give besides its own. */
export const guardedErrors = {
  401: json(ErrorBody, "Not signed in, or the session expired"),
  500: json(ErrorBody, "Unexpected error"),
} as const;
