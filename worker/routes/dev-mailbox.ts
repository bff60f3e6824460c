/**
 * GET /dev/mailbox (a page) and /dev/mailbox.json: what the local `outbox` transport "sent", newest
 * first. Mounted under /dev, behind the local-only gate (entry.ts): sandbox and dev only. `?to=`
 * narrows to one recipient, `?coach=` to one coach's mail, `?limit=` (≤ 200) to the newest few.
 */
import { and, desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { createDb } from "../db/client";
import { devMailbox, notificationOutbox } from "../db/schema";
import type { AppEnv } from "../env";

async function items(env: Env, query: { to?: string; coach?: string; limit?: string }) {
  const db = createDb(env.DB);
  const limit = Math.min(200, Math.max(1, Number(query.limit) || 100));
  const rows = await db
    .select({
      id: devMailbox.id,
      message: devMailbox.message,
      sentAt: devMailbox.sentAt,
      kind: notificationOutbox.kind,
      sessionId: notificationOutbox.sessionId,
    })
    .from(devMailbox)
    .leftJoin(notificationOutbox, eq(notificationOutbox.id, devMailbox.id))
    .where(query.coach ? and(eq(notificationOutbox.coachId, query.coach)) : undefined)
    .orderBy(desc(devMailbox.sentAt), desc(devMailbox.id))
    .limit(query.to ? 1000 : limit)
    .all();
  const to = query.to?.toLowerCase();
  return rows
    .filter((r) => !to || r.message.to.toLowerCase() === to)
    .slice(0, limit)
    .map((r) => ({
      id: r.id,
      kind: r.kind,
      to: r.message.to,
      from: r.message.from,
      subject: r.message.subject,
      text: r.message.text,
      html: r.message.html,
      headers: r.message.headers,
      attachments: r.message.attachments,
      sessionId: r.sessionId,
      sentAt: r.sentAt.toISOString(),
    }));
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

export const devMailboxRoutes = new Hono<AppEnv>()
  .get("/mailbox.json", async (c) => c.json({ items: await items(c.env, c.req.query()) }))
  .get("/mailbox", async (c) => {
    const list = await items(c.env, c.req.query());
    const entries = list
      .map(
        (m) => `<article>
  <h2>${esc(m.subject)}</h2>
  <p><b>${esc(m.kind ?? "message")}</b> to ${esc(m.to)} · ${esc(m.sentAt)}${
    m.attachments.length ? ` · ${m.attachments.map((a) => esc(a.filename)).join(", ")}` : ""
  }</p>
  <details><summary>Text</summary><pre>${esc(m.text)}</pre></details>
  <details><summary>HTML source</summary><pre>${esc(m.html)}</pre></details>
  <details><summary>Headers</summary><pre>${esc(JSON.stringify(m.headers, null, 2))}</pre></details>
</article>`,
      )
      .join("\n");
    return c.html(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dev mailbox · Kairos</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}article{border-bottom:1px solid #ddd;padding:.5rem 0}h2{font-size:1.05rem;margin:.25rem 0}pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f6f6;padding:.5rem}</style>
</head><body><h1>Dev mailbox</h1><p>${list.length} message(s), newest first. Nothing here left this machine (EMAIL_TRANSPORT=outbox). JSON: <a href="/dev/mailbox.json">/dev/mailbox.json</a></p>
${entries || "<p>No mail yet.</p>"}
</body></html>`);
  });
