/** "Name <a@b>" → {name, email}; a bare "a@b" → {email}. */
export function parseAddress(value: string): { email: string; name?: string } {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(value);
  if (!m) return { email: value.trim() };
  const name = (m[1] ?? "").replace(/^"(.*)"$/, "$1").trim();
  return name ? { email: (m[2] ?? "").trim(), name } : { email: (m[2] ?? "").trim() };
}

/** base64 of UTF-8 text (attachments travel base64 to both providers). */
export function base64Utf8(text: string) {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
