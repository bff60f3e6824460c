/**
 * Where this worker runs, derived from its own address (APP_URL) and the request's host rather
 * than from a var that a copied config could carry: the fake Calendly/Zoom (`/sandbox`) sign anyone
 * in as any seeded coach, so they are served only on hosts that cannot be on the internet.
 *
 * - local:        APP_URL is localhost, 127.0.0.1, [::1], *.localhost or *.test (RFC 6761 names).
 * - public-demo:  a public host with PUBLIC_DEMO=1, a deliberate opt-in; it must have no real
 *                 Calendly at all (every base URL points at its own sandbox) and says so on every page.
 * - production:   anything else; SANDBOX=1 there refuses to start.
 */
export type Deployment = "local" | "public-demo" | "production";

type DeploymentEnv = Partial<
  Pick<Env, "APP_URL" | "SANDBOX" | "PUBLIC_DEMO" | "CALENDLY_AUTH_BASE" | "CALENDLY_API_BASE">
>;

const LOCAL_NAMES = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLocalHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return LOCAL_NAMES.has(host) || host.endsWith(".localhost") || host.endsWith(".test");
}

const hostnameOf = (url: string | undefined) => {
  try {
    return new URL(url ?? "").hostname;
  } catch {
    return "";
  }
};

export function deploymentOf(env: DeploymentEnv): Deployment {
  if (isLocalHostname(hostnameOf(env.APP_URL))) return "local";
  return env.PUBLIC_DEMO === "1" ? "public-demo" : "production";
}

/** Sandbox mode: the fake Calendly and Zoom answer, and the app says so. */
export const isSandbox = (env: DeploymentEnv) =>
  env.SANDBOX === "1" && deploymentOf(env) !== "production";

/** Called at module load by worker/index.ts: a misconfigured deploy fails to start. */
export function assertSafeConfig(env: DeploymentEnv): void {
  const deployment = deploymentOf(env);
  if (deployment === "production" && env.SANDBOX === "1") {
    throw new Error(
      `SANDBOX=1 on a public host (${hostnameOf(env.APP_URL)}) is not allowed: refusing to start. Set PUBLIC_DEMO=1 for a deliberate public demo.`,
    );
  }
  if (deployment === "public-demo") {
    const own = `${env.APP_URL?.replace(/\/$/, "")}/sandbox/`;
    const real = [env.CALENDLY_AUTH_BASE, env.CALENDLY_API_BASE].filter(
      (base) => !`${base}/`.startsWith(own),
    );
    if (env.SANDBOX !== "1" || real.length > 0) {
      throw new Error(
        "PUBLIC_DEMO=1 needs SANDBOX=1 and every Calendly base URL on its own /sandbox: a public demo must never reach a real Calendly.",
      );
    }
  }
}

/** Why `/sandbox` is not served for this request, or null when it may be. */
export function sandboxRefusal(env: DeploymentEnv, requestUrl: string): string | null {
  if (env.SANDBOX !== "1") return "sandbox_off";
  const deployment = deploymentOf(env);
  if (deployment === "public-demo") return null;
  if (deployment === "production") return "public_app_url";
  return isLocalHostname(hostnameOf(requestUrl)) ? null : "public_request_host";
}
