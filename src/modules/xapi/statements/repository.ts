import { sql, type SelectQueryBuilder } from 'kysely';
import type { Db, Executor } from '../../../infra/db/database.js';
import type { Database } from '../../../infra/db/schema.js';
import { isVoiding, statementIndex, targetedStatementId, type Statement } from './statement.js';

/** A statement ready to insert: its JSON as stored and the values its columns take. */
export interface StatementRow {
  statementId: string;
  stored: number;
  statement: Statement;
}

export interface StoredStatement {
  rowId: number;
  stored: number;
  statement: Statement;
}

/** The filters of GET /statements, already checked; agent is an agent key. */
export interface StatementFilters {
  agent?: string;
  verb?: string;
  activity?: string;
  registration?: string;
  relatedAgents: boolean;
  relatedActivities: boolean;
  since?: number;
  until?: number;
  ascending: boolean;
}

type StatementQuery = SelectQueryBuilder<Database, 'xapi_statements', object>;

const parse = (row: { id: number; stored: number; statement: string }): StoredStatement => ({
  rowId: row.id,
  stored: row.stored,
  statement: JSON.parse(row.statement) as Statement,
});

/** Statements, their index rows, attachments and activity definitions. */
export class StatementsRepository {
  constructor(readonly db: Db) {}

  /** The stored statements among these ids (lower-cased), voided or not. */
  async findByIds(executor: Executor, organizationId: number, statementIds: string[]): Promise<Map<string, Statement>> {
    if (statementIds.length === 0) return new Map();
    const rows = await executor
      .selectFrom('xapi_statements')
      .select(['statement_id', 'statement'])
      .where('organization_id', '=', organizationId)
      .where('statement_id', 'in', statementIds)
      .execute();
    return new Map(rows.map((row) => [row.statement_id, JSON.parse(row.statement) as Statement]));
  }

  /**
   * Stores new statements with their index rows; voids the statements the voiding ones target,
   * and marks a new statement voided when a voiding statement stored before it targets it.
   */
  async insert(executor: Executor, organizationId: number, rows: StatementRow[]): Promise<void> {
    for (const row of rows) {
      const voidedBefore = await executor
        .selectFrom('xapi_statements')
        .select('id')
        .where('organization_id', '=', organizationId)
        .where('object_statement_id', '=', row.statementId)
        .where('verb_id', '=', 'http://adlnet.gov/expapi/verbs/voided')
        .executeTakeFirst();
      const verb = row.statement.verb as { id: string };
      const context = row.statement.context as { registration?: string } | undefined;
      const inserted = await executor
        .insertInto('xapi_statements')
        .values({
          organization_id: organizationId,
          statement_id: row.statementId,
          stored: row.stored,
          verb_id: verb.id,
          registration: context?.registration?.toLowerCase() ?? null,
          object_statement_id: targetedStatementId(row.statement) ?? null,
          voided: voidedBefore && !isVoiding(row.statement) ? 1 : 0,
          statement: JSON.stringify(row.statement),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const index = statementIndex(row.statement);
      const agents = [...index.agents].map(([agent_key, related]) => ({ organization_id: organizationId, statement_row_id: inserted.id, agent_key, related }));
      const activities = [...index.activities].map(([activity_id, related]) => ({ organization_id: organizationId, statement_row_id: inserted.id, activity_id, related }));
      if (agents.length > 0) await executor.insertInto('xapi_statement_agents').values(agents).execute();
      if (activities.length > 0) await executor.insertInto('xapi_statement_activities').values(activities).execute();
      const target = isVoiding(row.statement) ? targetedStatementId(row.statement) : undefined;
      if (target) {
        await executor
          .updateTable('xapi_statements')
          .set({ voided: 1 })
          .where('organization_id', '=', organizationId)
          .where('statement_id', '=', target)
          .where('verb_id', '<>', 'http://adlnet.gov/expapi/verbs/voided')
          .execute();
      }
    }
  }

  /** One statement by id: a live one, or (voided = true) one that has been voided. */
  async findOne(organizationId: number, statementId: string, voided: boolean): Promise<StoredStatement | undefined> {
    const row = await this.db
      .selectFrom('xapi_statements')
      .select(['id', 'stored', 'statement'])
      .where('organization_id', '=', organizationId)
      .where('statement_id', '=', statementId.toLowerCase())
      .where('voided', '=', voided ? 1 : 0)
      .executeTakeFirst();
    return row && parse(row);
  }

  /**
   * A page of statements that match the filters, after the cursor (a row id), newest first unless
   * ascending. A statement whose StatementRef targets a matching statement matches too, however
   * long the chain; since and until still apply to the targeting statement itself. Voided
   * statements are never returned, but the statements targeting them may be.
   */
  async query(
    organizationId: number,
    filters: StatementFilters,
    page: { after?: number; limit: number },
  ): Promise<StoredStatement[]> {
    const filtered = filters.agent !== undefined || filters.verb !== undefined || filters.activity !== undefined || filters.registration !== undefined;
    let query = this.db
      .selectFrom('xapi_statements')
      .select(['id', 'stored', 'statement'])
      .where('organization_id', '=', organizationId)
      .where('voided', '=', 0);
    if (filtered) {
      const matched = this.matching(organizationId, filters);
      query = query.where('id', 'in', matched);
    }
    if (filters.since !== undefined) query = query.where('stored', '>', filters.since);
    if (filters.until !== undefined) query = query.where('stored', '<=', filters.until);
    if (page.after !== undefined) query = query.where('id', filters.ascending ? '>' : '<', page.after);
    const rows = await query
      .orderBy('id', filters.ascending ? 'asc' : 'desc')
      .limit(page.limit)
      .execute();
    return rows.map(parse);
  }

  /** The row ids of statements that match the filters themselves or target one that does. */
  private matching(organizationId: number, filters: StatementFilters) {
    const base = (db: Db): StatementQuery => {
      let query = db.selectFrom('xapi_statements').where('organization_id', '=', organizationId) as StatementQuery;
      if (filters.verb !== undefined) query = query.where('verb_id', '=', filters.verb);
      if (filters.registration !== undefined) query = query.where('registration', '=', filters.registration.toLowerCase());
      if (filters.agent !== undefined) {
        query = query.where('id', 'in', this.named(organizationId, 'xapi_statement_agents', 'agent_key', filters.agent, filters.relatedAgents));
      }
      if (filters.activity !== undefined) {
        query = query.where('id', 'in', this.named(organizationId, 'xapi_statement_activities', 'activity_id', filters.activity, filters.relatedActivities));
      }
      return query;
    };
    return this.db
      .withRecursive('matched(id, statement_id)', (db) =>
        base(db as unknown as Db)
          .select(['id', 'statement_id'])
          .union((db) =>
            db
              .selectFrom('xapi_statements as targeting')
              .innerJoin(sql<{ id: number; statement_id: string }>`matched`.as('m'), 'm.statement_id', 'targeting.object_statement_id')
              .where('targeting.organization_id', '=', organizationId)
              .select(['targeting.id', 'targeting.statement_id']),
          ),
      )
      .selectFrom('matched')
      .select('matched.id');
  }

  /** The row ids of statements that name an agent (or an activity), where the plain filter or, if related, the broad one looks. */
  private named(
    organizationId: number,
    table: 'xapi_statement_agents' | 'xapi_statement_activities',
    column: 'agent_key' | 'activity_id',
    value: string,
    related: boolean,
  ) {
    let rows = this.db
      .selectFrom(table as 'xapi_statement_agents')
      .select('statement_row_id')
      .where('organization_id', '=', organizationId)
      .where(column as 'agent_key', '=', value);
    if (!related) rows = rows.where('related', '=', 0);
    return rows;
  }

  async storeAttachments(
    executor: Executor,
    organizationId: number,
    attachments: { sha2: string; contentType: string; content: Buffer }[],
  ): Promise<void> {
    for (const attachment of attachments) {
      await executor
        .insertInto('xapi_attachments')
        .values({ organization_id: organizationId, sha2: attachment.sha2, content_type: attachment.contentType, content: attachment.content })
        .onConflict((conflict) => conflict.columns(['organization_id', 'sha2']).doNothing())
        .execute();
    }
  }

  async attachments(organizationId: number, hashes: string[]): Promise<{ sha2: string; content_type: string; content: Buffer }[]> {
    if (hashes.length === 0) return [];
    return this.db
      .selectFrom('xapi_attachments')
      .select(['sha2', 'content_type', 'content'])
      .where('organization_id', '=', organizationId)
      .where('sha2', 'in', hashes)
      .execute();
  }

  /**
   * Keeps a canonical definition of each activity statements define, for GET /activities: each
   * new definition is merged into the stored one by `merge`.
   */
  async recordDefinitions(
    executor: Executor,
    organizationId: number,
    definitions: Map<string, Record<string, unknown>>,
    merge: (stored: Record<string, unknown>, sent: Record<string, unknown>) => Record<string, unknown>,
    now: number,
  ): Promise<void> {
    if (definitions.size === 0) return;
    const stored = await executor
      .selectFrom('xapi_activities')
      .select(['activity_id', 'definition'])
      .where('organization_id', '=', organizationId)
      .where('activity_id', 'in', [...definitions.keys()])
      .execute();
    const before = new Map(stored.map((row) => [row.activity_id, JSON.parse(row.definition) as Record<string, unknown>]));
    for (const [activityId, sent] of definitions) {
      const previous = before.get(activityId);
      const definition = JSON.stringify(previous ? merge(previous, sent) : sent);
      await executor
        .insertInto('xapi_activities')
        .values({ organization_id: organizationId, activity_id: activityId, definition, updated_at: now })
        .onConflict((conflict) => conflict.columns(['organization_id', 'activity_id']).doUpdateSet({ definition, updated_at: now }))
        .execute();
    }
  }

  async definition(organizationId: number, activityId: string): Promise<unknown> {
    const row = await this.db
      .selectFrom('xapi_activities')
      .select('definition')
      .where('organization_id', '=', organizationId)
      .where('activity_id', '=', activityId)
      .executeTakeFirst();
    return row ? (JSON.parse(row.definition) as unknown) : undefined;
  }
}
