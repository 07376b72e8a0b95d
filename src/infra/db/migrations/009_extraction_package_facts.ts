import type { Kysely } from 'kysely';

// What a completed extraction found about its package (title, standard, authoring tool), kept on
// its row so lists can show and sort files by them without reading every result from storage.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of ['package_title', 'package_standard', 'package_tool']) {
    await db.schema.alterTable('content_extractions').addColumn(column, 'text').execute();
  }
}
