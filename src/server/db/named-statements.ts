/**
 * Named (prepared) statements for the queries Drizzle sends through postgres.js.
 *
 * Why: Drizzle asks postgres.js for an unnamed statement unless a query is `.prepare()`d, and postgres.js sends
 * an unnamed statement that has parameters in two round trips (Parse + Describe, wait for the parameter types,
 * then Bind + Execute), parsing and planning it again every time. A named statement is parsed once per
 * connection and then costs one round trip. On the request path that halves the round trips of every
 * parameterised query (measured in `npm run load`).
 *
 * Statements whose text is long are left unnamed: they are bulk writes whose text changes with the row count,
 * where parsing is cheap beside the data and a per-connection cache of their text would only grow.
 */
import type { Sql } from "postgres";

/** Longer query texts stay unnamed (see above). */
export const NAMED_STATEMENT_MAX_CHARS = 4096;

type Unsafe = Sql["unsafe"];

/** Whether a query should be a named statement (one without parameters goes as a simple query either way). */
export const shouldName = (query: string): boolean => query.length <= NAMED_STATEMENT_MAX_CHARS;

/**
 * `sql`, with every `unsafe()` query (what Drizzle sends) named when short, in transactions and savepoints too:
 * postgres.js hands `begin()` and `savepoint()` callbacks a connection-bound `sql` of their own.
 */
export function withNamedStatements<T extends Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === "unsafe") {
        const unsafe: Unsafe = (query, parameters, options) =>
          target.unsafe(query, parameters, shouldName(query) ? { ...options, prepare: true } : options);
        return unsafe;
      }
      if (prop === "begin" || prop === "savepoint") {
        const original = Reflect.get(target, prop, receiver) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const callback = args.at(-1);
          if (typeof callback !== "function") return original.apply(target, args);
          return original.apply(target, [...args.slice(0, -1), (scoped: Sql) => (callback as (s: Sql) => unknown)(withNamedStatements(scoped))]);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}
