/** Prefixed random ids ("coa_…", "ses_…"): readable in logs, unguessable, sortable enough. */
export function newId(prefix: string): string {
  return `${prefix}_${randomToken(16)}`;
}

/** base64url of `bytes` random bytes. */
export function randomToken(bytes = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}
