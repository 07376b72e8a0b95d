import { AppError, BadRequestError, NotFoundError } from '../../http/errors.js';
import type { XapiDocumentResource } from '../../infra/db/schema.js';
import { DocumentsService, type DocumentKey } from './documents.js';
import type { LrsPrincipal } from './principal.js';
import type { XapiReply } from './reply.js';
import { jsonParameter, onlyParameters, requiredParameter, type XapiRequest } from './request.js';
import { agentKey } from './statements/statement.js';
import { actor, iri, normalTimestamp, timestamp, uuid, type XapiVersion } from './statements/validation.js';

/** The keys each document resource is addressed by, and the name of its document id parameter. */
const SHAPES: Record<XapiDocumentResource, { activity: boolean; agent: boolean; registration: boolean; idParameter: string }> = {
  state: { activity: true, agent: true, registration: true, idParameter: 'stateId' },
  activity_profile: { activity: true, agent: false, registration: false, idParameter: 'profileId' },
  agent_profile: { activity: false, agent: true, registration: false, idParameter: 'profileId' },
};

/** A launch token asking for another learner's documents. */
class LaunchScopeError extends AppError {
  constructor() {
    super(403, 'outside_launch', 'This launch reaches the documents of its own learner only.');
  }
}

function badParameter(name: string, problem: string): BadRequestError {
  return new BadRequestError('invalid_parameter', `The parameter ${name} ${problem}.`);
}

/** State, Activity Profile or Agent Profile: documents under their keys, with ETags. */
export class DocumentsResource {
  private readonly shape: (typeof SHAPES)[XapiDocumentResource];

  constructor(
    private readonly documents: DocumentsService,
    private readonly resource: XapiDocumentResource,
  ) {
    this.shape = SHAPES[resource];
  }

  private key(request: XapiRequest, principal: LrsPrincipal): DocumentKey {
    const { shape } = this;
    onlyParameters(request, [
      ...(shape.activity ? ['activityId'] : []),
      ...(shape.agent ? ['agent'] : []),
      ...(shape.registration ? ['registration'] : []),
      shape.idParameter,
      ...(request.method === 'GET' || request.method === 'HEAD' ? ['since'] : []),
    ]);
    let activityId = '';
    if (shape.activity) {
      activityId = requiredParameter(request, 'activityId');
      try {
        iri(activityId, 'activityId');
      } catch {
        throw badParameter('activityId', 'must be an IRI');
      }
    }
    let key = '';
    if (shape.agent) {
      const agent = jsonParameter(request, 'agent');
      if (agent === undefined) throw new BadRequestError('missing_parameter', 'The parameter agent is required.');
      try {
        actor(agent, 'agent');
      } catch {
        throw badParameter('agent', 'must be an Agent or identified Group (JSON)');
      }
      key = agentKey(agent) ?? '';
      if (key === '') throw badParameter('agent', 'must be an Agent or identified Group (JSON)');
    }
    const registration = request.query.get('registration');
    if (registration !== undefined) {
      try {
        uuid(registration, 'registration');
      } catch {
        throw badParameter('registration', 'must be a UUID');
      }
    }
    const scope = principal.scope;
    if (scope && shape.agent && key !== scope.agentKey) throw new LaunchScopeError();
    return { resource: this.resource, activityId, agentKey: key, registration: registration?.toLowerCase() ?? '' };
  }

  private preconditions(request: XapiRequest) {
    return { ifMatch: request.header('if-match'), ifNoneMatch: request.header('if-none-match') };
  }

  async get(request: XapiRequest, principal: LrsPrincipal): Promise<XapiReply> {
    const key = this.key(request, principal);
    const documentId = request.query.get(this.shape.idParameter);
    if (documentId === undefined) {
      const sinceText = request.query.get('since');
      let since: number | undefined;
      if (sinceText !== undefined) {
        try {
          since = Date.parse(normalTimestamp(timestamp(sinceText, 'since')));
        } catch {
          throw badParameter('since', 'must be an ISO 8601 timestamp');
        }
      }
      const { ids, lastModified } = await this.documents.ids(principal, key, since);
      return { status: 200, json: ids, headers: lastModified === undefined ? {} : { 'last-modified': new Date(lastModified).toUTCString() } };
    }
    const document = await this.documents.get(principal, key, documentId);
    if (!document) throw new NotFoundError('document_not_found', 'No such document.');
    return {
      status: 200,
      body: document.content,
      contentType: document.content_type,
      headers: { etag: document.etag, 'last-modified': new Date(document.updated_at).toUTCString() },
    };
  }

  private async write(request: XapiRequest, principal: LrsPrincipal, merge: boolean, version: XapiVersion): Promise<XapiReply> {
    const key = this.key(request, principal);
    const documentId = requiredParameter(request, this.shape.idParameter);
    const contentType = request.contentType === '' ? 'application/octet-stream' : request.contentType;
    const content = request.body ?? Buffer.alloc(0);
    principal.checkDocumentChange?.({ resource: this.resource, documentId, contentType, content });
    const rule = this.resource !== 'state' ? 'always' : version === '2.0.0' ? 'existing' : 'none';
    await this.documents.write(principal, key, documentId, { contentType, content, merge }, this.preconditions(request), rule);
    return { status: 204 };
  }

  put(request: XapiRequest, principal: LrsPrincipal, version: XapiVersion): Promise<XapiReply> {
    return this.write(request, principal, false, version);
  }

  post(request: XapiRequest, principal: LrsPrincipal, version: XapiVersion): Promise<XapiReply> {
    return this.write(request, principal, true, version);
  }

  async delete(request: XapiRequest, principal: LrsPrincipal): Promise<XapiReply> {
    const key = this.key(request, principal);
    const documentId = this.resource === 'state' ? request.query.get('stateId') : requiredParameter(request, this.shape.idParameter);
    principal.checkDocumentChange?.({ resource: this.resource, documentId });
    await this.documents.delete(principal, key, documentId, this.preconditions(request));
    return { status: 204 };
  }
}
