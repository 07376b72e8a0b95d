import type { Db, Executor } from '../../infra/db/database.js';
import { prepare } from '../../infra/db/prepared.js';
import type { Collection, CollectionContent, Context, Enrollment } from '../../infra/db/schema.js';
import { LRUCache } from 'lru-cache';

export interface CollectionWithContents {
  collection: Collection;
  contents: CollectionContent[];
}

/** How long a process reuses a collection or context it read: changes reach other processes within this. */
const CACHE_MS = 5_000;

/** A learner's enrollment as admitting their writes, updating its aggregates and showing it need it. */
export type EnrollmentState = Omit<Enrollment, 'organization_id' | 'context_id' | 'updated_at'>;

/**
 * Collections, their contents, contexts and enrollments. Collections and contexts are read on
 * every progress call and change rarely, so reads outside transactions are cached briefly; the
 * service's writes clear the cache.
 */
export class CollectionsRepository {
  private readonly cache = new LRUCache<string, object>({ max: 10_000, ttl: CACHE_MS });

  /** Read on every progress write. */
  private readonly selectEnrollment;

  constructor(private readonly db: Db) {
    // Only the columns used: each column read into JavaScript costs about a quarter of finding the row.
    this.selectEnrollment = prepare(db, (db, learner: { contextId: number; userId: string }) =>
      db
        .selectFrom('enrollments')
        .select(['id', 'user_id', 'learner_name', 'enrolled_at', 'active', 'status', 'progress', 'completed_on', 'content_status', 'assessment_status'])
        .where('context_id', '=', learner.contextId)
        .where('user_id', '=', learner.userId),
    );
  }

  invalidate(): void {
    this.cache.clear();
  }

  private async cached<T extends object>(key: string, executor: Executor, read: () => Promise<T | undefined>): Promise<T | undefined> {
    if (executor !== this.db) return read();
    const hit = this.cache.get(key) as T | undefined;
    if (hit) return hit;
    const value = await read();
    if (value !== undefined) this.cache.set(key, value);
    return value;
  }

  collection(organizationId: number, identifier: string, executor: Executor = this.db): Promise<CollectionWithContents | undefined> {
    return this.cached(`collection:${organizationId}:${identifier}`, executor, () => this.readCollection(organizationId, identifier, executor));
  }

  private async readCollection(organizationId: number, identifier: string, executor: Executor): Promise<CollectionWithContents | undefined> {
    const collection = await executor
      .selectFrom('collections')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('identifier', '=', identifier)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!collection) return undefined;
    return { collection, contents: await this.contents(collection.id, executor) };
  }

  /** The oldest live collection made from a SCORM file. */
  async collectionOfFile(organizationId: number, scormFileId: number): Promise<CollectionWithContents | undefined> {
    const collection = await this.db
      .selectFrom('collections')
      .select('identifier')
      .where('organization_id', '=', organizationId)
      .where('scorm_file_id', '=', scormFileId)
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .executeTakeFirst();
    return collection ? this.collection(organizationId, collection.identifier) : undefined;
  }

  contents(collectionId: number, executor: Executor = this.db): Promise<CollectionContent[]> {
    return executor.selectFrom('collection_contents').selectAll().where('collection_id', '=', collectionId).orderBy('position').execute();
  }

  async collectionPage(organizationId: number, offset: number, limit: number): Promise<{ count: number; rows: CollectionWithContents[] }> {
    const base = this.db.selectFrom('collections').where('organization_id', '=', organizationId).where('deleted_at', 'is', null);
    const [{ count }, collections] = await Promise.all([
      base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      base.selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute(),
    ]);
    const rows = await Promise.all(collections.map(async (collection) => ({ collection, contents: await this.contents(collection.id) })));
    return { count: Number(count), rows };
  }

  async replaceContents(executor: Executor, collectionId: number, contents: { contentId: string; name: string; optional: boolean }[]): Promise<void> {
    await executor.deleteFrom('collection_contents').where('collection_id', '=', collectionId).execute();
    if (contents.length === 0) return;
    await executor
      .insertInto('collection_contents')
      .values(contents.map((c, position) => ({ collection_id: collectionId, content_id: c.contentId, name: c.name, optional: c.optional ? 1 : 0, position })))
      .execute();
  }

  context(organizationId: number, identifier: string, executor: Executor = this.db): Promise<(Context & { collection_identifier: string }) | undefined> {
    return this.cached(`context:${organizationId}:${identifier}`, executor, () => this.readContext(organizationId, identifier, executor));
  }

  private readContext(organizationId: number, identifier: string, executor: Executor): Promise<(Context & { collection_identifier: string }) | undefined> {
    return executor
      .selectFrom('contexts')
      .innerJoin('collections', 'collections.id', 'contexts.collection_id')
      .selectAll('contexts')
      .select('collections.identifier as collection_identifier')
      .where('contexts.organization_id', '=', organizationId)
      .where('contexts.identifier', '=', identifier)
      .where('contexts.deleted_at', 'is', null)
      .executeTakeFirst();
  }

  async contextPage(
    organizationId: number,
    collectionIdentifier: string | undefined,
    offset: number,
    limit: number,
  ): Promise<{ count: number; rows: (Context & { collection_identifier: string })[] }> {
    const base = this.db
      .selectFrom('contexts')
      .innerJoin('collections', 'collections.id', 'contexts.collection_id')
      .where('contexts.organization_id', '=', organizationId)
      .where('contexts.deleted_at', 'is', null)
      .$if(collectionIdentifier !== undefined, (q) => q.where('collections.identifier', '=', collectionIdentifier as string));
    const [{ count }, rows] = await Promise.all([
      base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      base.selectAll('contexts').select('collections.identifier as collection_identifier').orderBy('contexts.id', 'desc').offset(offset).limit(limit).execute(),
    ]);
    return { count: Number(count), rows };
  }

  countLiveContexts(collectionId: number): Promise<number> {
    return this.db
      .selectFrom('contexts')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('collection_id', '=', collectionId)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.count));
  }

  enrollment(contextId: number, userId: string, executor: Executor = this.db): Promise<EnrollmentState | undefined> {
    return this.selectEnrollment.first(executor, { contextId, userId });
  }

  async enrollmentPage(contextId: number, offset: number, limit: number): Promise<{ count: number; rows: Enrollment[] }> {
    const base = this.db.selectFrom('enrollments').where('context_id', '=', contextId);
    const [{ count }, rows] = await Promise.all([
      base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      base.selectAll().orderBy('id').offset(offset).limit(limit).execute(),
    ]);
    return { count: Number(count), rows };
  }

  /** Enrolls a learner, or makes an inactive enrollment active again; the enrollment either way. */
  async enroll(executor: Executor, context: Context, userId: string, learnerName: string | null, now: number): Promise<EnrollmentState> {
    const existing = await this.enrollment(context.id, userId, executor);
    if (existing) {
      if (existing.active === 1 && (learnerName === null || existing.learner_name === learnerName)) return existing;
      return executor
        .updateTable('enrollments')
        .set({ active: 1, learner_name: learnerName ?? existing.learner_name, updated_at: now })
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    // A concurrent enrollment of the same learner must not fail (on PostgreSQL a unique violation would
    // abort the transaction): skip the insert and take the row the other request made.
    const inserted = await executor
      .insertInto('enrollments')
      .values({
        organization_id: context.organization_id,
        context_id: context.id,
        user_id: userId,
        learner_name: learnerName,
        enrolled_at: now,
        active: 1,
        status: 0,
        progress: 0,
        completed_on: null,
        content_status: '{}',
        assessment_status: '{}',
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['context_id', 'user_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    return inserted ?? this.enroll(executor, context, userId, learnerName, now);
  }
}
