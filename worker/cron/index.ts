/**
 * Cron entry. Handlers only fan out (enqueue one message per due coach, in bulk: ./fan-out.ts and
 * ADR 0011); the work happens in queue consumers. Later issues register their due-work scans here.
 */
import { log } from "../lib/log";

export const CRONS = {
  everyFiveMinutes: "*/5 * * * *",
  hourly: "0 * * * *",
  daily: "30 3 * * *",
} as const;

export type CronTask = (env: Env, now: Date) => Promise<unknown>;

/**
 * Runs every task due for `cron`, all of them even when some fail, then throws one AggregateError
 * naming the failures: `scheduled()` awaits it, so the platform marks the invocation failed.
 */
export async function runCron(
  cron: string,
  env: Env,
  now: Date,
  tasks: Partial<Record<string, CronTask[]>>,
): Promise<void> {
  const due = tasks[cron] ?? [];
  const results = await Promise.allSettled(due.map((task) => task(env, now)));
  const failures = results.flatMap((r, i) => {
    if (r.status === "fulfilled") return [];
    const task = due[i]?.name || `task ${i}`;
    log.error("cron.task_failed", { cron, task, err: r.reason });
    return [r.reason as unknown];
  });
  log.info("cron.ran", { cron, tasks: due.length, failed: failures.length });
  if (failures.length > 0) {
    throw new AggregateError(failures, `cron ${cron}: ${failures.length} of ${due.length} failed`);
  }
}

export function mergeCronTasks(...sets: Partial<Record<string, CronTask[]>>[]) {
  const out: Partial<Record<string, CronTask[]>> = {};
  for (const set of sets) {
    for (const [cron, list] of Object.entries(set))
      out[cron] = [...(out[cron] ?? []), ...(list ?? [])];
  }
  return out;
}
