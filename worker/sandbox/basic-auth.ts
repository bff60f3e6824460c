/** `[id, secret]` from an HTTP Basic header; empty strings when absent or malformed (never throws). */
export function basicCredentials(header: string | undefined): [string, string] {
  try {
    const [id = "", ...rest] = atob(header?.replace(/^Basic /, "") ?? "").split(":");
    return [id, rest.join(":")];
  } catch {
    return ["", ""];
  }
}
