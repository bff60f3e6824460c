import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { PRODUCTION_SECRETS, PRODUCTION_VARS } from "../../scripts/deploy/config.mjs";
import {
  type ConfigInputs,
  configurationProblems,
  parseConfigTable,
} from "./configuration-problems";

const root = join(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

type Toml = {
  vars: Record<string, string>;
  env: { production: { vars: Record<string, string> } };
  [section: string]: unknown;
};

function bindingNames(toml: Toml): string[] {
  const names: string[] = ["ASSETS"];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") {
      const v = value as Record<string, unknown>;
      for (const key of ["binding", "name"])
        if (typeof v[key] === "string") names.push(v[key] as string);
      Object.values(v).forEach(visit);
    }
  };
  visit(toml);
  return names.filter((n) => /^[A-Z][A-Z0-9_]+$/.test(n));
}

function repository(): ConfigInputs {
  const toml = parse(read("wrangler.toml")) as unknown as Toml;
  const sources: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts"))
        sources[relative(root, path)] = readFileSync(path, "utf8");
    }
  };
  walk(join(root, "worker"));
  return {
    docs: parseConfigTable(read("docs/deployment.md")),
    vars: Object.keys(toml.vars),
    productionVars: Object.keys(toml.env.production.vars),
    secrets: read(".dev.vars.example")
      .split("\n")
      .map((line) => line.match(/^([A-Z][A-Z0-9_]*)=/)?.[1])
      .filter((n): n is string => Boolean(n)),
    bindings: bindingNames(toml),
    sources,
  };
}

describe("wrangler.toml's two halves", () => {
  it("gives development its own worker name, so a plain `wrangler deploy` never replaces production", () => {
    const toml = parse(read("wrangler.toml")) as {
      name: string;
      env: { production: { name: string } };
    };
    expect(toml.env.production.name).toBe("kairos");
    expect(toml.name).not.toBe(toml.env.production.name);
  });
});

describe("the one configuration list (docs/deployment.md)", () => {
  it("matches wrangler.toml, .dev.vars.example and what the code reads", () => {
    expect(configurationProblems(repository())).toEqual([]);
  });

  it("is what `npm run deploy` asks for: every secret Kairos reads, and its vars", () => {
    const docs = parseConfigTable(read("docs/deployment.md"));
    const kairosSecrets = docs
      .filter((r) => r.kind === "secret" && r.readBy === "Kairos")
      .map((r) => r.name);
    expect(PRODUCTION_SECRETS.map((s) => s.name).sort()).toEqual(kairosSecrets.sort());
    const vars = new Set(docs.filter((r) => r.kind === "var").map((r) => r.name));
    for (const v of PRODUCTION_VARS) expect(vars.has(v.name)).toBe(true);
  });

  it("fails when code reads an undocumented name, or a documented one is read by nothing", () => {
    const repo = repository();
    const drifted: ConfigInputs = {
      ...repo,
      sources: { ...repo.sources, "worker/new-feature.ts": "const key = env.SHINY_API_KEY;" },
      docs: [...repo.docs, { name: "FORGOTTEN_TOKEN", kind: "secret", readBy: "Kairos" }],
      secrets: [...repo.secrets, "FORGOTTEN_TOKEN"],
    };
    expect(configurationProblems(drifted)).toEqual([
      "FORGOTTEN_TOKEN is documented but nothing reads it",
      "worker/new-feature.ts reads SHINY_API_KEY, which is not documented",
    ]);
  });

  it("fails when a var is missing from production, or documented as the wrong kind", () => {
    const repo = repository();
    const problems = configurationProblems({
      ...repo,
      productionVars: repo.productionVars.filter((v) => v !== "ADMIN_EMAILS"),
      docs: repo.docs.map((r) => (r.name === "TURNSTILE_SITE_KEY" ? { ...r, kind: "secret" } : r)),
    });
    expect(problems).toContain("TURNSTILE_SITE_KEY is documented as a secret but is a var");
    expect(problems.some((p) => p.startsWith("[vars] and [env.production.vars] differ"))).toBe(
      true,
    );
  });
});
