/**
 * The one validation hook: a failed zod check becomes a 400 `validation_failed` naming each bad field.
 */
import type { z } from "zod";
import { AppError } from "./errors";

type HookResult = { success: true } | { success: false; error: z.ZodError };

export function rejectInvalid(result: HookResult): void {
  if (result.success) return;
  const details = result.error.issues.map((issue) => ({
    field: issue.path.join(".") || "(root)",
    message: issue.message,
  }));
  const fields = [...new Set(details.map((d) => d.field))].join(", ");
  throw new AppError("validation_failed", `Invalid request: check ${fields}.`, { details });
}

/** Whether the runtime knows this IANA time zone (Intl refuses unknown ones). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
