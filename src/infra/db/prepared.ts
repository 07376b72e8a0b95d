import type { CompiledQuery, Compilable } from 'kysely';
import type { Db, Executor } from './database.js';

/** Stands for a named parameter while a prepared query is compiled. */
class Placeholder {
  constructor(readonly name: string) {}
}

/** A query built and compiled once, then run with new parameters. */
export interface PreparedQuery<P, R> {
  /** The first row, if any. */
  first(executor: Executor, params: P): Promise<R | undefined>;
  /** How many rows an insert, update or delete changed. */
  changes(executor: Executor, params: P): Promise<number>;
}

/**
 * Prepares a query of the busiest paths. Building and compiling a query costs more than running a
 * point query on SQLite, so `build` runs once, on the database's own dialect, with a placeholder
 * for each parameter it reads from `params`; every run binds the values in their place. `build`
 * must only compare or store its parameters (columns spelled out, never spread, never branched on).
 */
export function prepare<P extends object, R>(db: Db, build: (db: Db, params: P) => Compilable<R>): PreparedQuery<P, R> {
  let compiled: CompiledQuery<R> | undefined;
  const bind = (params: P): CompiledQuery<R> => {
    compiled ??= build(db, new Proxy({}, { get: (_target, name) => new Placeholder(String(name)) }) as P).compile();
    const values = params as Record<string, unknown>;
    const parameters = compiled.parameters.map((value) => {
      if (!(value instanceof Placeholder)) return value;
      if (values[value.name] === undefined) throw new Error(`prepared query: no value for ${value.name}`);
      return values[value.name];
    });
    return { ...compiled, parameters };
  };
  return {
    first: async (executor, params) => (await executor.executeQuery(bind(params))).rows[0],
    changes: async (executor, params) => Number((await executor.executeQuery(bind(params))).numAffectedRows ?? 0n),
  };
}
