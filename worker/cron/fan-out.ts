/**
 * The one shape of every cron fan-out: read due rows a page (≤ 100) at a time, claim or select the
 * page in one statement, enqueue it with one `sendBatch`. A tick over N due rows costs about N / 100
 * D1 statements and N / 100 queue calls, so it stays far inside the 1,000 D1 queries an invocation
 * may make (all 5-minute tasks share one invocation) however many coaches are due; the per-row work
 * runs in the jobs consumer, one message per row.
 */
import { log } from "../lib/log";
import { enqueueJobs, type Job } from "../queues/job";

/** D1 binds at most 100 parameters, and a `sendBatch` takes at most 100 messages. */
export const FAN_OUT_PAGE = 100;

/**
 * One page: the jobs to send, and where the next page starts (`null`: this was the last). Keyset
 * pages pass the last key they read; claiming pages, whose claimed rows leave the due set, just
 * say whether to look again.
 */
export type FanOutPage = { jobs: Job[]; next: string | null };

export type FanOutOptions = {
  /** A log name for the task, e.g. "due_syncs". */
  task: string;
  /** The tick's page budget: maxPages × statements per page must leave room for the other tasks. */
  maxPages: number;
};

export async function fanOut(
  env: Env,
  { task, maxPages }: FanOutOptions,
  readPage: (after: string | null) => Promise<FanOutPage>,
): Promise<number> {
  let after: string | null = null;
  let sent = 0;
  let pages = 0;
  do {
    const page = await readPage(after);
    pages++;
    sent += await enqueueJobs(env, page.jobs);
    after = page.next;
  } while (after !== null && pages < maxPages);
  // More due rows than the budget: the next tick goes on (claimed rows are not due any more).
  if (after !== null) log.warn("cron.fan_out_capped", { task, pages, sent });
  return sent;
}

/** A keyset page's continuation: the last row's key when the page was full, else the end. */
export const nextKey = <R>(rows: R[], key: (row: R) => string): string | null =>
  rows.length === FAN_OUT_PAGE ? key(rows[rows.length - 1] as R) : null;
