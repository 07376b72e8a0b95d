import type { Db, Executor } from '../../infra/db/database.js';
import type {
  ContentExtraction,
  ContentExtractionStatus,
  ContentExtractionUpdate,
} from '../../infra/db/schema.js';
import type { Principal } from '../accounts/principal.js';
import { fileVisibleTo } from './files-repository.js';
import type { Move } from './lifecycle.js';

export class ContentExtractionsRepository {
  constructor(private readonly db: Db) {}

  insert(
    executor: Executor,
    values: { organizationId: number; scormFileId: number; status: ContentExtractionStatus },
  ): Promise<ContentExtraction> {
    const now = Date.now();
    return executor
      .insertInto('content_extractions')
      .values({
        organization_id: values.organizationId,
        scorm_file_id: values.scormFileId,
        status: values.status,
        queue_message_id: null,
        started_at: null,
        finished_at: null,
        final_output_path: null,
        remarks: null,
        package_title: null,
        package_standard: null,
        package_tool: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
        deleted_by: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * Moves an extraction to a new status, if it is in one the move starts from (see lifecycle.ts);
   * with `queueMessageId` only while that message is still the current run, so a superseded or
   * restarted run can never overwrite a newer one.
   */
  move(
    executor: Executor,
    id: number,
    move: Move<ContentExtractionStatus>,
    patch: Omit<ContentExtractionUpdate, 'status' | 'remarks'>,
    queueMessageId?: string,
  ): Promise<ContentExtraction | undefined> {
    return executor
      .updateTable('content_extractions')
      .set({ ...patch, status: move.status, remarks: move.remark, updated_at: Date.now() })
      .where('id', '=', id)
      .where('status', 'in', move.from)
      .$if(queueMessageId !== undefined, (q) => q.where('queue_message_id', '=', queueMessageId as string))
      .returningAll()
      .executeTakeFirst();
  }

  /** A running extraction's sign of life, which keeps it from being flagged as stalled. */
  async heartbeat(id: number, queueMessageId: string): Promise<void> {
    await this.db
      .updateTable('content_extractions')
      .set({ updated_at: Date.now() })
      .where('id', '=', id)
      .where('queue_message_id', '=', queueMessageId)
      .execute();
  }

  /** Completed extractions whose row has not kept its package's facts (completed before it did), by id from `afterId`. */
  withoutPackageFacts(afterId: number, limit: number): Promise<ContentExtraction[]> {
    return this.db
      .selectFrom('content_extractions')
      .selectAll()
      .where('status', '=', 'completed')
      .where('package_standard', 'is', null)
      .where('final_output_path', 'is not', null)
      .where('deleted_at', 'is', null)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Keeps the package's facts on a completed extraction that has none: a run completed since has its own. */
  async keepPackageFacts(id: number, facts: Pick<ContentExtractionUpdate, 'package_title' | 'package_standard' | 'package_tool'>): Promise<void> {
    await this.db
      .updateTable('content_extractions')
      .set(facts)
      .where('id', '=', id)
      .where('status', '=', 'completed')
      .where('package_standard', 'is', null)
      .execute();
  }

  findById(id: number, executor: Executor = this.db): Promise<ContentExtraction | undefined> {
    return executor.selectFrom('content_extractions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findVisible(principal: Principal, id: number): Promise<ContentExtraction | undefined> {
    return this.db
      .selectFrom('content_extractions')
      .innerJoin('scorm_files', 'scorm_files.id', 'content_extractions.scorm_file_id')
      .selectAll('content_extractions')
      .where('content_extractions.id', '=', id)
      .where('content_extractions.deleted_at', 'is', null)
      .where(fileVisibleTo(principal))
      .executeTakeFirst();
  }

  /** Every live extraction of the given files, oldest first. */
  listForFiles(fileIds: number[], executor: Executor = this.db): Promise<ContentExtraction[]> {
    if (fileIds.length === 0) return Promise.resolve([]);
    return executor
      .selectFrom('content_extractions')
      .selectAll()
      .where('scorm_file_id', 'in', fileIds)
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .execute();
  }

  async page(principal: Principal, offset: number, limit: number): Promise<{ count: number; rows: ContentExtraction[] }> {
    const base = this.db
      .selectFrom('content_extractions')
      .innerJoin('scorm_files', 'scorm_files.id', 'content_extractions.scorm_file_id')
      .where('content_extractions.deleted_at', 'is', null)
      .where(fileVisibleTo(principal));
    const [{ count }, rows] = await Promise.all([
      base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      base.selectAll('content_extractions').orderBy('content_extractions.id', 'desc').offset(offset).limit(limit).execute(),
    ]);
    return { count: Number(count), rows };
  }

  softDeleteForFile(executor: Executor, scormFileId: number, userId: number): Promise<unknown> {
    return executor
      .updateTable('content_extractions')
      .set({ deleted_at: Date.now(), deleted_by: userId })
      .where('scorm_file_id', '=', scormFileId)
      .where('deleted_at', 'is', null)
      .execute();
  }

  /** Extractions queued or running whose last sign of life is older than the cutoff. */
  findStalled(cutoff: number): Promise<ContentExtraction[]> {
    return this.db
      .selectFrom('content_extractions')
      .selectAll()
      .where('status', 'in', ['dispatched', 'in_progress'])
      .where('updated_at', '<', cutoff)
      .where('deleted_at', 'is', null)
      .execute();
  }
}
