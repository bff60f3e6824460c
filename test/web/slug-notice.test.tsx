import { render, screen } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { App } from "../../web/src/app";
import { connections, dana, health, stubApi } from "./fake-api";

const notice =
  'Another coach already uses "dana-reyes", so your booking page is /book/dana-reyes-2.';

function settingsWith(me: object) {
  stubApi({
    "/api/health": health(false),
    "/api/me": { body: me },
    "/api/connections": connections(),
    "/api/sync-runs": { body: { intervalMinutes: 60, items: [] } },
    "/api/activity": { body: { items: [] } },
    "/api/booking-settings": {
      body: {
        embedOrigins: [],
        bookingPageUrl: "https://kairos.test/book/dana-reyes-2",
        snippet: '<script async src="https://kairos.test/embed.js"></script>',
      },
    },
  });
  window.history.replaceState(null, "", "/settings");
  render(<App />);
}

describe("Settings → Booking widget: a suffixed slug", () => {
  it("tells the coach why their booking page is not their Calendly slug", async () => {
    settingsWith({ ...dana, slug: "dana-reyes-2", slugNotice: notice });
    await screen.findByText(/Your booking page/);
    const shown = screen.getByText(/Another coach already uses/);
    expect(shown.textContent).toContain(notice);
    expect(shown.closest("[role=status]")).toBeTruthy();
  });

  it("says nothing when the slug is Calendly's", async () => {
    settingsWith({ ...dana, slugNotice: null });
    await screen.findByText(/Your booking page/);
    expect(screen.queryByText(/Another coach already uses/)).toBeNull();
  });
});
