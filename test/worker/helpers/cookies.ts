/** A tiny cookie jar for driving browser-like flows through `exports.default.fetch`. */
export class CookieJar {
  #cookies = new Map<string, string>();

  store(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || /max-age=0/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  /** Puts a cookie in the jar as if a page had set it (e.g. one planted by an attacker). */
  set(name: string, value: string) {
    this.#cookies.set(name, value);
  }

  get(name: string) {
    return this.#cookies.get(name);
  }

  header() {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}
