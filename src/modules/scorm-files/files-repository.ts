import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
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

/** What the files list sorts by: the name, the package's title, standard or tool (of the latest completed extraction), the upload date. */
export const scormFileSortKeys = ['name', 'title', 'standard', 'tool', 'date'] as const;

export interface ScormFileSort {
  by: (typeof scormFileSortKeys)[number];
  direction: 'asc' | 'desc';
}

/** Newest first, as the API lists files. */
export const NEWEST_FIRST: ScormFileSort = { by: 'date', direction: 'desc' };

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

  /**
   * A page of the files the principal sees, filtered and sorted. Files without a completed
   * extraction have no title, standard or tool and come last either way; ties go by upload order,
   * so paging never repeats or skips a file.
   */
  async page(
    principal: Principal,
    filter: ScormFileFilter,
    offset: number,
    limit: number,
    sort: ScormFileSort = NEWEST_FIRST,
  ): Promise<{ count: number; rows: ScormFile[] }> {
    const base = this.db
      .selectFrom('scorm_files')
      .where(fileVisibleTo(principal))
      .$if(filter.status !== undefined, (q) => q.where('scorm_files.status', '=', filter.status as ScormFileStatus))
      .$if(filter.batchName !== undefined, (q) => q.where('scorm_files.batch_name', '=', filter.batchName as string))
      .$if(Boolean(filter.search), (q) =>
        q.where((eb) => eb(eb.fn('lower', ['scorm_files.file_name']), 'like', sql<string>`${likePattern(filter.search as string)} escape '\\'`)),
      );
    const { by, direction } = sort;
    const ordered = by === 'date' ? base.selectAll() : this.byPackageFact(base, by, direction);
    const [{ count }, rows] = await Promise.all([
      base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      // Ids follow upload order: the date sort and every tie go by them.
      ordered.orderBy('scorm_files.id', direction).offset(offset).limit(limit).execute(),
    ]);
    return { count: Number(count), rows };
  }

  /** Files ordered by their name, or by a fact of their latest completed extraction's package. */
  private byPackageFact(files: SelectQueryBuilder<Database, 'scorm_files', object>, by: Exclude<ScormFileSort['by'], 'date'>, direction: ScormFileSort['direction']) {
    const latestCompleted = this.db
      .selectFrom('content_extractions')
      .select((eb) => ['scorm_file_id', eb.fn.max('id').as('id')])
      .where('status', '=', 'completed')
      .where('deleted_at', 'is', null)
      .groupBy('scorm_file_id')
      .as('latest');
    const column = by === 'name' ? 'scorm_files.file_name' : by === 'title' ? 'facts.package_title' : by === 'standard' ? 'facts.package_standard' : 'facts.package_tool';
    return files
      .leftJoin(latestCompleted, 'latest.scorm_file_id', 'scorm_files.id')
      .leftJoin('content_extractions as facts', 'facts.id', 'latest.id')
      .selectAll('scorm_files')
      .orderBy((eb) => eb.fn('lower', [column]), (ob) => (direction === 'asc' ? ob.asc() : ob.desc()).nullsLast());
  }
}
