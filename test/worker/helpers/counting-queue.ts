/**
 * A queue binding that records what is sent and delivers nothing: a fan-out test over thousands of
 * coaches counts the calls and messages without the real consumer running thousands of jobs.
 */
export function recordingQueue() {
  const bodies: unknown[] = [];
  const calls = { send: 0, sendBatch: 0 };
  const binding = {
    async send(body: unknown) {
      calls.send++;
      bodies.push(body);
    },
    async sendBatch(messages: Iterable<MessageSendRequest>) {
      const list = [...messages];
      if (list.length > 100) throw new Error(`sendBatch of ${list.length} messages (limit 100)`);
      const bytes = new TextEncoder().encode(JSON.stringify(list.map((m) => m.body))).length;
      if (bytes > 256_000) throw new Error(`sendBatch of ${bytes} bytes (limit 256 KB)`);
      calls.sendBatch++;
      bodies.push(...list.map((m) => m.body));
    },
  } as unknown as Queue;
  return {
    binding,
    calls,
    bodies,
    reset() {
      calls.send = 0;
      calls.sendBatch = 0;
      bodies.length = 0;
    },
  };
}
