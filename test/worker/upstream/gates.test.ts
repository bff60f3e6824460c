import { describe, expect, it } from "vitest";
import { calendlyGateFor, foldGateViews, type GateView } from "../../../worker/upstream/gates";
import { initialGateState } from "../../../worker/upstream/policy";

describe("gates", () => {
  it("POST /invitees has its own gate; every other call shares the API gate", () => {
    expect(calendlyGateFor({ method: "POST", path: "/invitees" })).toBe("calendly:scheduling");
    expect(calendlyGateFor({ method: "GET", path: "/invitees" })).toBe("calendly");
    expect(calendlyGateFor({ method: "POST", path: "/invitee_no_shows" })).toBe("calendly");
    expect(calendlyGateFor({ method: "GET", path: "/event_types" })).toBe("calendly");
  });

  it("folds an upstream's gates into the worst breaker and the latest wait, error and success", () => {
    const view = (patch: Partial<GateView>, state = {}): GateView => ({
      degraded: false,
      breaker: "closed",
      retryAt: null,
      ...patch,
      state: { ...initialGateState(), ...state },
    });
    const folded = foldGateViews([
      view({}, { lastSuccessAt: 5, lastError: { at: 1, message: "old" } }),
      view({ degraded: true, retryAt: 40 }, { lastError: { at: 3, message: "429" } }),
      view({ degraded: true, breaker: "open", retryAt: 20 }, { lastSuccessAt: 9 }),
    ]);
    expect(folded).toEqual({
      degraded: true,
      breaker: "open",
      retryAt: 40,
      lastError: { at: 3, message: "429" },
      lastSuccessAt: 9,
    });
    expect(foldGateViews([view({})])).toMatchObject({ degraded: false, breaker: "closed" });
  });
});
