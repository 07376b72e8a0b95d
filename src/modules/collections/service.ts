import { randomUUID } from 'node:crypto';
import type { Db } from '../../infra/db/database.js';
import { isUniqueViolation } from '../../infra/db/database.js';
import type { Context, EnrollmentPolicy } from '../../infra/db/schema.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../http/errors.js';
import type { ResultIndex } from '../../extraction/result/result-files.js';
import type { Principal } from '../accounts/principal.js';
import type { CollectionsRepository, CollectionWithContents } from './repository.js';
import { iso } from '../../http/dates.js';

export interface ContentInput {
  contentId: string;
  name: string;
  optional?: boolean;
}

export interface CollectionInput {
  identifier?: string;
  name?: string;
  description?: string | null;
  logo?: string | null;
  contents?: ContentInput[];
  scormFileId?: number;
}

export interface ContextInput {
  identifier: string;
  collectionId: string;
  name: string;
  startDate?: string | null;
  endDate?: string | null;
  enrollment: EnrollmentPolicy;
  certificate?: { name: string; criteria?: { minScorePercent?: number } } | null;
}

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function checkIdentifier(field: string, value: string): string {
  if (!IDENTIFIER.test(value)) {
    throw new BadRequestError('invalid_identifier', `${field} must be 1 to 128 letters, digits, or . _ : - (not first), got "${value}".`);
  }
  return value;
}

const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** A date (start of day, or end of day for an end date) or a date-time, as epoch ms. */
export function parseDate(field: string, value: string | null | undefined, endOfDay: boolean): number | null {
  if (value === null || value === undefined || value === '') return null;
  const match = ISO_DATE_TIME.exec(value);
  // Date.parse takes many non-ISO forms and rolls 2026-02-30 over to March 2: only real ISO calendar days pass.
  const day = match ? Date.parse(`${match[1]}T00:00:00.000Z`) : NaN;
  const realDay = Number.isFinite(day) && iso(day).slice(0, 10) === match?.[1];
  const dateOnly = match !== null && match[2] === undefined;
  const time = !realDay ? NaN : Date.parse(dateOnly ? `${value}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : value);
  if (!Number.isFinite(time)) throw new BadRequestError('invalid_date', `${field} must be an ISO 8601 date or date-time, got "${value}".`);
  return time;
}

function checkContents(contents: ContentInput[]): ContentInput[] {
  const seen = new Set<string>();
  for (const content of contents) {
    if (seen.has(content.contentId)) throw new BadRequestError('duplicate_content', `Content "${content.contentId}" is listed twice.`);
    seen.add(content.contentId);
  }
  return contents;
}

/** The index of a file's latest completed extraction, from the package lifecycle. */
export type LatestResult = (principal: Principal, scormFileId: number) => Promise<ResultIndex>;

/** Collections (courses of leaf contents), their contexts (batches) and who is enrolled in them. */
export class CollectionsService {
  constructor(
    private readonly db: Db,
    private readonly repository: CollectionsRepository,
    private readonly latestResult: LatestResult,
  ) {}

  collectionPage(principal: Principal, offset: number, limit: number) {
    return this.repository.collectionPage(principal.organizationId, offset, limit);
  }

  contextPage(principal: Principal, collectionIdentifier: string | undefined, offset: number, limit: number) {
    return this.repository.contextPage(principal.organizationId, collectionIdentifier, offset, limit);
  }

  async getCollection(principal: Principal, identifier: string): Promise<CollectionWithContents> {
    const found = await this.repository.collection(principal.organizationId, identifier);
    if (!found) throw new NotFoundError('collection_not_found', `Collection ${identifier} was not found.`);
    return found;
  }

  /** The launchable items of a file's latest completed extraction, as the collection's contents. */
  private async contentsOfScormFile(principal: Principal, scormFileId: number): Promise<{ title: string | null; contents: ContentInput[] }> {
    const result = await this.latestResult(principal, scormFileId);
    if (result.launchable_items_total === 0) throw new ConflictError('no_launchable_items', `SCORM file ${scormFileId} has no launchable item.`);
    if (result.launchable_items_total > result.launchable_items.length) {
      throw new ConflictError(
        'too_many_launchable_items',
        `SCORM file ${scormFileId} has ${result.launchable_items_total} launchable items; a collection holds at most ${result.launchable_items.length}.`,
      );
    }
    const contents = result.launchable_items.map((item) => ({ contentId: item.identifier, name: item.title, optional: false }));
    return { title: result.package.title, contents };
  }

  async createCollection(principal: Principal, input: CollectionInput): Promise<CollectionWithContents> {
    if ((input.contents === undefined) === (input.scormFileId === undefined)) {
      throw new BadRequestError('contents_or_scorm_file', 'Give either contents or scormFileId.');
    }
    const fromFile = input.scormFileId === undefined ? undefined : await this.contentsOfScormFile(principal, input.scormFileId);
    const name = input.name ?? fromFile?.title;
    if (!name) throw new BadRequestError('name_required', 'Give the collection a name.');
    const identifier = checkIdentifier('identifier', input.identifier ?? `collection-${randomUUID()}`);
    const contents = checkContents(fromFile?.contents ?? input.contents ?? []);
    const now = Date.now();
    try {
      await this.db.transaction().execute(async (tx) => {
        const collection = await tx
          .insertInto('collections')
          .values({
            organization_id: principal.organizationId,
            identifier,
            name,
            description: input.description ?? null,
            logo: input.logo ?? null,
            scorm_file_id: input.scormFileId ?? null,
            created_at: now,
            updated_at: now,
            deleted_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await this.repository.replaceContents(tx, collection.id, contents.map((c) => ({ ...c, optional: c.optional ?? false })));
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('collection_exists', `A collection ${identifier} already exists.`);
      throw error;
    }
    return this.getCollection(principal, identifier);
  }

  /**
   * The course a SCORM file is played in: the oldest live collection made from the file, else one
   * made now from its launchable items (`scorm-file-<id>`), with its open context
   * (`scorm-file-<id>`) for learners launched without one.
   */
  async courseOfFile(principal: Principal, scormFileId: number): Promise<{ collection: CollectionWithContents; defaultContext: string }> {
    const identifier = `scorm-file-${scormFileId}`;
    const existing = await this.repository.collectionOfFile(principal.organizationId, scormFileId);
    const collection = existing ?? (await this.createdOnce(() => this.createCollection(principal, { identifier, scormFileId }), () => this.getCollection(principal, identifier)));
    const context = await this.repository.context(principal.organizationId, identifier);
    if (!context) {
      await this.createdOnce(
        () => this.createContext(principal, { identifier, collectionId: collection.collection.identifier, name: collection.collection.name, enrollment: 'open' }),
        () => this.getContext(principal, identifier),
      );
    }
    return { collection, defaultContext: identifier };
  }

  /** Creates a thing, or reads it when another request created it first. */
  private async createdOnce<T>(create: () => Promise<T>, read: () => Promise<T>): Promise<T> {
    try {
      return await create();
    } catch (error) {
      if (error instanceof ConflictError) return read();
      throw error;
    }
  }

  async updateCollection(principal: Principal, identifier: string, patch: Omit<CollectionInput, 'identifier' | 'scormFileId'>): Promise<CollectionWithContents> {
    const { collection } = await this.getCollection(principal, identifier);
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('collections')
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.logo !== undefined ? { logo: patch.logo } : {}),
          updated_at: Date.now(),
        })
        .where('id', '=', collection.id)
        .execute();
      if (patch.contents) {
        await this.repository.replaceContents(tx, collection.id, checkContents(patch.contents).map((c) => ({ ...c, optional: c.optional ?? false })));
      }
    });
    this.repository.invalidate();
    return this.getCollection(principal, identifier);
  }

  async deleteCollection(principal: Principal, identifier: string): Promise<void> {
    const { collection } = await this.getCollection(principal, identifier);
    if ((await this.repository.countLiveContexts(collection.id)) > 0) {
      throw new ConflictError('collection_in_use', `Collection ${identifier} still has contexts; delete them first.`);
    }
    // The identifier is free again: it is unique among live collections only.
    await this.db.updateTable('collections').set({ deleted_at: Date.now() }).where('id', '=', collection.id).execute();
    this.repository.invalidate();
  }

  async getContext(principal: Principal, identifier: string): Promise<Context & { collection_identifier: string }> {
    const context = await this.repository.context(principal.organizationId, identifier);
    if (!context) throw new NotFoundError('context_not_found', `Context ${identifier} was not found.`);
    return context;
  }

  private contextValues(input: Partial<ContextInput>) {
    const start = input.startDate === undefined ? undefined : parseDate('startDate', input.startDate, false);
    const end = input.endDate === undefined ? undefined : parseDate('endDate', input.endDate, true);
    if (start !== undefined && end !== undefined && start !== null && end !== null && end < start) {
      throw new BadRequestError('invalid_date', 'endDate must not be before startDate.');
    }
    return {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(start !== undefined ? { start_date: start } : {}),
      ...(end !== undefined ? { end_date: end } : {}),
      ...(input.enrollment !== undefined ? { enrollment: input.enrollment } : {}),
      ...(input.certificate !== undefined
        ? {
            certificate_name: input.certificate?.name ?? null,
            certificate_min_score_percent: input.certificate?.criteria?.minScorePercent ?? null,
          }
        : {}),
    };
  }

  async createContext(principal: Principal, input: ContextInput): Promise<Context & { collection_identifier: string }> {
    const identifier = checkIdentifier('identifier', input.identifier);
    const { collection } = await this.getCollection(principal, input.collectionId);
    const now = Date.now();
    try {
      await this.db
        .insertInto('contexts')
        .values({
          organization_id: principal.organizationId,
          identifier,
          collection_id: collection.id,
          name: input.name,
          start_date: null,
          end_date: null,
          enrollment: input.enrollment,
          certificate_name: null,
          certificate_min_score_percent: null,
          ...this.contextValues(input),
          created_at: now,
          updated_at: now,
          deleted_at: null,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('context_exists', `A context ${identifier} already exists.`);
      throw error;
    }
    return this.getContext(principal, identifier);
  }

  async updateContext(principal: Principal, identifier: string, patch: Partial<Omit<ContextInput, 'identifier' | 'collectionId'>>) {
    const context = await this.getContext(principal, identifier);
    const values = this.contextValues(patch);
    const start = values.start_date === undefined ? context.start_date : values.start_date;
    const end = values.end_date === undefined ? context.end_date : values.end_date;
    if (start !== null && end !== null && end < start) throw new BadRequestError('invalid_date', 'endDate must not be before startDate.');
    await this.db.updateTable('contexts').set({ ...values, updated_at: Date.now() }).where('id', '=', context.id).execute();
    this.repository.invalidate();
    return this.getContext(principal, identifier);
  }

  async deleteContext(principal: Principal, identifier: string): Promise<void> {
    const context = await this.getContext(principal, identifier);
    await this.db.updateTable('contexts').set({ deleted_at: Date.now() }).where('id', '=', context.id).execute();
    this.repository.invalidate();
  }

  async enroll(principal: Principal, identifier: string, userIds: string[]) {
    const context = await this.getContext(principal, identifier);
    const now = Date.now();
    return this.db.transaction().execute(async (tx) => {
      const enrolled = [];
      for (const userId of [...new Set(userIds)]) enrolled.push(await this.repository.enroll(tx, context, userId, null, now));
      return enrolled;
    });
  }

  async unenroll(principal: Principal, identifier: string, userId: string): Promise<void> {
    const context = await this.getContext(principal, identifier);
    const enrollment = await this.repository.enrollment(context.id, userId);
    if (!enrollment) throw new NotFoundError('enrollment_not_found', `${userId} is not enrolled in context ${identifier}.`);
    await this.db.updateTable('enrollments').set({ active: 0, updated_at: Date.now() }).where('id', '=', enrollment.id).execute();
  }

  async enrollments(principal: Principal, identifier: string, offset: number, limit: number) {
    const context = await this.getContext(principal, identifier);
    return this.repository.enrollmentPage(context.id, offset, limit);
  }
}
