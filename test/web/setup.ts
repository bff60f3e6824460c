import { cleanup } from "@testing-library/preact";
import { afterEach, vi } from "vitest";
import { clearRequestCache } from "../../web/src/use-request";

afterEach(() => {
  cleanup();
  clearRequestCache();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});
