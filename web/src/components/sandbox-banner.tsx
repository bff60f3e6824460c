/** Shown on every page when the server runs in sandbox mode (fake Calendly and Zoom). */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";

export function SandboxBanner() {
  const [mode, setMode] = useState<"off" | "sandbox" | "demo">("off");
  useEffect(() => {
    api.health
      .$get()
      .then((res) => res.json())
      .then((health) => setMode(health.publicDemo ? "demo" : health.sandbox ? "sandbox" : "off"))
      .catch(() => setMode("off"));
  }, []);
  if (mode === "off") return null;
  return (
    <div class="sandbox-banner" role="note">
      {mode === "demo"
        ? "Public demo: there is no real Calendly or Zoom here, every booking and client is simulated — "
        : "Sandbox mode: Calendly and Zoom are simulated — "}
      <a href="/sandbox">open the sandbox controls</a>
    </div>
  );
}
