/**
 * The real providers' transports, by EMAIL_TRANSPORT name. The delivery side adds `cloudflare`
 * (Email Service binding) and `resend` (HTTP) here, one import and one entry each.
 */
import type { TransportFactory, TransportName } from "../transport";
import { cloudflareTransport } from "./cloudflare";
import { resendTransport } from "./resend";

export const PROVIDER_TRANSPORTS: Partial<
  Record<Exclude<TransportName, "outbox">, TransportFactory>
> = { cloudflare: cloudflareTransport, resend: resendTransport };
