import { BadRequestError, NotFoundError } from '../../../http/errors.js';
import type { LrsPrincipal } from '../principal.js';
import { booleanParameter, jsonBody, jsonParameter, onlyParameters, requiredParameter, type XapiRequest } from '../request.js';
import type { XapiReply } from '../reply.js';
import { acceptedLanguages, formatStatement, type StatementFormat } from './format.js';
import { readStatementsMultipart, writeStatementsMultipart } from './multipart.js';
import type { StatementFilters, StoredStatement } from './repository.js';
import { MAX_PAGE, type AttachmentPart, type StatementsService } from './service.js';
import { agentKey, type Statement } from './statement.js';
import { actor, iri, normalTimestamp, timestamp, uuid, type XapiVersion } from './validation.js';

const QUERY_PARAMETERS = [
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
] as const;
const FORMATS: readonly StatementFormat[] = ['exact', 'ids', 'canonical'];

/** What a `more` link carries: the query, where the page ended and how the reader wants it. */
interface Cursor {
  filters: StatementFilters;
  after: number;
  limit: number;
  format: StatementFormat;
  attachments: boolean;
}

function badParameter(name: string, problem: string): BadRequestError {
  return new BadRequestError('invalid_parameter', `The parameter ${name} ${problem}.`);
}

/** Reads a checked parameter, turning a data-model fault into a parameter error. */
function checked<T>(request: XapiRequest, name: string, check: (value: string) => T): T | undefined {
  const value = request.query.get(name);
  if (value === undefined) return undefined;
  try {
    return check(value);
  } catch {
    throw badParameter(name, 'is not valid');
  }
}

const epochOf = (value: string): number => Date.parse(normalTimestamp(timestamp(value, 'timestamp')));

function readFilters(request: XapiRequest): StatementFilters {
  const agent = jsonParameter(request, 'agent');
  let key: string | undefined;
  if (agent !== undefined) {
    try {
      actor(agent, 'agent');
    } catch {
      throw badParameter('agent', 'must be an Agent or identified Group (JSON)');
    }
    key = agentKey(agent);
    if (key === undefined) throw badParameter('agent', 'must be an Agent or identified Group (JSON)');
  }
  return {
    agent: key,
    verb: checked(request, 'verb', (value) => iri(value, 'verb')),
    activity: checked(request, 'activity', (value) => iri(value, 'activity')),
    registration: checked(request, 'registration', (value) => uuid(value, 'registration').toLowerCase()),
    relatedAgents: booleanParameter(request, 'related_agents'),
    relatedActivities: booleanParameter(request, 'related_activities'),
    since: checked(request, 'since', epochOf),
    until: checked(request, 'until', epochOf),
    ascending: booleanParameter(request, 'ascending'),
  };
}

function readFormat(request: XapiRequest): StatementFormat {
  const format = request.query.get('format') ?? 'exact';
  if (!FORMATS.includes(format as StatementFormat)) throw badParameter('format', 'must be exact, ids or canonical');
  return format as StatementFormat;
}

function readLimit(request: XapiRequest): number {
  const limit = request.query.get('limit');
  if (limit === undefined) return MAX_PAGE;
  if (!/^\d{1,9}$/.test(limit)) throw badParameter('limit', 'must be a whole number');
  const value = Number(limit);
  return value === 0 ? MAX_PAGE : Math.min(value, MAX_PAGE);
}

const encodeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(token: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Cursor;
    if (Number.isInteger(cursor.after) && Number.isInteger(cursor.limit) && FORMATS.includes(cursor.format) && typeof cursor.filters === 'object') {
      return { ...cursor, limit: Math.min(Math.max(cursor.limit, 1), MAX_PAGE) };
    }
  } catch {
    // reported below
  }
  throw badParameter('more', 'is not a link this LRS gave');
}

/** The statements resource: PUT one, POST a batch, GET one or a page of a query. */
export class StatementsResource {
  constructor(
    private readonly statements: StatementsService,
    /** The path `more` links start with (the public URL's path, then xapi/statements). */
    private readonly statementsPath: string,
  ) {}

  private readStatements(request: XapiRequest): { sent: unknown; attachments: Map<string, AttachmentPart> | undefined } {
    if (request.mediaType === 'multipart/mixed') {
      const { statements, attachments } = readStatementsMultipart(request.body ?? Buffer.alloc(0), request.contentType);
      return { sent: jsonBody({ ...request, body: statements }), attachments };
    }
    if (request.mediaType !== 'application/json') {
      throw new BadRequestError('invalid_content_type', 'Send statements as application/json, or as multipart/mixed with attachments.');
    }
    return { sent: jsonBody(request), attachments: undefined };
  }

  async put(request: XapiRequest, principal: LrsPrincipal, version: XapiVersion): Promise<XapiReply> {
    onlyParameters(request, ['statementId']);
    const statementId = requiredParameter(request, 'statementId');
    if (!/^[0-9a-f-]{36}$/i.test(statementId)) throw badParameter('statementId', 'must be a UUID');
    const { sent, attachments } = this.readStatements(request);
    if (typeof sent !== 'object' || sent === null || Array.isArray(sent)) throw new BadRequestError('invalid_statement', 'PUT stores one statement: send a JSON object.');
    const statement = sent as Statement;
    if (statement.id !== undefined && String(statement.id).toLowerCase() !== statementId.toLowerCase()) {
      throw new BadRequestError('invalid_statement', 'The statement id differs from the statementId parameter.');
    }
    await this.statements.store(principal, [{ ...statement, id: statementId }], { attachments, version });
    return { status: 204 };
  }

  async post(request: XapiRequest, principal: LrsPrincipal, version: XapiVersion): Promise<XapiReply> {
    onlyParameters(request, []);
    const { sent, attachments } = this.readStatements(request);
    const batch = Array.isArray(sent) ? (sent as unknown[]) : [sent];
    return { status: 200, json: await this.statements.store(principal, batch, { attachments, version }) };
  }

  async get(request: XapiRequest, principal: LrsPrincipal): Promise<XapiReply> {
    const languages = acceptedLanguages(request.header('accept-language'));
    const single = request.query.has('statementId') ? 'statementId' : request.query.has('voidedStatementId') ? 'voidedStatementId' : undefined;
    if (single) {
      onlyParameters(request, [single, 'format', 'attachments']);
      const format = readFormat(request);
      const found = await this.statements.findOne(principal, requiredParameter(request, single), single === 'voidedStatementId');
      if (!found) throw new NotFoundError('statement_not_found', 'No such statement.');
      const statement = formatStatement(found.statement, format, languages);
      return this.answer(principal, statement, [found], booleanParameter(request, 'attachments'));
    }
    let cursor: Omit<Cursor, 'after'> & { after?: number };
    if (request.query.has('more')) {
      onlyParameters(request, ['more']);
      cursor = decodeCursor(requiredParameter(request, 'more'));
    } else {
      onlyParameters(request, QUERY_PARAMETERS);
      cursor = { filters: readFilters(request), limit: readLimit(request), format: readFormat(request), attachments: booleanParameter(request, 'attachments') };
    }
    const rows = await this.statements.query(principal, cursor.filters, { after: cursor.after, limit: cursor.limit + 1 });
    const page = rows.slice(0, cursor.limit);
    const more = rows.length > cursor.limit ? `${this.statementsPath}?more=${encodeCursor({ ...cursor, after: page.at(-1)!.rowId })}` : '';
    const result = { statements: page.map((row) => formatStatement(row.statement, cursor.format, languages)), more };
    return this.answer(principal, result, page, cursor.attachments);
  }

  /** JSON, or with attachments=true a multipart/mixed body of the JSON and the attachments it names. */
  private async answer(
    principal: LrsPrincipal,
    body: unknown,
    rows: StoredStatement[],
    withAttachments: boolean,
  ): Promise<XapiReply> {
    const newest = rows.reduce((latest, row) => Math.max(latest, row.stored), 0);
    const withModified: Record<string, string> = newest > 0 ? { 'last-modified': new Date(newest).toUTCString() } : {};
    if (!withAttachments) return { status: 200, json: body, headers: withModified };
    const attachments = await this.statements.attachmentsFor(principal, rows.map((row) => row.statement));
    const { contentType, body: multipart } = writeStatementsMultipart(body, attachments);
    return { status: 200, body: multipart, contentType, headers: withModified };
  }
}
