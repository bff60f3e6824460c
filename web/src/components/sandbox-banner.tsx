/** Shown on every page when the server runs in sandbox mode (fake Calendly and Zoom). */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";

export function SandboxBanner() {
  const [sandbox, setSandbox] = useState(false);
  useEffect(() => {
    api.health
      .$get()
      .then((res) => res.json())
      .then((health) => setSandbox(health.sandbox))
      .catch(() => setSandbox(false));
  }, []);
  if (!sandbox) return null;
  return (
    <div class="sandbox-banner" role="note">
      Sandbox mode: Calendly and Zoom are simulated —{" "}
      <a href="/sandbox">open the sandbox controls</a>
    </div>
  );
}
