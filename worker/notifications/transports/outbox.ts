/**
 * The local `outbox` transport (sandbox and dev): nothing leaves the machine; the full message is
 * stored in `dev_mailbox`, which /dev/mailbox shows. Storing under the outbox row id makes a retried
 * send overwrite, not duplicate.
 */
import { createDb } from "../../db/client";
import { devMailbox } from "../../db/schema";
import type { OutgoingMessage, Transport } from "../transport";

export function outboxTransport(env: Env, coachId: string | null = null): Transport {
  return {
    name: "outbox",
    async send(msg: OutgoingMessage) {
      const db = createDb(env.DB);
      const { id, ...message } = msg;
      const row = { id, coachId, message, sentAt: new Date() };
      await db
        .insert(devMailbox)
        .values(row)
        .onConflictDoUpdate({ target: devMailbox.id, set: { message, sentAt: row.sentAt } });
      return { providerMessageId: `outbox:${id}` };
    },
  };
}
