import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readyCoach } from "../helpers/public-booking";
import { signInSettled } from "../helpers/sandbox-sign-in";
import { api, ORIGIN } from "../helpers/sign-in";

type Schema = { type?: string; format?: string; minLength?: number; maxLength?: number };
type Operation = {
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, unknown> };
};
type OpenApi = { paths: Record<string, Record<string, Operation>> };

/** A path or query value its schema accepts, so the body check is what decides. */
function sampleValue(schema: Schema = {}) {
  if (schema.format === "email") return "someone@client.test";
  if (schema.type === "integer" || schema.type === "number") return "1";
  if (schema.type === "boolean") return "true";
  const length = Math.min(Math.max(schema.minLength ?? 1, 16), schema.maxLength ?? 16);
  return "x".repeat(length);
}

function requestPath(path: string, op: Operation) {
  let url = path;
  const query = new URLSearchParams();
  for (const p of op.parameters ?? []) {
    if (p.in === "path")
      url = url.replace(`{${p.name}}`, encodeURIComponent(sampleValue(p.schema)));
    if (p.in === "query" && p.required) query.set(p.name, sampleValue(p.schema));
  }
  return query.size > 0 ? `${url}?${query}` : url;
}

/** Row counts of every D1 table (Kairos's and the sandbox's). */
async function rowCounts() {
  const tables = await env.DB.prepare(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '_cf_%' order by name",
  ).all<{ name: string }>();
  const counts: Record<string, number> = {};
  for (const { name } of tables.results) {
    const row = await env.DB.prepare(`select count(*) as n from "${name}"`).first<{ n: number }>();
    counts[name] = row?.n ?? 0;
  }
  return counts;
}

describe("a body that is not JSON", () => {
  it("is refused with 415 by every JSON-body route of /openapi.json, and nothing is written", async () => {
    const { jar, id } = await readyCoach();
    await signInSettled(id);
    const doc = (await (await exports.default.fetch(`${ORIGIN}/openapi.json`)).json()) as OpenApi;
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.requestBody?.content?.["application/json"])
        .map(([method, op]) => ({ method: method.toUpperCase(), url: requestPath(path, op) })),
    );
    // The routes that take a JSON body today; a new one joins the walk by itself.
    expect(routes.length).toBeGreaterThanOrEqual(10);

    const before = await rowCounts();
    const answers: string[] = [];
    for (const route of routes) {
      const res = await api(jar, route.url, {
        method: route.method,
        headers: { "content-type": "text/plain", "cf-connecting-ip": "198.51.100.201" },
        body: "{}",
      });
      const body = (await res.json()) as { error?: { code: string } };
      answers.push(`${route.method} ${route.url} → ${res.status} ${body.error?.code}`);
    }
    expect(answers).toEqual(routes.map((r) => `${r.method} ${r.url} → 415 unsupported_media_type`));
    expect(await rowCounts()).toEqual(before);
  });

  it("is refused with 415 without a content type too, and a JSON one still passes the check", async () => {
    const { jar } = await readyCoach();
    const send = (headers: Record<string, string>) =>
      api(jar, "/api/availability/templates", {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "Summer", blocks: [] }),
      });
    const bare = await exports.default.fetch(`${ORIGIN}/api/availability/templates`, {
      method: "POST",
      headers: { cookie: jar.header() },
      body: new TextEncoder().encode(JSON.stringify({ name: "Summer", blocks: [] })),
    });
    expect(bare.status).toBe(415);
    expect((await send({ "content-type": "application/json; charset=utf-8" })).status).toBe(200);
  });
});
