/**
 * A D1 binding whose queries can be held, for races that need a query to take as long as it may
 * against a remote D1 (locally one answers in well under a millisecond). Statements are wrapped, so
 * this does not support `batch()`; use it only on code paths that do not batch.
 */
type Hold = { matches: RegExp; until: Promise<void> } | null;

export function slowD1(db: D1Database) {
  let hold: Hold = null;
  let waiting = 0;
  const wait = async (sql: string) => {
    if (!hold?.matches.test(sql)) return;
    waiting++;
    await hold.until;
    waiting--;
  };
  const statement = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind") {
          return (...values: unknown[]) => statement(target.bind(...values), sql);
        }
        if (prop === "all" || prop === "raw" || prop === "first" || prop === "run") {
          return async (...args: unknown[]) => {
            await wait(sql);
            return (target[prop] as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const binding = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => statement(target.prepare(sql), sql);
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    binding,
    /** Queries held right now. */
    waiting: () => waiting,
    /** Holds every query whose SQL matches until the returned release is called. */
    hold(matches: RegExp) {
      let release = () => {};
      const until = new Promise<void>((resolve) => {
        release = resolve;
      });
      hold = { matches, until };
      return () => {
        hold = null;
        release();
      };
    },
  };
}
