import { render, screen } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { App } from "../../web/src/app";
import { ReconnectBanner } from "../../web/src/components/reconnect-banner";
import { connections, dana, health, stubApi } from "./fake-api";

const at = (path: string) => window.history.replaceState(null, "", path);
const reason =
  "Kairos needs access to your bookings (scheduled_events:read) in Calendly. Reconnect Calendly and keep every permission Kairos asks for ticked.";
const lacking = {
  status: "needs_reconnect",
  lastError: reason,
  missingScopes: ["scheduled_events:read"],
};

describe("a Calendly grant missing permissions", () => {
  it("the banner says what Kairos needs access to and offers the reconnect", () => {
    render(<ReconnectBanner connections={[{ ...dana.connections[0], ...lacking }] as never} />);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain(
      "Kairos needs access to your bookings (scheduled_events:read) in Calendly.",
    );
    expect(screen.getByRole("link", { name: "Reconnect Calendly" }).getAttribute("href")).toBe(
      "/oauth/calendly/start",
    );
  });

  it("names the missing permissions even without a stored reason", () => {
    const silent = { ...lacking, lastError: null, missingScopes: ["webhooks:write"] };
    render(<ReconnectBanner connections={[{ ...dana.connections[0], ...silent }] as never} />);
    expect(screen.getByRole("alert").textContent).toContain(
      "Kairos needs access to webhooks:write in Calendly.",
    );
  });

  it("Settings → Connections lists the missing permissions", async () => {
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: { ...dana, connections: [{ ...dana.connections[0], ...lacking }] } },
      "/api/connections": connections(lacking),
    });
    at("/settings");
    render(<App />);
    await screen.findByText("Needs reconnecting — Kairos is missing permissions");
    expect(screen.getByText(/Missing permissions: scheduled_events:read\./)).toBeTruthy();
  });

  it("the sign-in page explains a grant without the profile permission", async () => {
    stubApi({ "/api/health": health(false) });
    at("/signin?error=missing_scopes");
    render(<App />);
    expect((await screen.findByRole("alert")).textContent).toMatch(
      /Kairos needs access to your Calendly profile/,
    );
  });
});
