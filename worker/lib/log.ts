/**
 * Structured JSON logs. Keys that can carry secrets or personal data are redacted before anything is
 * written, so a careless `log.info({ ...payload })` cannot leak a token or an email address.
 */
const REDACT =
  /token|secret|authorization|cookie|password|code_verifier|^code$|email|signing_key|name$/i;

type Fields = Record<string, unknown>;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      REDACT.test(k) ? "[redacted]" : redact(v, depth + 1),
    ]),
  );
}

function write(level: "info" | "warn" | "error", event: string, fields: Fields = {}) {
  const line = JSON.stringify({ level, event, ...(redact(fields) as Fields) });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export const log = {
  info: (event: string, fields?: Fields) => write("info", event, fields),
  warn: (event: string, fields?: Fields) => write("warn", event, fields),
  error: (event: string, fields?: Fields) => write("error", event, fields),
};
