import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { runCron } from "../../../worker/cron";
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

describe("a failing cron task", () => {
  it("runs every other task, then fails with all the failures", async () => {
    const ran: string[] = [];
    const broken = async () => {
      throw new Error("D1 is down");
    };
    const fine = async () => {
      ran.push("fine");
    };
    const failure = await runCron("0 * * * *", env, new Date(), {
      "0 * * * *": [broken, fine, broken],
    }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AggregateError);
    expect((failure as AggregateError).errors).toHaveLength(2);
    expect(ran).toEqual(["fine"]);
  });

  it("fails the scheduled() invocation, so the platform records it as failed", async () => {
    const down = () => {
      throw new Error("D1 is down");
    };
    const brokenEnv = {
      ...env,
      DB: { prepare: down, batch: down, exec: down, dump: down } as unknown as D1Database,
    };
    const ctx = createExecutionContext();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await expect(
        worker.scheduled(
          createScheduledController({ cron: "*/5 * * * *", scheduledTime: Date.now() }),
          brokenEnv,
          ctx,
        ),
      ).rejects.toBeInstanceOf(AggregateError);
      await waitOnExecutionContext(ctx);
      const failed = errors.mock.calls.filter(([l]) => String(l).includes('"cron.task_failed"'));
      expect(failed.length).toBeGreaterThanOrEqual(1);
    } finally {
      errors.mockRestore();
    }
  });
});

describe("subscription health fan-out", () => {
  it("enqueues one job per Calendly-connected coach", async () => {
    const { fanOutSubscriptionChecks } = await import("../../../worker/cron/subscription-health");
    for (const id of ["coa_h1", "coa_h2"]) {
      await env.DB.prepare(
        "insert into coaches (id, calendly_user_uri, name, email, time_zone, slug) values (?, ?, 'C', 'c@coach.test', 'UTC', ?1)",
      )
        .bind(id, `https://api.calendly.test/users/${id}`)
        .run();
      await env.DB.prepare(
        "insert into provider_connections (id, coach_id, provider, external_user_id, status) values (?, ?, 'calendly', 'u', 'connected')",
      )
        .bind(`con_${id}`, id)
        .run();
    }
    // Real queue: the jobs consumer picks these up (and acks them: these coaches hold no tokens).
    expect(await fanOutSubscriptionChecks(env)).toBe(2);
  });
});
