import { render, screen } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { App } from "../../web/src/app";
import { connections, dana, health, stubApi } from "./fake-api";

const at = (path: string) => window.history.replaceState(null, "", path);

describe("a Calendly plan without webhooks", () => {
  it("Settings → Connections says the coach gets a check every 15 minutes instead, not an error", async () => {
    const free = { webhooks: "unavailable_on_plan" };
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: { ...dana, connections: [{ ...dana.connections[0], ...free }] } },
      "/api/connections": connections(free),
    });
    at("/settings");
    render(<App />);
    const notice = await screen.findByText(/does not let Kairos receive instant updates/);
    expect(notice.textContent).toMatch(/every 15 minutes/);
    expect(notice.className).toContain("notice-info");
    expect(screen.getByText("Connected")).toBeTruthy();
  });

  it("says nothing of it when webhooks work", async () => {
    stubApi({
      "/api/health": health(false),
      "/api/me": { body: dana },
      "/api/connections": connections({ webhooks: "available" }),
    });
    at("/settings");
    render(<App />);
    await screen.findByText("Connected");
    expect(screen.queryByText(/instant updates/)).toBeNull();
  });
});
