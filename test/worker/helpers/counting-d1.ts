/**
 * A D1 binding that counts what the code under test asks of D1: every statement run (alone, or
 * inside a `batch()`) and every round trip. Statements are wrapped to be counted when they run, and
 * unwrapped before they reach the real `batch()`, which accepts only its own statements.
 */
export type D1Cost = { statements: number; roundTrips: number; sql: string[] };

export function countingD1(db: D1Database) {
  const cost: D1Cost = { statements: 0, roundTrips: 0, sql: [] };
  const real = new WeakMap<object, { stmt: D1PreparedStatement; sql: string }>();
  const ran = (sql: string) => {
    cost.statements++;
    cost.sql.push(sql);
  };
  const statement = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const wrapped = new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind")
          return (...values: unknown[]) => statement(target.bind(...values), sql);
        if (prop === "all" || prop === "raw" || prop === "first" || prop === "run") {
          return (...args: unknown[]) => {
            ran(sql);
            cost.roundTrips++;
            return (target[prop] as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    real.set(wrapped, { stmt, sql });
    return wrapped;
  };
  const binding = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => statement(target.prepare(sql), sql);
      if (prop === "batch") {
        return (stmts: D1PreparedStatement[]) => {
          cost.roundTrips++;
          for (const s of stmts) ran(real.get(s)?.sql ?? "(unwrapped statement)");
          return target.batch(stmts.map((s) => real.get(s)?.stmt ?? s));
        };
      }
      if (prop === "exec") {
        return (sql: string) => {
          cost.roundTrips++;
          for (const part of sql.split(";").filter((p) => p.trim())) ran(part.trim());
          return target.exec(sql);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    binding,
    cost,
    reset() {
      cost.statements = 0;
      cost.roundTrips = 0;
      cost.sql = [];
    },
  };
}
