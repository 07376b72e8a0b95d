import type SQLite from 'better-sqlite3';
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
  /** Every row (through Kysely: only batches on PostgreSQL read many rows). */
  rows(executor: Executor, params: P): Promise<R[]>;
  /** How many rows an insert, update or delete changed. */
  changes(executor: Executor, params: P): Promise<number>;
}

const sqliteConnections = new WeakMap<Db, SQLite.Database>();

/** The SQL of every prepared query, with the name it runs under as a PostgreSQL prepared statement. */
const statementNames = new Map<string, string>();

/**
 * The name a query runs under on PostgreSQL when it is one of the prepared queries: the server
 * then parses and plans it once per connection instead of on every call. Only these few are
 * named, so a connection never accumulates statements.
 */
export function preparedStatementName(sql: string): string | undefined {
  return statementNames.get(sql);
}

/**
 * Lets prepared queries of `db` run inside its transactions straight on its SQLite connection,
 * which the transaction holds. Kysely's executor allocates some 5 KB per query through its layers
 * of async calls, which costs more than running the query; a view/update runs four of them.
 */
export function preparedOnSqlite(db: Db, sqlite: SQLite.Database): void {
  sqliteConnections.set(db, sqlite);
}

/**
 * A row from its values, written out for each query (`{"id": values[0], …}`): an object literal
 * stays fast however many queries there are, where setting the columns in a loop would not.
 * Column names come from the query's own code and are quoted as JSON.
 */
function buildRow<R>(columns: string[]): (values: unknown[]) => R {
  return new Function('values', `return {${columns.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(', ')}};`) as (values: unknown[]) => R;
}

/**
 * Prepares a query of the busiest paths. Building and compiling a query costs more than running a
 * point query on SQLite, so `build` runs once, on the database's own dialect, with a placeholder
 * for each parameter it reads from `params`; every run binds the values in their place. `build`
 * must only compare or store its parameters (columns spelled out, never spread, never branched on).
 */
export function prepare<P extends object, R>(db: Db, build: (db: Db, params: P) => Compilable<R>): PreparedQuery<P, R> {
  let compiled: CompiledQuery<R> | undefined;
  let statement: SQLite.Statement | undefined;
  let row: ((values: unknown[]) => R) | undefined;
  const compile = (): CompiledQuery<R> => {
    if (compiled) return compiled;
    compiled = build(db, new Proxy({}, { get: (_target, name) => new Placeholder(String(name)) }) as P).compile();
    if (!statementNames.has(compiled.sql)) statementNames.set(compiled.sql, `lens_prepared_${statementNames.size + 1}`);
    return compiled;
  };
  const values = (params: P): unknown[] =>
    compile().parameters.map((value) => {
      if (!(value instanceof Placeholder)) return value;
      const bound = (params as Record<string, unknown>)[value.name];
      if (bound === undefined) throw new Error(`prepared query: no value for ${value.name}`);
      return bound;
    });
  const prepareOn = (sqlite: SQLite.Database): SQLite.Statement => {
    const prepared = sqlite.prepare(compile().sql);
    // Rows read as arrays: better-sqlite3 would otherwise look up every column name of every row.
    if (prepared.reader) row = buildRow(prepared.raw(true).columns().map((c) => c.name));
    return prepared;
  };
  /** The SQLite statement to run when `executor` is a transaction of a database that allows it. */
  const direct = (executor: Executor): SQLite.Statement | undefined => {
    const sqlite = executor.isTransaction ? sqliteConnections.get(db) : undefined;
    return sqlite && (statement ??= prepareOn(sqlite));
  };
  const query = (params: P): CompiledQuery<R> => ({ ...compile(), parameters: values(params) });
  return {
    first: async (executor, params) => {
      const sqlite = direct(executor);
      if (!sqlite) return (await executor.executeQuery(query(params))).rows[0];
      const found = sqlite.get(values(params)) as unknown[] | undefined;
      return found && row!(found);
    },
    rows: async (executor, params) => (await executor.executeQuery(query(params))).rows,
    changes: async (executor, params) => {
      const sqlite = direct(executor);
      if (sqlite) return sqlite.run(values(params)).changes;
      return Number((await executor.executeQuery(query(params))).numAffectedRows ?? 0n);
    },
  };
}
