/**
 * Reads a webhook's raw body for the intake routes: refused with 413 past MAX_WEBHOOK_BYTES (the
 * verified delivery travels in one queue message), kept as bytes for the queue and as text for the
 * signature check, which is computed over exactly those bytes.
 */
import { AppError } from "../lib/errors";
import { MAX_WEBHOOK_BYTES } from "../queues/webhook-message";

const tooLarge = () =>
  new AppError("payload_too_large", `Body too large (at most ${MAX_WEBHOOK_BYTES} bytes).`);

export async function readWebhookBody(req: Request) {
  if (Number(req.headers.get("content-length") ?? 0) > MAX_WEBHOOK_BYTES) throw tooLarge();
  const bytes = new Uint8Array(await req.arrayBuffer());
  if (bytes.byteLength > MAX_WEBHOOK_BYTES) throw tooLarge();
  return { bytes, text: new TextDecoder().decode(bytes) };
}
