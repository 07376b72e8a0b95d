import type { Db, Executor } from '../../infra/db/database.js';
import type { Launch, LaunchesTable, RuntimeAttempt, RuntimeAttemptsTable } from '../../infra/db/schema.js';
import type { Insertable } from 'kysely';

/** The key of a learner's runtime data on one SCO. */
export interface AttemptKey {
  organizationId: number;
  userId: string;
  scormFileId: number;
  contextKey: string;
  itemId: string;
}

/** Launches and the runtime data their SCOs commit. */
export class LaunchesRepository {
  constructor(private readonly db: Db) {}

  async create(launch: Insertable<LaunchesTable>): Promise<void> {
    await this.db.insertInto('launches').values(launch).execute();
  }

  /** The name a learner was last launched with, for a launch that gives none. */
  async lastLearnerName(organizationId: number, userId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('launches')
      .select('learner_name')
      .where('organization_id', '=', organizationId)
      .where('user_id', '=', userId)
      .where('learner_name', 'is not', null)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.learner_name ?? null;
  }

  /**
   * Exchanges a launch token for a session, once: only an unopened, unexpired launch is opened,
   * in one statement, so two requests with the same token cannot both succeed.
   */
  async open(tokenHash: string, sessionHash: string, now: number, sessionExpiresAt: number): Promise<Launch | undefined> {
    return this.db
      .updateTable('launches')
      .set({ opened_at: now, session_hash: sessionHash, session_expires_at: sessionExpiresAt })
      .where('token_hash', '=', tokenHash)
      .where('opened_at', 'is', null)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
  }

  /** Where a completed extraction keeps its result JSON (the plan and files sit beside it). */
  async resultPath(extractionId: number): Promise<string | null> {
    const row = await this.db
      .selectFrom('content_extractions')
      .select('final_output_path')
      .where('id', '=', extractionId)
      .where('status', '=', 'completed')
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return row?.final_output_path ?? null;
  }

  byId(launchId: string): Promise<Launch | undefined> {
    return this.db.selectFrom('launches').selectAll().where('id', '=', launchId).executeTakeFirst();
  }

  bySession(sessionHash: string): Promise<Launch | undefined> {
    return this.db.selectFrom('launches').selectAll().where('session_hash', '=', sessionHash).executeTakeFirst();
  }

  attempt(key: AttemptKey): Promise<RuntimeAttempt | undefined> {
    return this.db
      .selectFrom('runtime_attempts')
      .selectAll()
      .where('organization_id', '=', key.organizationId)
      .where('user_id', '=', key.userId)
      .where('scorm_file_id', '=', key.scormFileId)
      .where('context_key', '=', key.contextKey)
      .where('item_id', '=', key.itemId)
      .executeTakeFirst();
  }

  /** Every SCO's data of one learner on one package in one context, for the table of contents. */
  attempts(key: Omit<AttemptKey, 'itemId'>): Promise<Pick<RuntimeAttempt, 'item_id' | 'cmi' | 'terminated'>[]> {
    return this.db
      .selectFrom('runtime_attempts')
      .select(['item_id', 'cmi', 'terminated'])
      .where('organization_id', '=', key.organizationId)
      .where('user_id', '=', key.userId)
      .where('scorm_file_id', '=', key.scormFileId)
      .where('context_key', '=', key.contextKey)
      .execute();
  }

  /**
   * A new delivery of a SCO: the row is created, or its delivery counter moved on (with a new
   * attempt and fresh data when the SCO starts over). Returns the row as it now is.
   */
  async deliver(key: AttemptKey, change: { launchId: string; newAttempt: boolean; cmi: string }, now: number): Promise<RuntimeAttempt> {
    const row: Insertable<RuntimeAttemptsTable> = {
      organization_id: key.organizationId,
      user_id: key.userId,
      scorm_file_id: key.scormFileId,
      context_key: key.contextKey,
      item_id: key.itemId,
      attempt: 1,
      delivery: 1,
      sequence: 0,
      launch_id: change.launchId,
      cmi: change.cmi,
      terminated: 0,
      recorded_seconds: 0,
      updated_at: now,
    };
    return this.db
      .insertInto('runtime_attempts')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['organization_id', 'user_id', 'scorm_file_id', 'context_key', 'item_id']).doUpdateSet((eb) => ({
          delivery: eb('runtime_attempts.delivery', '+', 1),
          sequence: 0,
          launch_id: change.launchId,
          // The data the SCO starts from: its commits build on it (the total time is the service's).
          cmi: change.cmi,
          terminated: 0,
          updated_at: now,
          ...(change.newAttempt ? { attempt: eb('runtime_attempts.attempt', '+', 1), recorded_seconds: 0 } : {}),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * Saves a commit if it is the newest: of the row's current delivery, with a higher sequence.
   * False when another commit got there first.
   */
  async saveCommit(
    id: number,
    expected: { delivery: number; sequence: number },
    commit: { sequence: number; cmi: string; terminated: boolean; recordedSeconds: number },
    now: number,
    executor: Executor = this.db,
  ): Promise<boolean> {
    const result = await executor
      .updateTable('runtime_attempts')
      .set({ sequence: commit.sequence, cmi: commit.cmi, terminated: commit.terminated ? 1 : 0, recorded_seconds: commit.recordedSeconds, updated_at: now })
      .where('id', '=', id)
      .where('delivery', '=', expected.delivery)
      .where('sequence', '=', expected.sequence)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async sequencingState(key: Omit<AttemptKey, 'itemId'>): Promise<string | null> {
    const row = await this.db
      .selectFrom('sequencing_states')
      .select('state')
      .where('organization_id', '=', key.organizationId)
      .where('user_id', '=', key.userId)
      .where('scorm_file_id', '=', key.scormFileId)
      .where('context_key', '=', key.contextKey)
      .executeTakeFirst();
    return row?.state ?? null;
  }

  async saveSequencingState(key: Omit<AttemptKey, 'itemId'>, state: string, now: number): Promise<void> {
    await this.db
      .insertInto('sequencing_states')
      .values({ organization_id: key.organizationId, user_id: key.userId, scorm_file_id: key.scormFileId, context_key: key.contextKey, state, updated_at: now })
      .onConflict((oc) => oc.columns(['organization_id', 'user_id', 'scorm_file_id', 'context_key']).doUpdateSet({ state, updated_at: now }))
      .execute();
  }
}
