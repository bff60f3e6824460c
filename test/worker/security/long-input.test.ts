/**
 * Long input never reaches a 500: every path parameter and query string of every route (the
 * documented ones read from /openapi.json, and the plain ones listed below) is sent 600 characters
 * long, signed in as a coach. Keys built from them (KV keys are at most 512 bytes, Durable Object
 * names, D1 lookups) must be refused first: 400 or 404, never 500.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readyCoach } from "../helpers/public-booking";
import { api, ORIGIN } from "../helpers/sign-in";

const LONG = "a".repeat(600);

type Operation = { parameters?: { in: string; name: string; schema?: { type?: string } }[] };
type OpenApi = { paths: Record<string, Record<string, Operation>> };

/** Routes outside the OpenAPI document that take a path parameter or a query string. */
const PLAIN: [label: string, method: string, path: string][] = [
  ["booking page, long coach", "GET", `/book/${LONG}`],
  ["booking page, long event type", "GET", `/book/${LONG}/${LONG}`],
  ["booking page, long embed query", "GET", `/book/${LONG}?embed_origin=${LONG}&embed_id=${LONG}`],
  ["manage page", "GET", `/manage/${LONG}`],
  ["client calendar.ics", "GET", `/api/public/bookings/${LONG}/calendar.ics`],
  ["session .ics", "GET", `/api/exports/sessions/${LONG}.ics`],
  ["batch csv", "GET", `/api/batches/${LONG}/sessions.csv`],
  ["batch ics", "GET", `/api/batches/${LONG}/sessions.ics`],
  ["admin coach", "GET", `/admin/api/coaches/${LONG}`],
  ["OAuth callback", "GET", `/oauth/calendly/callback?code=${LONG}&state=${LONG}`],
  ["Calendly webhook", "POST", `/webhooks/calendly/${LONG}`],
];

describe("600-character parameters", () => {
  it("every documented route answers 4xx, never 500", async () => {
    const { jar } = await readyCoach();
    const doc = (await (await exports.default.fetch(`${ORIGIN}/openapi.json`)).json()) as OpenApi;
    const failures: string[] = [];
    for (const [template, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const params = op.parameters ?? [];
        const path = template.replace(/\{[^}]+\}/g, LONG);
        const query = new URLSearchParams();
        for (const p of params) if (p.in === "query") query.set(p.name, LONG);
        const url = `${path}${query.size ? `?${query}` : ""}`;
        // With and without the long query (a path parameter alone must be refused too).
        for (const target of new Set([url, path])) {
          const res = await api(jar, target, {
            method: method.toUpperCase(),
            headers: { "content-type": "application/json", origin: ORIGIN },
            ...(method === "get" ? {} : { body: "{}" }),
          });
          if (res.status >= 500)
            failures.push(`${method.toUpperCase()} ${template} → ${res.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it.each(PLAIN)("%s answers 4xx", async (_label, method, path) => {
    const { jar } = await readyCoach();
    const res = await api(jar, path, {
      method,
      ...(method === "GET" ? {} : { headers: { "content-type": "application/json" }, body: "{}" }),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});
