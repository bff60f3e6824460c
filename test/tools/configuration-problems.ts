/**
 * The one configuration list (docs/deployment.md → Configuration) checked against what really
 * exists: wrangler.toml's vars, .dev.vars.example's secrets, and the names the worker's code reads.
 * Pure over its inputs, so a test can show each kind of drift being caught.
 */
export type DocRow = { name: string; kind: string; readBy: string };

export type ConfigInputs = {
  docs: DocRow[];
  vars: string[];
  productionVars: string[];
  secrets: string[];
  bindings: string[];
  /** path → source, for every file under worker/. */
  sources: Record<string, string>;
};

/** Rows of the markdown table under "## Configuration": | `NAME` | kind | read by | … */
export function parseConfigTable(markdown: string): DocRow[] {
  const section = markdown.split(/^## Configuration\s*$/m)[1]?.split(/^## /m)[0] ?? "";
  return section
    .split("\n")
    .map((line) => line.match(/^\| `([A-Z][A-Z0-9_]*)` \| (\w+) \| (\w+) \|/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map(([, name = "", kind = "", readBy = ""]) => ({ name, kind, readBy }));
}

function readersOf(name: string, sources: Record<string, string>) {
  const word = new RegExp(`\\b${name}\\b`);
  const files = Object.keys(sources).filter((path) => word.test(sources[path] ?? ""));
  if (files.length === 0) return "nothing";
  return files.some((f) => !f.startsWith("worker/sandbox/")) ? "Kairos" : "sandbox";
}

export function configurationProblems(input: ConfigInputs): string[] {
  const problems: string[] = [];
  const documented = new Map(input.docs.map((row) => [row.name, row]));
  const configured = new Map([
    ...input.vars.map((n) => [n, "var"] as const),
    ...input.secrets.map((n) => [n, "secret"] as const),
  ]);

  for (const [name, kind] of configured) {
    const row = documented.get(name);
    if (!row) problems.push(`${name} is configured (${kind}) but not documented`);
    else if (row.kind !== kind)
      problems.push(`${name} is documented as a ${row.kind} but is a ${kind}`);
  }
  for (const row of input.docs) {
    if (!configured.has(row.name))
      problems.push(`${row.name} is documented but not configured anywhere`);
    const readBy = readersOf(row.name, input.sources);
    if (readBy === "nothing") problems.push(`${row.name} is documented but nothing reads it`);
    else if (readBy !== row.readBy)
      problems.push(`${row.name} is read by ${readBy}, documented as ${row.readBy}`);
  }
  const known = new Set([...documented.keys(), ...input.bindings]);
  for (const [path, source] of Object.entries(input.sources)) {
    for (const [, name = ""] of source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)\b/g)) {
      if (!known.has(name)) problems.push(`${path} reads ${name}, which is not documented`);
    }
  }
  const dev = [...input.vars].sort().join(",");
  const prod = [...input.productionVars].sort().join(",");
  if (dev !== prod) problems.push(`[vars] and [env.production.vars] differ: ${dev} vs ${prod}`);
  return [...new Set(problems)];
}
