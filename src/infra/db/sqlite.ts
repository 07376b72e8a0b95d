import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { SqliteDialect, SqliteDriver, type CompiledQuery, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; compiling SQL costs more than running it on a busy API. The
 * service issues a few hundred distinct statements, so keeping them prepared is cheap.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(query: string) {
      let statement = statements.get(query);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
        statement = sqlite.prepare(query);
        statements.set(query, statement);
      }
      return statement;
    },
  };
}

/** A commit that is in the database but could not be made durable: it must not be run again. */
export class DurabilityError extends Error {}

/**
 * Puts the write-ahead log on disk, on libuv's thread pool. Commits that ask while a sync is
 * under way share the next one, which starts after theirs. Once a sync has failed the file's state
 * on disk is unknown (the kernel may have dropped the pages it could not write), so every later
 * sync fails too: nothing more is acknowledged until the process restarts and SQLite recovers.
 */
export class WalSync {
  private file: Promise<fs.promises.FileHandle> | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private failure: DurabilityError | undefined;

  constructor(private readonly walPath: string) {}

  sync(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    this.queued = this.running.then(
      () => this.start(),
      () => this.start(),
    );
    return this.queued;
  }

  private start(): Promise<void> {
    this.queued = undefined;
    const run = this.datasync().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async datasync(): Promise<void> {
    if (this.failure) throw this.failure;
    try {
      // SQLite removes the log only when its last connection closes; this process keeps one open.
      this.file ??= fs.promises.open(this.walPath, 'r');
      await (await this.file).datasync();
    } catch (error) {
      this.failure = new DurabilityError(`the SQLite write-ahead log could not be synced to disk: ${(error as Error).message}`);
      throw this.failure;
    }
  }

  async close(): Promise<void> {
    await this.running?.catch(() => undefined);
    await (await this.file?.catch(() => undefined))?.close();
  }
}

/** Notes whether a statement run on it left a commit to be synced: one that ended outside a transaction. */
class DurableConnection implements DatabaseConnection {
  syncDue = false;

  constructor(
    private readonly connection: DatabaseConnection,
    private readonly sqlite: SQLite.Database,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.connection.executeQuery<R>(query);
    if (!this.sqlite.inTransaction && query.query.kind !== 'SelectQueryNode') this.syncDue = true;
    return result;
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.connection.streamQuery<R>(query, chunkSize);
  }
}

/** How often the checkpointer moves committed pages from the log into the database file. */
const CHECKPOINT_INTERVAL_MS = 100;
/**
 * Log pages after which a commit checkpoints by itself, on the event loop: only reached when the
 * checkpointer never finds the log quiet, and it bounds the log to about 32 MB.
 */
export const AUTOCHECKPOINT_PAGES = 8_000;

/** Checkpoints in a row on one tick, at most: each copies what came in during the one before. */
const CHECKPOINT_PASSES = 8;

/**
 * Checkpoints the log from a thread with a connection of its own. A checkpoint copies pages and
 * syncs both files: run by the committing connection (SQLite's default, every 1,000 pages), it
 * holds the event loop for milliseconds. PASSIVE never waits for the writer; a checkpoint that
 * finds the database busy is tried again on the next tick.
 *
 * A checkpoint copies the pages the log held when it began, and the log starts over from its
 * beginning only when a commit finds all of it copied. Under steady writes a commit always comes
 * first, so the log would grow to AUTOCHECKPOINT_PAGES and the writer would checkpoint on the
 * event loop (7–12 ms under the tracking benchmark). Each tick therefore checkpoints again while
 * new pages came in meanwhile: the passes shrink until one finds nothing new, and the next commit
 * starts the log over.
 */
function startCheckpointer(sqlitePath: string): Worker {
  const source = `
    const { workerData } = require('node:worker_threads');
    const SQLite = require(workerData.driver);
    const db = new SQLite(workerData.sqlitePath);
    db.pragma('busy_timeout = 0');
    setInterval(() => {
      let copied = -1;
      for (let pass = 0; pass < workerData.passes; pass++) {
        let result;
        try { [result] = db.pragma('wal_checkpoint(PASSIVE)'); } catch { return; }
        if (result.busy || result.log === copied) return;
        copied = result.log;
      }
    }, workerData.intervalMs);
  `;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const workerData = { driver, sqlitePath, intervalMs: CHECKPOINT_INTERVAL_MS, passes: CHECKPOINT_PASSES };
  const worker = new Worker(source, { eval: true, workerData });
  // Should it ever stop, commits checkpoint by themselves past AUTOCHECKPOINT_PAGES: slower, never wrong.
  worker.on('error', () => undefined);
  worker.unref();
  return worker;
}

/** Whether a caller holds the one connection, and how many wait for it. */
export interface ConnectionUse {
  held: boolean;
  waiting: number;
}

/**
 * Hands the connection on as soon as a caller is done with it, then makes the caller wait until
 * its commit is on disk: the next transaction runs while the log of the last one is synced.
 */
class DurableSqliteDriver extends SqliteDriver implements Driver {
  private connection: DurableConnection | undefined;

  private readonly checkpointer: Worker;

  constructor(
    config: ConstructorParameters<typeof SqliteDriver>[0],
    private readonly sqlite: SQLite.Database,
    private readonly wal: WalSync,
    sqlitePath: string,
    private readonly use: ConnectionUse,
  ) {
    super(config);
    this.checkpointer = startCheckpointer(sqlitePath);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    this.use.waiting++;
    const connection = await super.acquireConnection().finally(() => this.use.waiting--);
    this.use.held = true;
    this.connection ??= new DurableConnection(connection, this.sqlite);
    return this.connection;
  }

  override async releaseConnection(): Promise<void> {
    const syncDue = this.connection?.syncDue === true;
    if (this.connection) this.connection.syncDue = false;
    this.use.held = false;
    await super.releaseConnection();
    if (syncDue) await this.wal.sync();
  }

  override async destroy(): Promise<void> {
    await this.checkpointer.terminate();
    await this.wal.close();
    await super.destroy();
  }
}

/**
 * The embedded database. In WAL mode with synchronous=FULL, SQLite syncs the log inside COMMIT,
 * holding the event loop for every commit; here it runs with synchronous=NORMAL (the log is
 * written at commit, and synced at checkpoints) and every commit waits for a sync of the log off
 * the event loop before it settles. Acknowledged writes are as durable as with FULL, and the event
 * loop parses requests meanwhile. A reader may see a commit during the millisecond its log is being
 * synced: it survives a crash of the process, and is lost only if the machine fails in that window,
 * in which case its writer never got an answer.
 */
export function sqliteDialect(sqlitePath: string, wal = new WalSync(`${sqlitePath}-wal`)): DurableSqliteDialect {
  fs.mkdirSync(path.dirname(sqlitePath), { recursive: true });
  const sqlite = new SQLite(sqlitePath);
  // WAL lets readers run beside the writer (API and worker processes share the file).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  return new DurableSqliteDialect(sqlitePath, sqlite, wal);
}

export class DurableSqliteDialect extends SqliteDialect {
  /** For the metrics: the connection's use, as the driver sees it. */
  readonly connection: ConnectionUse = { held: false, waiting: 0 };

  constructor(
    private readonly sqlitePath: string,
    /** The connection itself, for prepared queries (see preparedOnSqlite). */
    readonly sqlite: SQLite.Database,
    private readonly wal: WalSync,
    private readonly config = { database: withStatementCache(sqlite) },
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new DurableSqliteDriver(this.config, this.sqlite, this.wal, this.sqlitePath, this.connection);
  }
}
