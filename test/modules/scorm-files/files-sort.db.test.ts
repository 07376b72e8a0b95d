import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/modules/accounts/principal.js';
import { ContentExtractionsRepository } from '../../../src/modules/scorm-files/extractions-repository.js';
import { ScormFilesRepository, scormFileSortKeys, type ScormFileSort } from '../../../src/modules/scorm-files/files-repository.js';
import type { ScormFileStatus } from '../../../src/infra/db/schema.js';
import { startHarness, type Harness } from '../../support/harness.js';

// The files list sorted by name, by the package facts of each file's latest completed extraction,
// or by date, read a page at a time: every file exactly once, in the same order on both databases.

let harness: Harness;
let principal: Principal;
/** What each file should sort by, as the list shows it. */
const expected: { id: number; name: string; title: string | null; standard: string | null; tool: string | null; status: ScormFileStatus }[] = [];

const TITLES = ['Alpha', 'beta', 'Gamma'];
const STANDARDS = ['SCORM 1.2', 'SCORM 2004 4th Edition'];
const TOOLS = ['Adapt', 'articulate Rise 360', null];

beforeAll(async () => {
  harness = await startHarness();
  const tenant = await harness.createTenant('Sorting');
  principal = { userId: tenant.manager.id, organizationId: tenant.organizationId, organizationSlug: tenant.slug, role: 'manager', apiKeyId: null, apiKeyName: null };
  const { db } = harness.context.database;
  const files = new ScormFilesRepository(db);
  const extractions = new ContentExtractionsRepository(db);
  const completed = async (scormFileId: number, facts: { title: string | null; standard: string | null; tool: string | null }) => {
    const extraction = await extractions.insert(db, { organizationId: tenant.organizationId, scormFileId, status: 'completed' });
    await db
      .updateTable('content_extractions')
      .set({ package_title: facts.title, package_standard: facts.standard, package_tool: facts.tool })
      .where('id', '=', extraction.id)
      .execute();
  };
  const now = Date.now();
  for (let i = 0; i < 30; i++) {
    // Names in mixed case (the sort ignores case), many titles alike (ties go by upload order).
    const name = `${i % 2 ? 'File' : 'file'}-${String((i * 7) % 30).padStart(2, '0')}.zip`;
    const status: ScormFileStatus = i % 5 === 0 ? 'failed' : 'content_extraction_completed';
    const file = await files.insert(db, {
      organization_id: tenant.organizationId,
      user_id: tenant.manager.id,
      api_key_id: null,
      api_key_name: null,
      file_name: name,
      status,
      storage_path: null,
      batch_name: null,
      file_size_bytes: 1,
      public_url: null,
      client_ip: null,
      remark: null,
      created_at: now + i,
      updated_at: now + i,
      deleted_at: null,
      deleted_by: null,
    });
    if (status === 'failed') {
      // Never completed: no title, standard or tool.
      await extractions.insert(db, { organizationId: tenant.organizationId, scormFileId: file.id, status: 'failed' });
      expected.push({ id: file.id, name, title: null, standard: null, tool: null, status });
      continue;
    }
    const facts = { title: TITLES[i % 3]!, standard: STANDARDS[i % 2]!, tool: TOOLS[i % 3]! };
    if (i % 4 === 1) {
      // An older completed extraction found other facts, and a later run failed: the latest completed one counts.
      await completed(file.id, { title: 'Zeta', standard: 'AICC', tool: 'Lectora' });
      await completed(file.id, facts);
      await extractions.insert(db, { organizationId: tenant.organizationId, scormFileId: file.id, status: 'failed' });
    } else {
      await completed(file.id, facts);
    }
    expected.push({ id: file.id, name, ...facts, status });
  }
});

afterAll(async () => {
  await harness.close();
});

/** The order the list must show: by the key without regard to case, files without it last, ties by upload order. */
function expectedOrder(sort: ScormFileSort, rows = expected): number[] {
  const key = (row: (typeof expected)[number]) => (sort.by === 'date' ? null : (sort.by === 'name' ? row.name : row[sort.by])?.toLowerCase() ?? null);
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      if (ka !== kb) {
        if (ka === null) return 1;
        if (kb === null) return -1;
        return ka < kb ? -sign : sign;
      }
      return (a.id - b.id) * sign;
    })
    .map((row) => row.id);
}

async function readAllPages(sort: ScormFileSort, filter = {}): Promise<number[]> {
  const ids: number[] = [];
  for (let offset = 0; ; offset += 7) {
    const { count, rows } = await harness.context.scormFiles.files.page(principal, filter, offset, 7, sort);
    ids.push(...rows.map((row) => row.file.id));
    if (offset + 7 >= count) return ids;
  }
}

describe('sorting the files list', () => {
  for (const by of scormFileSortKeys) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`pages through every file once, by ${by} ${direction === 'asc' ? 'ascending' : 'descending'}`, async () => {
        const ids = await readAllPages({ by, direction });
        expect(new Set(ids).size).toBe(30);
        expect(ids).toEqual(expectedOrder({ by, direction }));
      });
    }
  }

  it('keeps the filters while sorting by a package fact', async () => {
    const ids = await readAllPages({ by: 'title', direction: 'asc' }, { status: 'content_extraction_completed' });
    expect(ids).toHaveLength(24);
    expect(ids).toEqual(expectedOrder({ by: 'title', direction: 'asc' }, expected.filter((row) => row.status === 'content_extraction_completed')));
  });
});
