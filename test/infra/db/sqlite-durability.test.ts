import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, sql, type Generated } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db, Tx } from '../../../src/infra/db/database.js';
import { GroupCommit } from '../../../src/infra/db/group-commit.js';
import { AUTOCHECKPOINT_PAGES, DurabilityError, sqliteDialect, WalSync } from '../../../src/infra/db/sqlite.js';

interface Scratch {
  notes: { id: Generated<number>; text: string };
}

let dir: string;
const opened: Kysely<Scratch>[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-sqlite-'));
});

afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens a database with a notes table, made beforehand so that a database whose log cannot be synced has it. */
async function open(file: string, wal?: WalSync): Promise<Kysely<Scratch>> {
  const setup = new Kysely<Scratch>({ dialect: sqliteDialect(path.join(dir, file)) });
  await setup.schema.createTable('notes').ifNotExists().addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('text', 'text').execute();
  await setup.destroy();
  const db = new Kysely<Scratch>({ dialect: sqliteDialect(path.join(dir, file), wal) });
  opened.push(db);
  return db;
}

/** A log that cannot be synced: its file is not where the sync looks. */
const unsyncable = () => new WalSync(path.join(dir, 'missing', 'scorm-lens.db-wal'));

const count = async (db: Kysely<Scratch>) => Number((await db.selectFrom('notes').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('SQLite commits', () => {
  it('settle only once the write-ahead log is synced, while other callers use the connection meanwhile', async () => {
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    // The real sync, run only once the test lets it.
    class GatedSync extends WalSync {
      override async sync(): Promise<void> {
        await gate;
        return super.sync();
      }
    }
    const db = await open('notes.db', new GatedSync(path.join(dir, 'notes.db-wal')));
    let settled = false;
    const write = db.insertInto('notes').values({ id: 1, text: 'waits for its sync' }).execute().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    // Committed and handed on: a reader sees it before the writer gets its answer.
    expect(await db.selectFrom('notes').select('id').execute()).toEqual([{ id: 1 }]);
    openGate();
    await write;
    expect(settled).toBe(true);
  });

  it('made concurrently, on their own and in transactions, are all there when the file is opened again', async () => {
    const db = await open('notes.db');
    await Promise.all(Array.from({ length: 50 }, (_, i) => db.insertInto('notes').values({ id: i, text: `note ${i}` }).execute()));
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('notes').values({ id: 50, text: 'in a transaction' }).execute();
    });
    await db.destroy();
    opened.splice(0);
    expect(await count(await open('notes.db'))).toBe(51);
  });

  it('reach the database file from the write-ahead log in the background, without the writer checkpointing', async () => {
    const db = await open('notes.db');
    const file = path.join(dir, 'notes.db');
    expect(fs.statSync(file).size).toBeLessThan(1024 * 1024);
    // 1 MB is 250 pages, far below the 8,000 after which a commit checkpoints by itself.
    await db.insertInto('notes').values({ id: 1, text: 'x'.repeat(1024 * 1024) }).execute();
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(1024 * 1024);
    await expect.poll(() => fs.statSync(file).size, { timeout: 5000 }).toBeGreaterThan(1024 * 1024);
  });

  it('under steady writes, start the log over before it grows to the size at which the writer checkpoints by itself', async () => {
    const db = await open('notes.db');
    const rows = 4000;
    await db.transaction().execute(async (tx) => {
      for (let id = 0; id < rows; id++) await tx.insertInto('notes').values({ id, text: 'x'.repeat(900) }).execute();
    });
    // A commit of 50 rows on 50 scattered pages every few milliseconds, as under a steady load:
    // some 80 MB through the log, 2.5 times the 8,000 pages past which a commit checkpoints by itself.
    for (let round = 0; round < 400; round++) {
      await db.transaction().execute(async (tx) => {
        for (let i = 0; i < 50; i++) {
          await tx.updateTable('notes').set({ text: `${round}`.padEnd(900, 'y') }).where('id', '=', (round * 7919 + i * 79) % rows).execute();
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    // Had the writer checkpointed by itself, the log would have reached AUTOCHECKPOINT_PAGES frames
    // (4 KB pages with 24-byte headers) and kept that size. Nine tenths of it leaves the
    // checkpointer thread room to be late on a busy machine (it was seen at 76% with the suite's
    // other files running beside it).
    expect(fs.statSync(path.join(dir, 'notes.db-wal')).size).toBeLessThan(0.9 * AUTOCHECKPOINT_PAGES * (4096 + 24));
  });

  it('fail when the log cannot be synced, and every later write fails too while reads go on', async () => {
    const db = await open('notes.db', unsyncable());
    await expect(db.insertInto('notes').values({ id: 1, text: 'first' }).execute()).rejects.toThrow(DurabilityError);
    // The write is in the database, but nothing more is acknowledged until the process restarts.
    expect(await count(db)).toBe(1);
    await expect(db.insertInto('notes').values({ id: 2, text: 'second' }).execute()).rejects.toThrow(/could not be synced/);
    await expect(db.transaction().execute((tx) => tx.insertInto('notes').values({ id: 3, text: 'third' }).execute())).rejects.toThrow(DurabilityError);
    expect(await db.selectFrom('notes').select('id').orderBy('id').execute()).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  });
});

describe('GroupCommit on SQLite', () => {
  type Work = (tx: Tx) => Promise<unknown>;
  /** Applies a batch by running its writes one after another. */
  const inTurn = async (tx: Tx, works: Work[]) => {
    const results: unknown[] = [];
    for (const work of works) results.push(await work(tx));
    return results;
  };
  /** The sizes of the batches a group commit committed, as the metrics see them. */
  const recorder = () => {
    const sizes: number[] = [];
    return { sizes, observe: (size: number) => sizes.push(size) };
  };
  const write = (id: number) => async (tx: Tx) => {
    await (tx as unknown as Kysely<Scratch>).insertInto('notes').values({ id, text: `note ${id}` }).execute();
    return id;
  };

  it('answers each write with its own value, in shared commits, and a failing write fails alone', async () => {
    const db = await open('notes.db');
    const batchSizes = recorder();
    const writes = new GroupCommit<Work, unknown>(db as unknown as Db, inTurn, batchSizes);
    const results = await Promise.allSettled([...Array.from({ length: 20 }, (_, i) => writes.run(`k${i}`, write(i))), writes.run('k20', write(3))]);
    expect(results.slice(0, 20).map((r) => (r.status === 'fulfilled' ? r.value : r.reason))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(results[20]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/UNIQUE/) }) });
    expect(await count(db)).toBe(20);
    // The 21 writes went in one batch; the failed one ran again alone after it.
    expect(batchSizes.sizes).toEqual([21]);
  });

  it('puts at most one write of a key in a batch, and applies the writes of a key in the order they came', async () => {
    const db = await open('notes.db');
    const batches: string[][] = [];
    const writes = new GroupCommit<{ key: string; id: number }, number>(db as unknown as Db, async (tx, batch) => {
      batches.push(batch.map((w) => w.key));
      for (const w of batch) await (tx as unknown as Kysely<Scratch>).insertInto('notes').values({ id: w.id, text: w.key }).execute();
      return batch.map((w) => w.id);
    }, recorder());
    const keys = ['a', 'a', 'b', 'a', 'c', 'b', 'a'];
    const results = await Promise.all(keys.map((key, id) => writes.run(key, { key, id })));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(batches.every((batch) => new Set(batch).size === batch.length)).toBe(true);
    expect(batches.flat().sort()).toEqual([...keys].sort());
    // Ids of a key were inserted in their order: rowid order within the key follows the id order.
    const rows = await (db as unknown as Kysely<Scratch>).selectFrom('notes').select(['id', 'text']).orderBy(sql`rowid`).execute();
    expect(rows.filter((row) => row.text === 'a').map((row) => row.id)).toEqual([0, 1, 3, 6]);
  });

  it('does not run again a batch that committed but could not be made durable', async () => {
    const db = await open('notes.db', unsyncable());
    const writes = new GroupCommit<Work, unknown>(db as unknown as Db, inTurn, recorder());
    const append = (tx: Tx) => (tx as unknown as Kysely<Scratch>).insertInto('notes').values({ text: 'once' }).execute();
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => writes.run(`k${i}`, append)));
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof DurabilityError)).toBe(true);
    expect(await count(db)).toBe(10);
  });

  it('has answered every write handed in once settled, so the database can close under them', async () => {
    const db = await open('notes.db');
    expect(await count(db)).toBe(0); // opens the connection: closing a database never used does nothing
    // Batches of five writes that each take a while: the last batches begin long after the first.
    const batchSizes = recorder();
    const writes = new GroupCommit<Work, unknown>(db as unknown as Db, inTurn, batchSizes, 5);
    const slowWrite = (id: number) => async (tx: Tx) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return write(id)(tx);
    };
    const results = Promise.allSettled(Array.from({ length: 30 }, (_, i) => writes.run(`k${i}`, slowWrite(i))));
    await writes.settled();
    opened.splice(0);
    await db.destroy();
    expect((await results).map((r) => r.status)).toEqual(Array(30).fill('fulfilled'));
    expect(batchSizes.sizes).toEqual(Array(6).fill(5));
  });
});
