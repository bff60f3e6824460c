/**
 * Zoom's meeting and participant webhooks reach the attendance timeline through the real intake
 * (signature on the raw body, queue, consumer, the coach found by host id): each signal once, however
 * often it is delivered; a forged or stale `x-zm-signature` is a 401 and nothing is stored.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { settledRows } from "../../helpers/webhooks";
import { HOST_ID, play } from "./played";

const SECRET = "kairos_sandbox_zoom_secret_token";

async function hmacHex(key: string, message: string) {
  const k = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(message));
  return [...new Uint8Array(sig)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function deliver(raw: string, o: { ts?: number; signature?: string } = {}) {
  const ts = o.ts ?? Math.floor(Date.now() / 1000);
  return exports.default.fetch("http://kairos.test/webhooks/zoom", {
    method: "POST",
    body: raw,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-zm-request-timestamp": String(ts),
      "x-zm-signature": o.signature ?? `v0=${await hmacHex(SECRET, `v0:${ts}:${raw}`)}`,
    },
  });
}

async function zoomCoach() {
  const coachId = "coa_zoom_att_wh";
  await env.DB.prepare(
    "insert into coaches (id, calendly_user_uri, name, email, time_zone, slug) values (?, 'https://api.calendly.test/users/zatt', 'Dana', 'dana@coach.test', 'UTC', 'zatt') on conflict do nothing",
  )
    .bind(coachId)
    .run();
  await env.DB.prepare(
    "insert into provider_connections (id, coach_id, provider, external_user_id, status) values ('con_zatt', ?, 'zoom', ?, 'connected') on conflict do nothing",
  )
    .bind(coachId, HOST_ID)
    .run();
  return coachId;
}

const timeline = async (uuid: string) =>
  (
    await env.DB.prepare(
      "select kind, coach_id as coachId from zoom_attendance_events where meeting_uuid = ? order by at, kind",
    )
      .bind(uuid)
      .all<{ kind: string; coachId: string }>()
  ).results;

describe("POST /webhooks/zoom → the attendance timeline", () => {
  it("stores each signal once for the host's coach, duplicates and reorders included", async () => {
    const coachId = await zoomCoach();
    const p = play("drop_and_rejoin", {}, undefined, "uuid-wh-1==");
    const raws = p.envelopes.map((e) => JSON.stringify(e));
    for (const raw of [...raws].reverse()) expect((await deliver(raw)).status).toBe(204);
    for (const raw of raws.slice(0, 3)) expect((await deliver(raw)).status).toBe(204);
    await settledRows("dedupe_key like ?", ["zoom|%uuid-wh-1==%"], raws.length);
    await vi.waitFor(async () => expect(await timeline(p.uuid)).toHaveLength(raws.length), {
      timeout: 10_000,
    });
    const rows = await timeline(p.uuid);
    expect(new Set(rows.map((r) => r.coachId))).toEqual(new Set([coachId]));
    expect(rows.filter((r) => r.kind === "joined")).toHaveLength(3); // host, client, client again
    const instance = await env.DB.prepare(
      "select started_at as s, ended_at as e from zoom_meeting_instances where uuid = ?",
    )
      .bind(p.uuid)
      .first<{ s: number; e: number }>();
    expect(instance).toEqual({ s: p.startedAt, e: p.endedAt });
  });

  it("a forged or stale signature is 401 and nothing is stored", async () => {
    await zoomCoach();
    const p = play("attended", {}, undefined, "uuid-wh-forged==");
    const raw = JSON.stringify(p.envelopes[1]);
    const forged = await deliver(raw, { signature: `v0=${"0".repeat(64)}` });
    expect(forged.status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 301;
    expect((await deliver(raw, { ts: stale })).status).toBe(401);
    // Signed for another body: the signature is checked on the exact bytes received.
    const ts = Math.floor(Date.now() / 1000);
    const other = `v0=${await hmacHex(SECRET, `v0:${ts}:${raw} `)}`;
    expect((await deliver(raw, { ts, signature: other })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await timeline(p.uuid)).toEqual([]);
    const stored = await env.DB.prepare(
      "select count(*) as n from webhook_events where dedupe_key like ?",
    )
      .bind("%uuid-wh-forged==%")
      .first<{ n: number }>();
    expect(stored?.n).toBe(0);
  });
});
