/**
 * The delivery checks the pipeline calls (notifications/deliver.ts). Signatures first; the bodies
 * (suppression list, client preferences, signed List-Unsubscribe links) land with their tables.
 */
import type { CoachScope } from "../../env";
import type { NotificationCategory } from "../kinds";

export type DeliveryChannel = "email" | "sms";
export type BlockReason =
  | "unsubscribed"
  | "suppressed_bounce"
  | "suppressed_complaint"
  | "sms_not_opted_in";

/** null = may send. A suppressed address gets nothing; transactional mail otherwise always goes. */
export async function deliveryBlock(
  _scope: CoachScope,
  _to: { email: string; category: NotificationCategory; channel: DeliveryChannel },
): Promise<null | { reason: BlockReason }> {
  return null;
}

/** List-Unsubscribe (https + mailto) and List-Unsubscribe-Post for optional mail; {} otherwise. */
export async function unsubscribeHeaders(
  _env: Env,
  _to: { coachId: string; email: string; category: NotificationCategory },
): Promise<Record<string, string>> {
  return {};
}
