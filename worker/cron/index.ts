/**
 * Cron entry. Handlers only fan out (enqueue one message per due coach); the work happens in queue
 * consumers. Later issues register their due-work scans here.
 */
import { log } from "../lib/log";

export const CRONS = {
  everyFiveMinutes: "*/5 * * * *",
  hourly: "0 * * * *",
  daily: "30 3 * * *",
} as const;

export type CronTask = (env: Env, now: Date) => Promise<unknown>;

export async function runCron(
  cron: string,
  env: Env,
  now: Date,
  tasks: Partial<Record<string, CronTask[]>>,
) {
  const due = tasks[cron] ?? [];
  const results = await Promise.allSettled(due.map((task) => task(env, now)));
  results.forEach((r, i) => {
    if (r.status === "rejected") log.error("cron.task_failed", { cron, task: i, err: r.reason });
  });
  log.info("cron.ran", { cron, tasks: due.length });
}

export function mergeCronTasks(...sets: Partial<Record<string, CronTask[]>>[]) {
  const out: Partial<Record<string, CronTask[]>> = {};
  for (const set of sets) {
    for (const [cron, list] of Object.entries(set))
      out[cron] = [...(out[cron] ?? []), ...(list ?? [])];
  }
  return out;
}
