import { createHash } from 'node:crypto';
import { AppError, BadRequestError, ConflictError } from '../../http/errors.js';
import { isUniqueViolation, type Db, type Executor } from '../../infra/db/database.js';
import type { XapiDocument, XapiDocumentResource } from '../../infra/db/schema.js';
import type { LrsPrincipal } from './principal.js';

/** Where a document lives: the resource and its keys ('' where a resource has no such key). */
export interface DocumentKey {
  resource: XapiDocumentResource;
  activityId: string;
  agentKey: string;
  registration: string;
}

/** The If-Match / If-None-Match headers of a write. */
export interface Preconditions {
  ifMatch: string | undefined;
  ifNoneMatch: string | undefined;
}

export class PreconditionFailedError extends AppError {
  constructor(message: string) {
    super(412, 'precondition_failed', message);
  }
}

export const etagOf = (content: Buffer): string => `"${createHash('sha1').update(content).digest('hex')}"`;

function listed(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/**
 * Concurrency (xAPI 1.0.3 Part Three, 2.1.3): a write with If-Match needs the document to exist
 * with one of the listed ETags, one with If-None-Match: * needs it absent; else 412. On the
 * profile resources a PUT must say which version it replaces: without either header it is a 409
 * over an existing document and a 400 otherwise (what the conformance suite expects); xAPI 2.0
 * asks the first of State too.
 */
/** When a write must name the version it replaces: never, over an existing document, or always. */
export type PreconditionRule = 'none' | 'existing' | 'always';

function checkPreconditions(existing: XapiDocument | undefined, preconditions: Preconditions, rule: PreconditionRule): void {
  const { ifMatch, ifNoneMatch } = preconditions;
  if (ifMatch !== undefined && (!existing || !listed(ifMatch, existing.etag))) {
    throw new PreconditionFailedError('The document does not have the ETag of If-Match.');
  }
  if (ifNoneMatch !== undefined && existing && listed(ifNoneMatch, existing.etag)) {
    throw new PreconditionFailedError('The document exists (If-None-Match).');
  }
  if (rule !== 'none' && ifMatch === undefined && ifNoneMatch === undefined) {
    if (existing) throw new ConflictError('precondition_required', 'The document exists: send If-Match with its ETag to replace it.');
    if (rule === 'always') throw new BadRequestError('precondition_required', 'Send If-None-Match: * to create a profile document (or If-Match with the ETag to replace one).');
  }
}

function jsonObject(content: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(content.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isJson = (contentType: string): boolean => contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';

/** The documents of the State, Activity Profile and Agent Profile resources. */
export class DocumentsService {
  constructor(private readonly db: Db) {}

  private find(executor: Executor, organizationId: number, key: DocumentKey, documentId: string): Promise<XapiDocument | undefined> {
    return executor
      .selectFrom('xapi_documents')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('resource', '=', key.resource)
      .where('activity_id', '=', key.activityId)
      .where('agent_key', '=', key.agentKey)
      .where('registration', '=', key.registration)
      .where('document_id', '=', documentId)
      .executeTakeFirst();
  }

  get(principal: LrsPrincipal, key: DocumentKey, documentId: string): Promise<XapiDocument | undefined> {
    return this.find(this.db, principal.organizationId, key, documentId);
  }

  /** The ids of the documents under a key, updated after `since` if given. */
  async ids(principal: LrsPrincipal, key: DocumentKey, since: number | undefined): Promise<{ ids: string[]; lastModified: number | undefined }> {
    let query = this.db
      .selectFrom('xapi_documents')
      .select(['document_id', 'updated_at'])
      .where('organization_id', '=', principal.organizationId)
      .where('resource', '=', key.resource)
      .where('activity_id', '=', key.activityId)
      .where('agent_key', '=', key.agentKey);
    if (key.resource === 'state' && key.registration !== '') query = query.where('registration', '=', key.registration);
    if (since !== undefined) query = query.where('updated_at', '>', since);
    const rows = await query.orderBy('document_id').execute();
    const lastModified = rows.length === 0 ? undefined : Math.max(...rows.map((row) => row.updated_at));
    return { ids: rows.map((row) => row.document_id), lastModified };
  }

  /**
   * PUT replaces the document; POST merges a JSON object into a stored JSON object (top-level
   * properties of the new one win) or stores it when there is none.
   */
  async write(
    principal: LrsPrincipal,
    key: DocumentKey,
    documentId: string,
    document: { contentType: string; content: Buffer; merge: boolean },
    preconditions: Preconditions,
    rule: PreconditionRule,
  ): Promise<void> {
    const organizationId = principal.organizationId;
    if (document.merge && !(isJson(document.contentType) && jsonObject(document.content))) {
      throw new BadRequestError('invalid_document', 'A POST merges JSON: send a JSON object as application/json.');
    }
    for (let tries = 0; ; tries++) {
      try {
        return await this.db.transaction().execute(async (tx) => {
          const existing = await this.find(tx, organizationId, key, documentId);
          checkPreconditions(existing, preconditions, document.merge ? 'none' : rule);
          let { contentType, content } = document;
          if (existing && document.merge) {
            const before = isJson(existing.content_type) ? jsonObject(existing.content) : undefined;
            if (!before) throw new BadRequestError('invalid_document', 'The stored document is not a JSON object, so a POST cannot merge into it.');
            content = Buffer.from(JSON.stringify({ ...before, ...jsonObject(document.content) }));
            contentType = 'application/json';
          }
          const values = { content_type: contentType, content, etag: etagOf(content), updated_at: Date.now() };
          if (existing) await tx.updateTable('xapi_documents').set(values).where('id', '=', existing.id).execute();
          else {
            await tx
              .insertInto('xapi_documents')
              .values({
                organization_id: organizationId,
                resource: key.resource,
                activity_id: key.activityId,
                agent_key: key.agentKey,
                registration: key.registration,
                document_id: documentId,
                ...values,
              })
              .execute();
          }
        });
      } catch (error) {
        // Two first writes of one document raced: the second one runs again and sees the first.
        if (isUniqueViolation(error) && tries < 3) continue;
        throw error;
      }
    }
  }

  /** Deletes one document (or, without an id, every document under the key, as State allows). */
  async delete(principal: LrsPrincipal, key: DocumentKey, documentId: string | undefined, preconditions: Preconditions): Promise<void> {
    const organizationId = principal.organizationId;
    await this.db.transaction().execute(async (tx) => {
      if (documentId !== undefined) checkPreconditions(await this.find(tx, organizationId, key, documentId), preconditions, 'none');
      let query = tx
        .deleteFrom('xapi_documents')
        .where('organization_id', '=', organizationId)
        .where('resource', '=', key.resource)
        .where('activity_id', '=', key.activityId)
        .where('agent_key', '=', key.agentKey);
      if (documentId !== undefined) query = query.where('registration', '=', key.registration).where('document_id', '=', documentId);
      else if (key.registration !== '') query = query.where('registration', '=', key.registration);
      await query.execute();
    });
  }
}
