import { sql, type AliasedRawBuilder } from 'kysely';
import type { Db, Dialect, Executor } from '../../infra/db/database.js';
import { prepare } from '../../infra/db/prepared.js';
import type { AppliedMessage, AssessmentAttempt, Certificate, ContentConsumption, Enrollment } from '../../infra/db/schema.js';
import type { EnrollmentState } from '../collections/repository.js';

/** What the writes and reads of one consumption use of its row. */
export type ConsumptionState = Pick<ContentConsumption, 'id' | 'status' | 'progress' | 'time_spent' | 'progress_details' | 'started_at' | 'completed_at'>;

/** What a view reads: the consumption of a learner's content in a context, and the learner's enrollment in `contextId`. */
export interface ViewKey {
  organizationId: number;
  userId: string;
  contentId: string;
  /** The context identifier, `collection:<identifier>` in a collection without one, or '' for organic consumption. */
  contextKey: string;
  /** The context's row id; none (null) outside a context. */
  contextId: number | null;
}

/** What a view write reads before it changes anything: the consumption and the learner's enrollment. */
export interface ViewRows {
  consumption: ConsumptionState | undefined;
  enrollment: EnrollmentState | undefined;
}

/** A consumption to write: a new row, or the change of an `existing` one. */
export interface ConsumptionSave {
  existing: ConsumptionState | undefined;
  row: Omit<ContentConsumption, 'id'>;
}

/** A message id to claim, with the response a repeat of its request gets. */
export interface Claim {
  organizationId: number;
  userId: string;
  msgid: string;
  fingerprint: string;
  response: string;
}

/** The columns of the keys of a view read, in the order the query's `keys` gives them. */
interface KeyRow {
  organization_id: number;
  user_id: string;
  content_id: string;
  context_key: string;
  context_id: number | null;
  i: number;
}

/**
 * The consumption and enrollment rows of each of `keys`, left-joined to them: a key without a row
 * reads nulls. One query for SQLite's single-row statement and PostgreSQL's batch of keys.
 */
function viewRowsQuery(executor: Executor, keys: AliasedRawBuilder<KeyRow, 'k'>) {
  return executor
    .selectFrom(keys)
    .leftJoin('content_consumptions as c', (join) =>
      join
        .onRef('c.organization_id', '=', 'k.organization_id')
        .onRef('c.user_id', '=', 'k.user_id')
        .onRef('c.content_id', '=', 'k.content_id')
        .onRef('c.context_key', '=', 'k.context_key'),
    )
    .leftJoin('enrollments as e', (join) => join.onRef('e.context_id', '=', 'k.context_id').onRef('e.user_id', '=', 'k.user_id'))
    .select(['k.i', 'c.id', 'c.status', 'c.progress', 'c.time_spent', 'c.progress_details', 'c.started_at', 'c.completed_at'])
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
    ]);
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof viewRowsQuery>['executeTakeFirstOrThrow']>>;

function toViewRows(row: ViewRow): ViewRows {
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

/** A batch of rows as one array per column. */
type ColumnsOf<T> = { [K in keyof T]: T[K][] };

/** The rows of a batch as one array per column, for `unnested`. */
function columnsOf<T extends object, K extends keyof T>(rows: T[], names: K[]): ColumnsOf<Pick<T, K>> {
  return Object.fromEntries(names.map((name) => [name, rows.map((row) => row[name])])) as unknown as ColumnsOf<Pick<T, K>>;
}

/** The PostgreSQL types of the columns batches send as arrays. */
const ARRAY_TYPES: Record<string, string> = {
  id: 'bigint',
  organization_id: 'bigint',
  context_id: 'bigint',
  user_id: 'text',
  content_id: 'text',
  context_key: 'text',
  msgid: 'text',
  fingerprint: 'text',
  response: 'text',
  progress_details: 'text',
  status: 'integer',
  progress: 'double precision',
  time_spent: 'double precision',
  completed_at: 'bigint',
  updated_at: 'bigint',
  created_at: 'bigint',
};

/**
 * A subquery named `alias` of the rows of a batch, from one PostgreSQL array parameter per column
 * of `names`, numbered `i` from 1 with `ordinality`.
 */
function unnested<R, A extends string>(columns: Record<string, unknown>, names: string[], alias: A, ordinality = false) {
  const arrays = names.map((name) => sql`${columns[name]}::${sql.raw(ARRAY_TYPES[name]!)}[]`);
  const aliases = [...names, ...(ordinality ? ['i'] : [])].map((name) => sql.ref(name));
  return sql<R>`(select * from unnest(${sql.join(arrays)})${sql.raw(ordinality ? ' with ordinality' : '')} as u(${sql.join(aliases)}))`.as(alias);
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
  private readonly selectViewRows;
  // Their forms for a whole batch, on PostgreSQL: arrays are parameters, so the SQL is the same for every batch.
  private readonly selectViewRowsOfBatch;
  private readonly updateConsumptionsOfBatch;
  private readonly insertMessagesOfBatch;
  private readonly updateConsumption;
  private readonly insertMessage;
  private readonly updateEnrollmentRow;

  /**
   * On SQLite a batch of view writes runs each row's prepared statement: a statement costs little
   * there, and a multi-row one was measured no faster. On PostgreSQL each statement is a round
   * trip to the server, so a batch reads and writes all its rows in one statement each.
   */
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {
    // Only the columns used: each column read into JavaScript costs about a quarter of finding the row.
    this.selectViewRows = prepare(db, (db, key: ViewKey) =>
      viewRowsQuery(
        db,
        sql<KeyRow>`(select ${key.organizationId} as organization_id, ${key.userId} as user_id, ${key.contentId} as content_id, ${key.contextKey} as context_key, ${key.contextId} as context_id, 1 as i)`.as('k'),
      ),
    );
    this.selectViewRowsOfBatch = prepare(db, (db, keys: ColumnsOf<Omit<KeyRow, 'i'>>) =>
      viewRowsQuery(
        db,
        unnested<KeyRow, 'k'>(keys, ['organization_id', 'user_id', 'content_id', 'context_key', 'context_id'], 'k', true),
      ),
    );
    this.updateConsumptionsOfBatch = prepare(db, (db, changes: ColumnsOf<ConsumptionChange & { id: number }>) =>
      db
        .updateTable('content_consumptions as c')
        .from(
          unnested<ConsumptionChange & { id: number }, 'u'>(changes, ['id', 'status', 'progress', 'time_spent', 'progress_details', 'completed_at', 'updated_at'], 'u'),
        )
        .set((eb) => ({
          status: eb.ref('u.status'),
          progress: eb.ref('u.progress'),
          time_spent: eb.ref('u.time_spent'),
          progress_details: eb.ref('u.progress_details'),
          completed_at: eb.ref('u.completed_at'),
          updated_at: eb.ref('u.updated_at'),
        }))
        .whereRef('c.id', '=', 'u.id'),
    );
    this.insertMessagesOfBatch = prepare(db, (db, messages: ColumnsOf<AppliedMessage>) =>
      db
        .insertInto('applied_messages')
        .columns(['organization_id', 'user_id', 'msgid', 'fingerprint', 'response', 'created_at'])
        .expression(
          db
            .selectFrom(
              unnested<AppliedMessage, 'm'>(messages, ['organization_id', 'user_id', 'msgid', 'fingerprint', 'response', 'created_at'], 'm'),
            )
            .selectAll(),
        )
        .onConflict((oc) => oc.columns(['organization_id', 'user_id', 'msgid']).doNothing())
        .returning(['organization_id', 'user_id']),
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

  /** The consumption of `key`, outside any write. */
  async consumption(key: ViewKey): Promise<ConsumptionState | undefined> {
    return (await this.viewRows(this.db, [key]))[0]!.consumption;
  }

  /** What each view write of a batch reads (undefined where `keys` has none), in the order of `keys`. */
  async viewRows(executor: Executor, keys: (ViewKey | undefined)[]): Promise<(ViewRows | undefined)[]> {
    if (this.dialect === 'sqlite') {
      const rows: (ViewRows | undefined)[] = [];
      for (const key of keys) rows.push(key && toViewRows((await this.selectViewRows.first(executor, key))!));
      return rows;
    }
    const read = keys.filter((key) => key !== undefined);
    if (read.length === 0) return keys.map(() => undefined);
    const found = await this.selectViewRowsOfBatch.rows(executor, {
      organization_id: read.map((key) => key.organizationId),
      user_id: read.map((key) => key.userId),
      content_id: read.map((key) => key.contentId),
      context_key: read.map((key) => key.contextKey),
      context_id: read.map((key) => key.contextId),
    });
    const byPosition = new Map(found.map((row) => [Number(row.i), toViewRows(row)]));
    let position = 0;
    return keys.map((key) => (key ? byPosition.get(++position) : undefined));
  }

  /** Writes the consumptions of a batch of view writes: new rows one by one, changes together. */
  async saveConsumptions(executor: Executor, saves: ConsumptionSave[]): Promise<void> {
    const changes: (ConsumptionChange & { id: number })[] = [];
    for (const { existing, row } of saves) {
      if (!existing) {
        await executor.insertInto('content_consumptions').values(row).execute();
        continue;
      }
      // Spelled out: spreading a row with numeric fields takes V8's slow path (1.8 µs per view/update).
      const change = {
        id: existing.id,
        status: row.status,
        progress: row.progress,
        time_spent: row.time_spent,
        progress_details: row.progress_details,
        completed_at: row.completed_at,
        updated_at: row.updated_at,
      };
      if (this.dialect === 'sqlite') await this.updateConsumption.changes(executor, change);
      else changes.push(change);
    }
    if (changes.length === 0) return;
    const columns = columnsOf(changes, ['id', 'status', 'progress', 'time_spent', 'progress_details', 'completed_at', 'updated_at']);
    await this.updateConsumptionsOfBatch.changes(executor, columns);
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

  /** Every view record of one learner (at most `limit`), for their record in the panel. */
  consumptionsOfLearner(organizationId: number, userId: string, limit: number): Promise<ContentConsumption[]> {
    return this.db
      .selectFrom('content_consumptions')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('user_id', '=', userId)
      .orderBy('id')
      .limit(limit)
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

  /** Certificates with their learner, context and collection, as a verification and a list show them. */
  private certificates() {
    return this.db
      .selectFrom('certificates')
      .innerJoin('enrollments', 'enrollments.id', 'certificates.enrollment_id')
      .innerJoin('contexts', 'contexts.id', 'enrollments.context_id')
      .innerJoin('collections', 'collections.id', 'contexts.collection_id')
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
      ]);
  }

  certificateByToken(token: string) {
    return this.certificates()
      .innerJoin('organizations', 'organizations.id', 'certificates.organization_id')
      .select('organizations.name as organization_name')
      .where('certificates.token', '=', token)
      .executeTakeFirst();
  }

  /** An organization's issued certificates, newest first, with their tokens (the verification links). */
  async certificatePage(organizationId: number, offset: number, limit: number) {
    const [{ count }, rows] = await Promise.all([
      this.db
        .selectFrom('certificates')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('organization_id', '=', organizationId)
        .executeTakeFirstOrThrow(),
      this.certificates()
        .select('certificates.token')
        .where('certificates.organization_id', '=', organizationId)
        .orderBy('certificates.issued_at', 'desc')
        .orderBy('certificates.id')
        .offset(offset)
        .limit(limit)
        .execute(),
    ]);
    return { count: Number(count), rows };
  }

  /**
   * Claims the message ids of a batch of writes of distinct learners, with the responses their
   * repeats get: true for each write that is the first with its msgid, or has none. A repeat finds
   * the claim (waiting, on PostgreSQL, for a concurrent first to commit).
   */
  async claimMessages(executor: Executor, claims: (Claim | undefined)[]): Promise<boolean[]> {
    const now = Date.now();
    const row = (claim: Claim) => ({
      organization_id: claim.organizationId,
      user_id: claim.userId,
      msgid: claim.msgid,
      fingerprint: claim.fingerprint,
      response: claim.response,
      created_at: now,
    });
    if (this.dialect === 'sqlite') {
      const claimed: boolean[] = [];
      for (const claim of claims) claimed.push(!claim || (await this.insertMessage.changes(executor, row(claim))) > 0);
      return claimed;
    }
    const made = claims.filter((claim) => claim !== undefined);
    if (made.length === 0) return claims.map(() => true);
    const inserted = await this.insertMessagesOfBatch.rows(
      executor,
      columnsOf(made.map(row), ['organization_id', 'user_id', 'msgid', 'fingerprint', 'response', 'created_at']),
    );
    // One write per learner in a batch: the learner names the claim.
    const learners = new Set(inserted.map((claim) => `${claim.organization_id}:${claim.user_id}`));
    return claims.map((claim) => !claim || learners.has(`${claim.organizationId}:${claim.userId}`));
  }

  /** Gives back the message ids claimed by writes that were then refused. */
  async releaseMessages(executor: Executor, claims: Claim[]): Promise<void> {
    for (const claim of claims) {
      await executor
        .deleteFrom('applied_messages')
        .where('organization_id', '=', claim.organizationId)
        .where('user_id', '=', claim.userId)
        .where('msgid', '=', claim.msgid)
        .execute();
    }
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
