/**
 * Edits the [env.production] part of wrangler.toml in place, keeping every comment and the
 * development half untouched. Pure string functions (tested); each returns the new text.
 */
const PRODUCTION = "[env.production]";

function productionStart(text) {
  const at = text.indexOf(`\n${PRODUCTION}\n`);
  if (at < 0) throw new Error("wrangler.toml has no [env.production] section");
  return at + 1;
}

/** Replaces `key = …` inside the first block headed `header` after [env.production]. */
function setInBlock(text, header, key, value) {
  const from = text.indexOf(`\n${header}\n`, productionStart(text) - 1);
  if (from < 0) throw new Error(`wrangler.toml has no ${header}`);
  const end = text.indexOf("\n[", from + header.length + 2);
  const block = text.slice(from, end < 0 ? undefined : end);
  const line = new RegExp(`\\n${key} = [^\\n]*`);
  const next = line.test(block)
    ? block.replace(line, `\n${key} = ${value}`)
    : `${block}\n${key} = ${value}`;
  return text.slice(0, from) + next + (end < 0 ? "" : text.slice(end));
}

export const setProductionVar = (text, name, value) =>
  setInBlock(text, "[env.production.vars]", name, JSON.stringify(value));

export const setD1Id = (text, id) =>
  setInBlock(text, "[[env.production.d1_databases]]", "database_id", JSON.stringify(id));

export const setKvId = (text, id) =>
  setInBlock(text, "[[env.production.kv_namespaces]]", "id", JSON.stringify(id));

/** A custom domain gets a route; a *.workers.dev host needs none. */
export function setHost(text, host) {
  const value = host.endsWith(".workers.dev")
    ? null
    : `[{ pattern = ${JSON.stringify(host)}, custom_domain = true }]`;
  const start = productionStart(text);
  const headerEnd = start + PRODUCTION.length;
  const end = text.indexOf("\n[", headerEnd);
  let block = text.slice(headerEnd, end).replace(/\nroutes = [^\n]*/, "");
  if (value) block = block.replace(/(\nname = [^\n]*)/, `$1\nroutes = ${value}`);
  return text.slice(0, headerEnd) + block + text.slice(end);
}

export function readProduction(text, header, key) {
  const from = text.indexOf(`\n${header}\n`, productionStart(text) - 1);
  if (from < 0) return null;
  const end = text.indexOf("\n[", from + header.length + 2);
  const match = text
    .slice(from, end < 0 ? undefined : end)
    .match(new RegExp(`\\n${key} = "([^"]*)"`));
  return match ? match[1] : null;
}
