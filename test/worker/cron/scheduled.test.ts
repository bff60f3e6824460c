import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../../worker/index";

describe("scheduled()", () => {
  it.each(["*/5 * * * *", "0 * * * *", "30 3 * * *"])(
    "runs the %s tick to completion",
    async (cron) => {
      const spy = vi.spyOn(console, "log");
      const ctx = createExecutionContext();
      await worker.scheduled(
        createScheduledController({ cron, scheduledTime: Date.now() }),
        env,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      const ran = spy.mock.calls.map(([line]) => String(line)).find((l) => l.includes("cron.ran"));
      expect(ran && JSON.parse(ran)).toMatchObject({ event: "cron.ran", cron });
      spy.mockRestore();
    },
  );
});
