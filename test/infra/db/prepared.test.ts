import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, sql, type Generated } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/infra/db/database.js';
import { prepare, preparedOnSqlite } from '../../../src/infra/db/prepared.js';
import { sqliteDialect } from '../../../src/infra/db/sqlite.js';

interface Scratch {
  notes: { id: Generated<number>; owner: string; text: string | null; score: number };
}

let dir: string;
let db: Kysely<Scratch>;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-prepared-'));
  const dialect = sqliteDialect(path.join(dir, 'notes.db'));
  db = new Kysely<Scratch>({ dialect });
  preparedOnSqlite(db as unknown as Db, dialect.sqlite);
  await db.schema
    .createTable('notes')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('score', 'real', (c) => c.notNull())
    .execute();
  await db.insertInto('notes').values([{ owner: 'ada', text: null, score: 1.5 }, { owner: 'bob', text: 'it\'s "quoted"', score: 2 }]).execute();
});

afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Queries of the scratch table, prepared the way repositories prepare theirs.
const byOwner = (scratch: Kysely<Scratch>) =>
  prepare(scratch as unknown as Db, (_db, params: { owner: string; minimum: number }) =>
    scratch
      .selectFrom('notes')
      .select(['id', 'text', 'score', sql<string>`owner || '!'`.as('odd "name", with quotes')])
      .where('owner', '=', params.owner)
      .where('score', '>=', params.minimum)
      .where('id', '>', 0),
  );

describe('prepared queries', () => {
  it('give the same rows straight from SQLite inside a transaction as through Kysely outside', async () => {
    const query = byOwner(db);
    const outside = [await query.first(db as unknown as Db, { owner: 'ada', minimum: 1 }), await query.first(db as unknown as Db, { owner: 'bob', minimum: 1 })];
    const inside = await db.transaction().execute(async (tx) => [
      await query.first(tx as unknown as Db, { owner: 'ada', minimum: 1 }),
      await query.first(tx as unknown as Db, { owner: 'bob', minimum: 1 }),
    ]);
    expect(outside).toEqual([
      { id: 1, text: null, score: 1.5, 'odd "name", with quotes': 'ada!' },
      { id: 2, text: 'it\'s "quoted"', score: 2, 'odd "name", with quotes': 'bob!' },
    ]);
    expect(inside).toEqual(outside);
    expect(await db.transaction().execute((tx) => query.first(tx as unknown as Db, { owner: 'ada', minimum: 2 }))).toBeUndefined();
  });

  it('count the rows a write changed, inside a transaction and outside', async () => {
    const rename = prepare(db as unknown as Db, (_db, params: { owner: string; text: string }) =>
      db.updateTable('notes').set({ text: params.text }).where('owner', '=', params.owner),
    );
    expect(await rename.changes(db as unknown as Db, { owner: 'ada', text: 'outside' })).toBe(1);
    expect(await db.transaction().execute((tx) => rename.changes(tx as unknown as Db, { owner: 'nobody', text: 'inside' }))).toBe(0);
    expect(await db.transaction().execute((tx) => rename.changes(tx as unknown as Db, { owner: 'bob', text: 'inside' }))).toBe(1);
    expect(await db.selectFrom('notes').select('text').orderBy('id').execute()).toEqual([{ text: 'outside' }, { text: 'inside' }]);
  });

  it('refuse to run without a value for every parameter', async () => {
    const query = byOwner(db);
    const missing = { owner: 'ada' } as unknown as { owner: string; minimum: number };
    await expect(query.first(db as unknown as Db, missing)).rejects.toThrow('prepared query: no value for minimum');
    await expect(db.transaction().execute((tx) => query.first(tx as unknown as Db, missing))).rejects.toThrow('no value for minimum');
  });
});
