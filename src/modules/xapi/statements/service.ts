import { randomUUID } from 'node:crypto';
import { BadRequestError, ConflictError } from '../../../http/errors.js';
import { LanedGroupCommit, type BatchSizes } from '../../../infra/db/group-commit.js';
import type { Tx } from '../../../infra/db/database.js';
import type { LrsPrincipal } from '../principal.js';
import { checkSignature, SIGNATURE_USAGE } from './signature.js';
import { isVoiding, sameStatement, statementToStore, targetedStatementId, type Statement } from './statement.js';
import { StatementsRepository, type StatementFilters, type StoredStatement } from './repository.js';
import { validateStatement, VOIDED_VERB, type XapiVersion } from './validation.js';

/** An attachment part of a multipart/mixed request, by its hash. */
export interface AttachmentPart {
  contentType: string;
  content: Buffer;
}

interface StatementsWrite {
  organizationId: number;
  /** Each statement as the LRS stores it, and as the client sent it (to compare with a stored one). */
  statements: { toStore: Statement; sent: Statement }[];
  stored: number;
  attachments: Map<string, AttachmentPart>;
}

type WriteOutcome = { ok: true } | { ok: false; error: Error };

export const MAX_PAGE = 500;

/** Store and read statements: immutability, voiding, attachments, signatures and the query filters. */
export class StatementsService {
  private readonly writes: LanedGroupCommit<StatementsWrite, WriteOutcome>;

  constructor(
    private readonly repository: StatementsRepository,
    options: { writeLanes: number; batchSizes: BatchSizes },
  ) {
    this.writes = new LanedGroupCommit(repository.db, options.writeLanes, (tx, writes) => this.applyBatch(tx, writes), options.batchSizes);
  }

  /**
   * Validates and stores a batch of statements (POST) or one statement under an id (PUT), all or
   * nothing; returns their ids in order. A statement sent again with an id already stored is
   * accepted once more when it is the same statement, and refused with 409 when it differs.
   */
  async store(
    principal: LrsPrincipal,
    sent: unknown[],
    options: { attachments: Map<string, AttachmentPart> | undefined; version: XapiVersion },
  ): Promise<string[]> {
    // An empty batch stores nothing (content libraries flush their queue even when it is empty).
    if (sent.length === 0) return [];
    sent.forEach((statement, index) => validateStatement(statement, sent.length === 1 ? 'statement' : `statements[${index}]`, options.version));
    const parts = options.attachments ?? new Map<string, AttachmentPart>();
    checkAttachments(sent as Statement[], options.attachments);
    const now = Date.now();
    const stored = new Date(now).toISOString();
    const ids = new Set<string>();
    const statements = (sent as Statement[]).map((statement) => {
      const id = typeof statement.id === 'string' ? statement.id : randomUUID();
      if (ids.has(id.toLowerCase())) throw new BadRequestError('duplicate_statement_id', `Statement id ${id} appears twice in the batch.`);
      ids.add(id.toLowerCase());
      for (const attachment of attachmentsOf(statement)) {
        if (attachment.usageType === SIGNATURE_USAGE) checkSignature(statement, parts.get(attachment.sha2.toLowerCase()));
      }
      return { sent: { ...statement, id }, toStore: statementToStore(statement, { id, stored, authority: principal.authority, version: options.version }) };
    });
    // As the client sent them: an id the LRS adds is not one the client gave (cmi5 9.1).
    await principal.checkStatements?.(sent as Statement[]);
    const outcome = await this.writes.run(String(principal.organizationId) + [...ids][0], {
      organizationId: principal.organizationId,
      statements,
      stored: now,
      attachments: parts,
    });
    if (!outcome.ok) throw outcome.error;
    await principal.afterStore?.(statements.map((statement) => statement.toStore));
    return statements.map((statement) => statement.toStore.id as string);
  }

  private async applyBatch(tx: Tx, writes: StatementsWrite[]): Promise<WriteOutcome[]> {
    const outcomes: WriteOutcome[] = [];
    for (const write of writes) outcomes.push(await this.applyWrite(tx, write));
    return outcomes;
  }

  private async applyWrite(tx: Tx, write: StatementsWrite): Promise<WriteOutcome> {
    const { organizationId } = write;
    const ids = write.statements.map(({ toStore }) => (toStore.id as string).toLowerCase());
    const existing = await this.repository.findByIds(tx, organizationId, ids);
    const fresh: Statement[] = [];
    for (const { toStore, sent } of write.statements) {
      const before = existing.get((toStore.id as string).toLowerCase());
      if (!before) fresh.push(toStore);
      else if (!sameStatement(before, sent)) {
        return { ok: false, error: new ConflictError('statement_conflict', `A different statement with id ${toStore.id as string} is already stored.`) };
      }
    }
    const targets = [...new Set(fresh.filter(isVoiding).map((statement) => targetedStatementId(statement)!))];
    for (const target of (await this.repository.findByIds(tx, organizationId, targets)).values()) {
      if (isVoiding(target)) {
        return { ok: false, error: new BadRequestError('invalid_statement', `Statement ${target.id as string} voids another statement: a voiding statement cannot be voided.`) };
      }
    }
    await this.repository.insert(
      tx,
      organizationId,
      fresh.map((statement) => ({ statementId: (statement.id as string).toLowerCase(), stored: write.stored, statement })),
    );
    const used = fresh.flatMap((statement) => attachmentsOf(statement).map((attachment) => attachment.sha2.toLowerCase()));
    await this.repository.storeAttachments(
      tx,
      organizationId,
      [...new Set(used)].flatMap((sha2) => {
        const part = write.attachments.get(sha2);
        return part ? [{ sha2, contentType: part.contentType, content: part.content }] : [];
      }),
    );
    await this.repository.recordDefinitions(tx, organizationId, definitionsOf(fresh), mergeDefinitions, write.stored);
    return { ok: true };
  }

  /** One statement by id; voided statements only through voidedStatementId. */
  async findOne(principal: LrsPrincipal, statementId: string, voided: boolean): Promise<StoredStatement | undefined> {
    const found = await this.repository.findOne(principal.organizationId, statementId, voided);
    if (found && principal.scope && registrationOf(found.statement) !== principal.scope.registration) return undefined;
    return found;
  }

  query(principal: LrsPrincipal, filters: StatementFilters, page: { after?: number; limit: number }): Promise<StoredStatement[]> {
    const { scope } = principal;
    // A launch token queries within its registration: another registration matches nothing.
    if (scope && filters.registration !== undefined && filters.registration !== scope.registration) return Promise.resolve([]);
    return this.repository.query(principal.organizationId, scope ? { ...filters, registration: scope.registration } : filters, page);
  }

  /** The stored attachments the statements refer to, by hash. */
  async attachmentsFor(principal: LrsPrincipal, statements: Statement[]): Promise<{ sha2: string; content_type: string; content: Buffer }[]> {
    const hashes = new Set(statements.flatMap((statement) => [...attachmentsOf(statement), ...attachmentsOf(statement.object)].map((a) => a.sha2.toLowerCase())));
    return this.repository.attachments(principal.organizationId, [...hashes]);
  }

  definition(principal: LrsPrincipal, activityId: string): Promise<unknown> {
    return this.repository.definition(principal.organizationId, activityId);
  }

  /** Resolves once every accepted write is committed. */
  settled(): Promise<void> {
    return this.writes.settled();
  }
}

interface AttachmentDeclaration {
  usageType: string;
  sha2: string;
  fileUrl?: string;
  contentType: string;
  length: number;
}

const registrationOf = (statement: Statement): string | undefined =>
  (statement.context as { registration?: string } | undefined)?.registration?.toLowerCase();

function attachmentsOf(statement: unknown): AttachmentDeclaration[] {
  const attachments = (statement as { attachments?: unknown } | undefined)?.attachments;
  return Array.isArray(attachments) ? (attachments as AttachmentDeclaration[]) : [];
}

/**
 * Every attachment without a fileUrl needs its part in a multipart/mixed request, and every part
 * must belong to an attachment. A signature must come as a part.
 */
function checkAttachments(statements: Statement[], parts: Map<string, AttachmentPart> | undefined): void {
  const declared = new Set<string>();
  for (const statement of statements) {
    for (const attachment of [...attachmentsOf(statement), ...attachmentsOf(statement.object)]) {
      const sha2 = attachment.sha2.toLowerCase();
      declared.add(sha2);
      const part = parts?.get(sha2);
      if (!part && (attachment.fileUrl === undefined || attachment.usageType === SIGNATURE_USAGE)) {
        throw new BadRequestError(
          'missing_attachment',
          parts ? `No part of the request carries the attachment with sha2 ${sha2}.` : `The attachment with sha2 ${sha2} has no fileUrl: send it in a multipart/mixed request.`,
        );
      }
    }
  }
  for (const sha2 of parts?.keys() ?? []) {
    if (!declared.has(sha2)) throw new BadRequestError('unexpected_attachment', `The part with hash ${sha2} belongs to no attachment of the statements.`);
  }
}

type Definition = Record<string, unknown>;
const LANGUAGE_MAPS = ['name', 'description'];

/**
 * What the LRS knows of an activity from two definitions of it: language maps and extensions
 * gather every language and key (the later text wins for the same one); other properties are the later ones.
 */
export function mergeDefinitions(stored: Definition, sent: Definition): Definition {
  const merged: Definition = { ...stored, ...sent };
  for (const key of [...LANGUAGE_MAPS, 'extensions']) {
    if (stored[key] !== undefined && sent[key] !== undefined) merged[key] = { ...(stored[key] as Definition), ...(sent[key] as Definition) };
  }
  return merged;
}

/** The definitions statements give their activities (object, context activities), merged in order. */
function definitionsOf(statements: Statement[]): Map<string, Definition> {
  const definitions = new Map<string, Definition>();
  const visit = (activity: unknown) => {
    const candidate = activity as { id?: unknown; definition?: Definition; objectType?: unknown } | undefined;
    if (candidate && typeof candidate.id === 'string' && candidate.definition !== undefined && (candidate.objectType ?? 'Activity') === 'Activity') {
      const before = definitions.get(candidate.id);
      definitions.set(candidate.id, before ? mergeDefinitions(before, candidate.definition) : candidate.definition);
    }
  };
  for (const statement of statements) {
    if ((statement.verb as { id: string }).id === VOIDED_VERB) continue;
    visit(statement.object);
    const contextActivities = (statement.context as { contextActivities?: Record<string, unknown[]> } | undefined)?.contextActivities;
    for (const list of Object.values(contextActivities ?? {})) for (const activity of list) visit(activity);
  }
  return definitions;
}
