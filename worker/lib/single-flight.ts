/**
 * One lane per key: tasks for the same key never overlap, each starts once the one queued before it
 * has settled (whatever its outcome). `share` lets concurrent callers join the task queued last
 * instead of adding their own. CoachGuard keeps one lane per provider, so reading, refreshing and
 * re-encrypting a coach's tokens can never interleave (a rotating refresh token is spent once).
 */
export class Lanes<K> {
  #tails = new Map<K, Promise<void>>();
  #shared = new Map<K, Promise<unknown>>();

  /** Runs `work` alone for `key`, after every task already queued for it. */
  run<T>(key: K, work: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    const result = before.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    // Only the newest tail may clear the key: an older task finishing must not drop a newer one.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /**
   * Joins the shared task for `key` while it is queued or running, else queues `work` as the new
   * shared one. The task leaves the map before it settles, so whoever it wakes starts afresh.
   */
  share<T>(key: K, work: () => Promise<T>): Promise<T> {
    const pending = this.#shared.get(key) as Promise<T> | undefined;
    if (pending) return pending;
    const task: Promise<T> = this.run(key, async () => {
      try {
        return await work();
      } finally {
        if (this.#shared.get(key) === task) this.#shared.delete(key);
      }
    });
    this.#shared.set(key, task);
    return task;
  }

  /** True while a task for `key` is queued or running. */
  busy(key: K): boolean {
    return this.#tails.has(key);
  }
}
