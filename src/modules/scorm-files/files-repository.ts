import { sql, type ExpressionBuilder } from 'kysely';
import type { Db, Executor } from '../../infra/db/database.js';
import type { Database, NewScormFile, ScormFile, ScormFileStatus, ScormFileUpdate } from '../../infra/db/schema.js';
import type { Move } from './lifecycle.js';
import { isManager, type Principal } from '../accounts/principal.js';

/** A manager sees the organization's files, a member only their own; deleted files nobody. */
export function fileVisibleTo(principal: Principal) {
  return (eb: ExpressionBuilder<Database, 'scorm_files'>) =>
    eb.and([
      eb('scorm_files.organization_id', '=', principal.organizationId),
      eb('scorm_files.deleted_at', 'is', null),
      ...(isManager(principal) ? [] : [eb('scorm_files.user_id', '=', principal.userId)]),
    ]);
}

export interface ScormFileFilter {
  status?: ScormFileStatus;
  batchName?: string;
  /** Part of the file name, any case. */
  search?: string;
}

/** `%`, `_` and `\` match themselves in a LIKE pattern escaped with `\`. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class ScormFilesRepository {
  constructor(private readonly db: Db) {}

  insert(executor: Executor, values: NewScormFile): Promise<ScormFile> {
    return executor.insertInto('scorm_files').values(values).returningAll().executeTakeFirstOrThrow();
  }

  /** Changes what is not the file's status; the status moves only through `move`. */
  update(executor: Executor, id: number, patch: Omit<ScormFileUpdate, 'status' | 'remark'>): Promise<ScormFile | undefined> {
    return executor
      .updateTable('scorm_files')
      .set({ ...patch, updated_at: Date.now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  /** Moves a live file to a new status, if it is in one the move starts from (see lifecycle.ts). */
  move(executor: Executor, id: number, move: Move<ScormFileStatus>): Promise<ScormFile | undefined> {
    return executor
      .updateTable('scorm_files')
      .set({ status: move.status, remark: move.remark, updated_at: Date.now() })
      .where('id', '=', id)
      .where('status', 'in', move.from)
      .where('deleted_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
  }

  findById(id: number, executor: Executor = this.db): Promise<ScormFile | undefined> {
    return executor.selectFrom('scorm_files').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findVisible(principal: Principal, id: number): Promise<ScormFile | undefined> {
    return this.db
      .selectFrom('scorm_files')
      .selectAll()
      .where('id', '=', id)
      .where(fileVisibleTo(principal))
      .executeTakeFirst();
  }

  findVisibleMany(principal: Principal, ids: number[]): Promise<ScormFile[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('scorm_files').selectAll().where('id', 'in', ids).where(fileVisibleTo(principal)).execute();
  }

  /** The batch names among the files the principal sees, for filtering. */
  async batchNames(principal: Principal): Promise<string[]> {
    const rows = await this.db
      .selectFrom('scorm_files')
      .select('batch_name')
      .distinct()
      .where(fileVisibleTo(principal))
      .where('batch_name', 'is not', null)
      .orderBy('batch_name')
      .execute();
    return rows.map((row) => row.batch_name as string);
  }

  async page(
    principal: Principal,
    filter: ScormFileFilter,
    offset: number,
    limit: number,
  ): Promise<{ count: number; rows: ScormFile[] }> {
    const base = this.db
      .selectFrom('scorm_files')
      .where(fileVisibleTo(principal))
      .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status as ScormFileStatus))
      .$if(filter.batchName !== undefined, (q) => q.where('batch_name', '=', filter.batchName as string))
      .$if(Boolean(filter.search), (q) =>
        q.where((eb) => eb(eb.fn('lower', ['file_name']), 'like', sql<string>`${likePattern(filter.search as string)} escape '\\'`)),
      );
    const [{ count }, rows] = await Promise.all([
      base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      base.selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute(),
    ]);
    return { count: Number(count), rows };
  }
}
