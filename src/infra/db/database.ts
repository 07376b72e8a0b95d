import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { preparedOnSqlite, preparedStatementName } from './prepared.js';
import type { Database } from './schema.js';
import { sqliteDialect } from './sqlite.js';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or an open transaction: repositories accept both. */
export type Executor = Db | Tx;

/** A process's database connections: those held by a query or transaction, those free, and queries waiting for one. */
export interface ConnectionCounts {
  inUse: number;
  idle: number;
  waiting: number;
}

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** The PostgreSQL connection string, for engines that open their own pool (pg-boss). */
  connectionString: string | undefined;
  ping(): Promise<void>;
  /** For the metrics: a pool of up to 20 on PostgreSQL; SQLite's one connection, that a query or transaction holds at a time. */
  connections(): ConnectionCounts;
  close(): Promise<void>;
}

// int8 (epoch milliseconds, counts) fits in a double for the next 285,000 years.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * Sends the prepared queries (see prepare) of a new connection as named statements. Kysely gives
 * the driver only SQL and values, so the name is looked up by the SQL.
 */
function nameStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as Query;
  client.query = ((config: unknown, values?: unknown, callback?: unknown) => {
    const name = typeof config === 'string' ? preparedStatementName(config) : undefined;
    return name ? query({ name, text: config, values }, callback) : query(config, values, callback);
  }) as typeof client.query;
}

export function openDatabase(options: { databaseUrl: string | undefined; sqlitePath: string }): DatabaseHandle {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 20 });
    // An idle client that loses its server must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    pool.on('connect', nameStatements);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const connections = () => ({ inUse: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount });
    return handle(db, 'postgres', options.databaseUrl, connections);
  }
  const dialect = sqliteDialect(options.sqlitePath);
  const db = new Kysely<Database>({ dialect });
  preparedOnSqlite(db, dialect.sqlite);
  const connections = () => ({ inUse: dialect.connection.held ? 1 : 0, idle: dialect.connection.held ? 0 : 1, waiting: dialect.connection.waiting });
  return handle(db, 'sqlite', undefined, connections);
}

function handle(db: Db, dialect: Dialect, connectionString: string | undefined, connections: () => ConnectionCounts): DatabaseHandle {
  return {
    db,
    dialect,
    connectionString,
    connections,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}

export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
