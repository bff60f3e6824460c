/**
 * Startup guard: production must never serve the fake Calendly/Zoom. Called at module load by
 * worker/index.ts, so a misconfigured deploy fails to start instead of serving the sandbox.
 */
export function assertSafeConfig(env: Partial<Pick<Env, "ENVIRONMENT" | "SANDBOX">>): void {
  if (env.ENVIRONMENT === "production" && env.SANDBOX === "1") {
    throw new Error("SANDBOX=1 is not allowed in production: refusing to start.");
  }
}
