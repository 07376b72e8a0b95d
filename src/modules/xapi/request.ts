import type { FastifyRequest } from 'fastify';
import { BadRequestError } from '../../http/errors.js';

export type XapiMethod = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
const METHODS: readonly XapiMethod[] = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'];

/** A request to the LRS after the alternate request syntax is undone: what every resource reads. */
export interface XapiRequest {
  method: XapiMethod;
  /** Query parameters, each given once. */
  query: Map<string, string>;
  /** A header by its lower-case name. */
  header(name: string): string | undefined;
  body: Buffer | undefined;
  /** The media type of the body, lower-case, without parameters. */
  mediaType: string;
  /** The Content-Type header as sent (multipart/mixed needs its boundary). */
  contentType: string;
  /** Sent with the alternate request syntax (xAPI 1.0.x only). */
  alternate: boolean;
}

/** Form fields of the alternate syntax that stand for request headers. */
const HEADER_FIELDS = new Set([
  'authorization',
  'x-experience-api-version',
  'content-type',
  'content-length',
  'if-match',
  'if-none-match',
  'accept-language',
]);

export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function singleValues(entries: Iterable<[string, string]>): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of entries) {
    if (values.has(name)) throw new BadRequestError('invalid_parameter', `The parameter ${name} is given more than once.`);
    values.set(name, value);
  }
  return values;
}

function queryOf(url: string): Map<string, string> {
  const at = url.indexOf('?');
  return singleValues(at < 0 ? [] : new URLSearchParams(url.slice(at + 1)));
}

function headerOf(request: FastifyRequest): (name: string) => string | undefined {
  return (name) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
}

/**
 * Reads a request, undoing the alternate request syntax (xAPI 1.0.3 Part Three, 1.3): a POST
 * with `method` as its only query parameter and a form body whose fields carry the headers, the
 * content and the other parameters. Browsers send it where a cross-origin request would need a
 * preflight, and some authoring tools still do when a page unloads.
 */
export function readXapiRequest(request: FastifyRequest): XapiRequest {
  const method = request.method as XapiMethod;
  const query = queryOf(request.url);
  const body = Buffer.isBuffer(request.body) ? request.body : undefined;
  const header = headerOf(request);
  const alternate = query.get('method');
  if (method !== 'POST' || alternate === undefined) {
    if (alternate !== undefined) throw new BadRequestError('invalid_parameter', 'The method parameter is only used in a POST (the alternate request syntax).');
    const contentType = header('content-type') ?? '';
    return { method, query, header, body, contentType, mediaType: mediaTypeOf(contentType), alternate: false };
  }
  const inner = alternate.toUpperCase() as XapiMethod;
  if (!METHODS.includes(inner)) throw new BadRequestError('invalid_parameter', `The method parameter must be one of ${METHODS.join(', ')}.`);
  if (query.size > 1) throw new BadRequestError('invalid_parameter', 'With the alternate request syntax, method is the only query parameter; send the others as form fields.');
  if (mediaTypeOf(header('content-type')) !== 'application/x-www-form-urlencoded') {
    throw new BadRequestError('invalid_content_type', 'The alternate request syntax sends a form (application/x-www-form-urlencoded).');
  }
  const fields = singleValues(new URLSearchParams(body?.toString('utf8') ?? ''));
  const headers = new Map<string, string>();
  const parameters = new Map<string, string>();
  let content: Buffer | undefined;
  for (const [name, value] of fields) {
    const lower = name.toLowerCase();
    if (lower === 'content') content = Buffer.from(value, 'utf8');
    else if (HEADER_FIELDS.has(lower)) headers.set(lower, value);
    else parameters.set(name, value);
  }
  const contentType = headers.get('content-type') ?? (content ? 'application/json' : '');
  return {
    method: inner,
    query: parameters,
    header: (name) => headers.get(name) ?? (name === 'content-type' ? undefined : header(name)),
    body: content,
    contentType,
    mediaType: mediaTypeOf(contentType),
    alternate: true,
  };
}

/** Only these parameters are known to a resource: any other is refused, as the specification asks. */
export function onlyParameters(request: XapiRequest, allowed: readonly string[]): void {
  for (const name of request.query.keys()) {
    if (!allowed.includes(name)) throw new BadRequestError('invalid_parameter', `The parameter ${name} is not known here.`);
  }
}

export function requiredParameter(request: XapiRequest, name: string): string {
  const value = request.query.get(name);
  if (value === undefined) throw new BadRequestError('missing_parameter', `The parameter ${name} is required.`);
  return value;
}

export function jsonParameter(request: XapiRequest, name: string): unknown {
  const value = request.query.get(name);
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new BadRequestError('invalid_parameter', `The parameter ${name} must be JSON.`);
  }
}

export function booleanParameter(request: XapiRequest, name: string): boolean {
  const value = request.query.get(name);
  if (value === undefined) return false;
  if (value !== 'true' && value !== 'false') throw new BadRequestError('invalid_parameter', `The parameter ${name} must be true or false.`);
  return value === 'true';
}

/** The body as JSON, for a request that must send JSON. */
export function jsonBody(request: XapiRequest): unknown {
  if (!request.body || request.body.length === 0) throw new BadRequestError('invalid_json', 'The request body is empty.');
  try {
    return JSON.parse(request.body.toString('utf8')) as unknown;
  } catch {
    throw new BadRequestError('invalid_json', 'The request body is not valid JSON.');
  }
}
