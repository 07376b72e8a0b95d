import { sql } from 'kysely';
import type { Db, Executor } from '../../infra/db/database.js';
import { prepare } from '../../infra/db/prepared.js';
import type { AppliedMessage, AssessmentAttempt, Certificate, ContentConsumption, Enrollment } from '../../infra/db/schema.js';
import type { EnrollmentState } from '../collections/repository.js';

export interface ConsumptionKey {
  organizationId: number;
  userId: string;
  contentId: string;
  /** The context identifier, or '' for organic consumption. */
  contextKey: string;
}

/** What the writes and reads of one consumption use of its row. */
export type ConsumptionState = Pick<ContentConsumption, 'id' | 'status' | 'progress' | 'time_spent' | 'progress_details' | 'started_at' | 'completed_at'>;

/** What a view write reads before it changes anything: the consumption and the learner's enrollment. */
export interface ViewRows {
  consumption: ConsumptionState | undefined;
  enrollment: EnrollmentState | undefined;
}

type ConsumptionChange = Pick<ContentConsumption, 'status' | 'progress' | 'time_spent' | 'progress_details' | 'completed_at' | 'updated_at'>;
type EnrollmentChange = Pick<Enrollment, 'status' | 'progress' | 'completed_on' | 'content_status' | 'assessment_status' | 'learner_name' | 'updated_at'>;

export interface SummaryRow extends Enrollment {
  context_identifier: string;
  collection_identifier: string;
  collection_name: string;
  collection_logo: string | null;
  collection_description: string | null;
  leaf_nodes_count: number;
  certificate_id: string | null;
  certificate_token: string | null;
  certificate_name: string | null;
  certificate_issued_at: number | null;
}

/** Views, attempts, enrollment aggregates, certificates and applied message ids. */
export class ProgressRepository {
  // Every view write runs these: prepared once, not built and compiled per request.
  private readonly selectConsumption;
  private readonly selectViewRows;
  private readonly updateConsumption;
  private readonly insertMessage;
  private readonly updateEnrollmentRow;

  constructor(private readonly db: Db) {
    // Only the columns used: each column read into JavaScript costs about a quarter of finding the row.
    this.selectConsumption = prepare(db, (db, key: ConsumptionKey) =>
      db
        .selectFrom('content_consumptions')
        .select(['id', 'status', 'progress', 'time_spent', 'progress_details', 'started_at', 'completed_at'])
        .where('organization_id', '=', key.organizationId)
        .where('user_id', '=', key.userId)
        .where('content_id', '=', key.contentId)
        .where('context_key', '=', key.contextKey),
    );
    // One statement for both rows: on PostgreSQL each statement is a round trip to the server.
    this.selectViewRows = prepare(db, (db, key: ConsumptionKey & { contextId: number | null }) =>
      db
        .selectFrom(db.selectNoFrom((eb) => eb.lit(1).as('one')).as('one'))
        .leftJoin('content_consumptions as c', (join) =>
          join
            .on('c.organization_id', '=', key.organizationId)
            .on('c.user_id', '=', key.userId)
            .on('c.content_id', '=', key.contentId)
            .on('c.context_key', '=', key.contextKey),
        )
        .leftJoin('enrollments as e', (join) => join.on('e.context_id', '=', key.contextId).on('e.user_id', '=', key.userId))
        .select(['c.id', 'c.status', 'c.progress', 'c.time_spent', 'c.progress_details', 'c.started_at', 'c.completed_at'])
        .select([
          'e.id as e_id',
          'e.user_id as e_user_id',
          'e.learner_name as e_learner_name',
          'e.enrolled_at as e_enrolled_at',
          'e.active as e_active',
          'e.status as e_status',
          'e.progress as e_progress',
          'e.completed_on as e_completed_on',
          'e.content_status as e_content_status',
          'e.assessment_status as e_assessment_status',
        ]),
    );
    this.updateConsumption = prepare(db, (db, change: ConsumptionChange & { id: number }) =>
      db
        .updateTable('content_consumptions')
        .set({
          status: change.status,
          progress: change.progress,
          time_spent: change.time_spent,
          progress_details: change.progress_details,
          completed_at: change.completed_at,
          updated_at: change.updated_at,
        })
        .where('id', '=', change.id),
    );
    this.insertMessage = prepare(db, (db, message: AppliedMessage) =>
      db
        .insertInto('applied_messages')
        .values({
          organization_id: message.organization_id,
          user_id: message.user_id,
          msgid: message.msgid,
          fingerprint: message.fingerprint,
          response: message.response,
          created_at: message.created_at,
        })
        .onConflict((oc) => oc.columns(['organization_id', 'user_id', 'msgid']).doNothing()),
    );
    this.updateEnrollmentRow = prepare(db, (db, change: EnrollmentChange & { id: number }) =>
      db
        .updateTable('enrollments')
        .set({
          status: change.status,
          progress: change.progress,
          completed_on: change.completed_on,
          content_status: change.content_status,
          assessment_status: change.assessment_status,
          learner_name: change.learner_name,
          updated_at: change.updated_at,
        })
        .where('id', '=', change.id),
    );
  }

  consumption(key: ConsumptionKey): Promise<ConsumptionState | undefined> {
    return this.selectConsumption.first(this.db, key);
  }

  /** The consumption of `key` and the learner's enrollment in the context `contextId` (none for null). */
  async viewRows(executor: Executor, key: ConsumptionKey, contextId: number | null): Promise<ViewRows> {
    const { organizationId, userId, contentId, contextKey } = key;
    // Both joins hang off one constant row: there is always exactly one row, with nulls for what is missing.
    const row = (await this.selectViewRows.first(executor, { organizationId, userId, contentId, contextKey, contextId }))!;
    return {
      consumption:
        row.id === null
          ? undefined
          : {
              id: row.id,
              status: row.status!,
              progress: row.progress!,
              time_spent: row.time_spent!,
              progress_details: row.progress_details!,
              started_at: row.started_at!,
              completed_at: row.completed_at,
            },
      enrollment:
        row.e_id === null
          ? undefined
          : {
              id: row.e_id,
              user_id: row.e_user_id!,
              learner_name: row.e_learner_name,
              enrolled_at: row.e_enrolled_at!,
              active: row.e_active!,
              status: row.e_status!,
              progress: row.e_progress!,
              completed_on: row.e_completed_on,
              content_status: row.e_content_status!,
              assessment_status: row.e_assessment_status!,
            },
    };
  }

  async saveConsumption(executor: Executor, existing: ConsumptionState | undefined, row: Omit<ContentConsumption, 'id'>): Promise<void> {
    if (!existing) {
      await executor.insertInto('content_consumptions').values(row).execute();
      return;
    }
    // Spelled out: spreading a row with numeric fields takes V8's slow path (1.8 µs per view/update).
    await this.updateConsumption.changes(executor, {
      id: existing.id,
      status: row.status,
      progress: row.progress,
      time_spent: row.time_spent,
      progress_details: row.progress_details,
      completed_at: row.completed_at,
      updated_at: row.updated_at,
    });
  }

  /** Every consumption of a content by a learner: organic first, then per context. */
  consumptionsOfContent(organizationId: number, userId: string, contentId: string): Promise<ContentConsumption[]> {
    return this.db
      .selectFrom('content_consumptions')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('user_id', '=', userId)
      .where('content_id', '=', contentId)
      .orderBy('context_key')
      .execute();
  }

  async saveAttempt(executor: Executor, existing: AssessmentAttempt | undefined, row: Omit<AssessmentAttempt, 'id'>): Promise<void> {
    if (existing) await executor.updateTable('assessment_attempts').set(row).where('id', '=', existing.id).execute();
    else await executor.insertInto('assessment_attempts').values(row).execute();
  }

  attempts(contextId: number, userId: string, contentId: string, executor: Executor = this.db): Promise<AssessmentAttempt[]> {
    return executor
      .selectFrom('assessment_attempts')
      .selectAll()
      .where('context_id', '=', contextId)
      .where('user_id', '=', userId)
      .where('content_id', '=', contentId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  updateEnrollment(executor: Executor, change: EnrollmentChange & { id: number }): Promise<number> {
    return this.updateEnrollmentRow.changes(executor, change);
  }

  /** Issues the enrollment's certificate unless it has one; issuing twice is impossible by key. */
  async issueCertificate(executor: Executor, certificate: Certificate): Promise<void> {
    await executor.insertInto('certificates').values(certificate).onConflict((oc) => oc.column('enrollment_id').doNothing()).execute();
  }

  /** The learner's enrollments with what a summary shows of their context, collection and certificate. */
  summaries(organizationId: number, userId: string, filter?: { collection: string; context: string }): Promise<SummaryRow[]> {
    return this.db
      .selectFrom('enrollments')
      .innerJoin('contexts', 'contexts.id', 'enrollments.context_id')
      .innerJoin('collections', 'collections.id', 'contexts.collection_id')
      .leftJoin('certificates', 'certificates.enrollment_id', 'enrollments.id')
      .selectAll('enrollments')
      .select([
        'contexts.identifier as context_identifier',
        'collections.identifier as collection_identifier',
        'collections.name as collection_name',
        'collections.logo as collection_logo',
        'collections.description as collection_description',
        'certificates.id as certificate_id',
        'certificates.token as certificate_token',
        'certificates.name as certificate_name',
        'certificates.issued_at as certificate_issued_at',
        sql<number>`(select count(*) from collection_contents where collection_contents.collection_id = collections.id)`.as('leaf_nodes_count'),
      ])
      .where('enrollments.organization_id', '=', organizationId)
      .where('enrollments.user_id', '=', userId)
      .where('contexts.deleted_at', 'is', null)
      .$if(filter !== undefined, (q) =>
        q.where('collections.identifier', '=', filter!.collection).where('contexts.identifier', '=', filter!.context),
      )
      .orderBy('enrollments.enrolled_at')
      .execute();
  }

  certificateByToken(token: string) {
    return this.db
      .selectFrom('certificates')
      .innerJoin('enrollments', 'enrollments.id', 'certificates.enrollment_id')
      .innerJoin('contexts', 'contexts.id', 'enrollments.context_id')
      .innerJoin('collections', 'collections.id', 'contexts.collection_id')
      .innerJoin('organizations', 'organizations.id', 'certificates.organization_id')
      .select([
        'certificates.id',
        'certificates.name',
        'certificates.issued_at',
        'enrollments.user_id',
        'enrollments.learner_name',
        'enrollments.completed_on',
        'contexts.identifier as context_identifier',
        'contexts.name as context_name',
        'collections.identifier as collection_identifier',
        'collections.name as collection_name',
        'organizations.name as organization_name',
      ])
      .where('certificates.token', '=', token)
      .executeTakeFirst();
  }

  /**
   * Claims a message id for a learner, with the response it gets: true when this request is the
   * first with it. A repeat finds the claim (waiting, on PostgreSQL, for a concurrent first to commit).
   */
  async claimMessage(
    executor: Executor,
    message: { organizationId: number; userId: string; msgid: string; fingerprint: string },
    response: string,
  ): Promise<boolean> {
    const claim = {
      organization_id: message.organizationId,
      user_id: message.userId,
      msgid: message.msgid,
      fingerprint: message.fingerprint,
      response,
      created_at: Date.now(),
    };
    return (await this.insertMessage.changes(executor, claim)) > 0;
  }

  /** Gives back a message id claimed by a request that was then refused. */
  async releaseMessage(executor: Executor, message: { organizationId: number; userId: string; msgid: string }): Promise<void> {
    await executor
      .deleteFrom('applied_messages')
      .where('organization_id', '=', message.organizationId)
      .where('user_id', '=', message.userId)
      .where('msgid', '=', message.msgid)
      .execute();
  }

  appliedMessage(executor: Executor, message: { organizationId: number; userId: string; msgid: string }) {
    return executor
      .selectFrom('applied_messages')
      .select(['fingerprint', 'response'])
      .where('organization_id', '=', message.organizationId)
      .where('user_id', '=', message.userId)
      .where('msgid', '=', message.msgid)
      .executeTakeFirst();
  }
}
