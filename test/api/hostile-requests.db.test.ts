import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, post, upload } from '../support/api.js';
import { startHarness, type Harness, type Tenant } from '../support/harness.js';
import { HOSTILE_BODIES, HOSTILE_PARAMETER_TEXTS, HOSTILE_PARAMETERS, HOSTILE_VALUES, replacements, type Json } from '../support/hostile-values.js';
import { lrs, lrsCredentials, statement } from '../support/lrs.js';
import { createCollection, createContext, Learner } from '../support/progress.js';

// Every operation of the API document, sent values no client should send: in each path and query
// parameter, in each field of its body, and as the whole body. Whatever the value, the answer is a
// refusal or a result, never a server error, and the service keeps answering.

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  examples?: unknown[];
  minLength?: number;
  minimum?: number;
}
interface Operation {
  parameters?: { in: 'path' | 'query' | 'header'; name: string }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

let harness: Harness;
let acme: Tenant;
let learner: Learner;
let document: Document;
let lrsAuth: string;
/** Identifiers of things acme has, so that the bodies of their operations are read. */
const real: Record<string, string> = {};

beforeAll(async () => {
  harness = await startHarness();
  acme = await harness.createTenant('Acme');
  document = (await get(harness.app, undefined, '/openapi.json')).json<Document>();
  learner = await Learner.of(harness.app, acme.manager.key, 'ann');
  const uploaded = await upload(harness.app, acme.manager.key, { file: { data: 'not a package', name: 'course.zip' } });
  expect(uploaded.statusCode, uploaded.body).toBe(200);
  real.file = String(uploaded.json().scorm_file_id);
  await createCollection(harness.app, acme.manager.key, { identifier: 'rocks', contents: [{ contentId: 'minerals' }] });
  await createContext(harness.app, acme.manager.key, { identifier: 'spring', collectionId: 'rocks' });
  const extraction = await post(harness.app, acme.manager.key, '/v1/content-extractions/', { scorm_file_id: Number(real.file) });
  real.extraction = String(extraction.json().id ?? 1);
  const webhook = await post(harness.app, acme.manager.key, '/v1/webhooks/', { url: 'https://hooks.example.com/lens', event: 'content_extraction_completed' });
  real.webhook = String(webhook.json().id ?? 1);
  lrsAuth = await lrsCredentials(harness, acme);
});
afterAll(() => harness?.close());

/** A real value for a path parameter, so that hostile queries and bodies get past the lookup. */
function realParameter(url: string, name: string): string {
  if (name === 'identifier') return url.startsWith('/v1/collections') ? 'rocks' : 'spring';
  if (name === 'userId') return learner.userId;
  if (name === 'id') {
    if (url.startsWith('/v1/scorm-files')) return real.file!;
    if (url.startsWith('/v1/content-extractions')) return real.extraction!;
    if (url.startsWith('/v1/users')) return String(acme.member.id);
    if (url.startsWith('/v1/webhooks')) return real.webhook!;
  }
  return '1';
}

function resolve(schema: Schema): Schema {
  return schema.$ref ? resolve(document.components.schemas[schema.$ref.split('/').pop()!]!) : schema;
}

/** A plausible value of a schema: each property, with the first of any alternatives. */
function sample(schema: Schema, depth = 0): Json {
  const resolved = resolve(schema);
  const alternative = resolved.oneOf?.[0] ?? resolved.anyOf?.[0];
  if (alternative) return sample(alternative, depth);
  if (resolved.enum) return resolved.enum[0] as Json;
  if (resolved.examples) return resolved.examples[0] as Json;
  const type = Array.isArray(resolved.type) ? resolved.type[0] : resolved.type;
  if (type === 'object' || resolved.properties) {
    if (depth > 4) return {};
    return Object.fromEntries(Object.entries(resolved.properties ?? {}).map(([name, property]) => [name, sample(property, depth + 1)]));
  }
  if (type === 'array') return resolved.items && depth <= 4 ? [sample(resolved.items, depth + 1)] : [];
  if (type === 'integer' || type === 'number') return Math.max(1, resolved.minimum ?? 1);
  if (type === 'boolean') return true;
  return 'sample';
}

interface Probe {
  what: string;
  method: string;
  url: string;
  /** The body as sent: JSON text. */
  body?: string;
}

function urlOf(template: string, values: Record<string, string>, query = ''): string {
  return template.replace(/\{([^}]+)\}/g, (_all, name: string) => values[name]!) + query;
}

/** Every hostile request for one operation. */
function probes(template: string, method: string, operation: Operation): Probe[] {
  const parameters = operation.parameters ?? [];
  const pathNames = parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name);
  const realValues = Object.fromEntries(pathNames.map((name) => [name, realParameter(template, name)]));
  const schema = operation.requestBody?.content['application/json']?.schema;
  const base = schema ? sample(schema) : undefined;
  const baseText = base === undefined ? undefined : JSON.stringify(base);
  const list: Probe[] = [];
  for (const name of pathNames) {
    for (const value of HOSTILE_PARAMETERS) list.push({ what: `path ${name}=${value.slice(0, 30)}`, method, url: urlOf(template, { ...realValues, [name]: value }), body: baseText });
  }
  for (const { name } of parameters.filter((parameter) => parameter.in === 'query')) {
    for (const value of HOSTILE_PARAMETERS) list.push({ what: `query ${name}=${value.slice(0, 30)}`, method, url: urlOf(template, realValues, `?${name}=${value}`) });
  }
  if (base !== undefined) {
    for (const body of HOSTILE_BODIES) list.push({ what: `body ${body.slice(0, 30)}`, method, url: urlOf(template, realValues), body });
    for (const value of HOSTILE_VALUES) {
      for (const replaced of replacements(base, value)) {
        list.push({ what: `body ${replaced.path}=${JSON.stringify(value).slice(0, 30)}`, method, url: urlOf(template, realValues), body: JSON.stringify(replaced.body) });
      }
    }
  }
  return list;
}

async function send(probe: Probe) {
  // The progress API wants the learner's token beside the key; the other routes ignore it.
  const headers: Record<string, string> = { 'x-api-key': acme.manager.key, authorization: `Bearer ${acme.manager.key}`, 'x-authenticated-user-token': learner.token };
  if (probe.body !== undefined) headers['content-type'] = 'application/json';
  return harness.app.inject({
    method: probe.method.toUpperCase() as 'GET',
    url: probe.url,
    headers,
    ...(probe.body === undefined ? {} : { payload: probe.body }),
  });
}

/** The LRS's resources and the parameters each reads; their values are JSON for agents. */
const LRS_PARAMETERS: Record<string, string[]> = {
  statements: ['statementId', 'voidedStatementId', 'agent', 'verb', 'activity', 'registration', 'related_activities', 'related_agents', 'since', 'until', 'limit', 'format', 'attachments', 'ascending'],
  'activities/state': ['activityId', 'agent', 'registration', 'stateId', 'since'],
  'activities/profile': ['activityId', 'profileId', 'since'],
  'agents/profile': ['agent', 'profileId', 'since'],
  agents: ['agent'],
  activities: ['activityId'],
};
const AGENT = { objectType: 'Agent', mbox: 'mailto:ada@example.com' };
const VALID: Record<string, string | object> = { activityId: 'http://example.com/a', agent: AGENT, stateId: 's', profileId: 'p' };

/** Basic credentials no client was given: random bytes, any of which may decode to a NUL. */
function forgedCredentials(): string[] {
  const forged = Array.from({ length: 40 }, (_, index) => `Basic ${Buffer.from(Array.from({ length: 18 + index }, (_unused, byte) => (byte * 37 + index * 11) % 256)).toString('base64')}`);
  return [...forged, 'Basic %00', `Basic ${'A'.repeat(20_000)}`, `Basic ${Buffer.from('\u0000:\u0000').toString('base64')}`, 'Bearer x'];
}

describe('hostile requests to the LRS', () => {
  it('are refused or answered, never with a server error', async () => {
    const failures: string[] = [];
    const check = async (what: string, response: Promise<{ statusCode: number; body: string }>) => {
      const { statusCode, body } = await response;
      if (statusCode >= 500) failures.push(`${what}: ${statusCode} ${body.slice(0, 200)}`);
    };
    for (const authorization of forgedCredentials()) await check(`credentials ${authorization.slice(0, 40)}`, lrs(harness, authorization, 'statements'));
    for (const [resource, names] of Object.entries(LRS_PARAMETERS)) {
      const valid = Object.fromEntries(names.filter((name) => name in VALID).map((name) => [name, VALID[name]!]));
      for (const name of names) {
        for (const value of [...HOSTILE_PARAMETER_TEXTS, ...HOSTILE_VALUES.flatMap((hostile) => [{ mbox: hostile }, { account: { homePage: 'http://example.com', name: hostile } }])]) {
          const query = { ...valid, [name]: value };
          await check(`GET ${resource} ${name}=${JSON.stringify(value).slice(0, 30)}`, lrs(harness, lrsAuth, resource, { query }));
          if (resource.includes('/')) await check(`PUT ${resource} ${name}`, lrs(harness, lrsAuth, resource, { method: 'PUT', query, body: { note: value } }));
        }
      }
    }
    for (const value of HOSTILE_VALUES) {
      for (const replaced of replacements(statement({ result: { score: { scaled: 0.5 }, response: 'a' }, context: { registration: '2b9c8a0e-3f1d-4c5e-9a7b-6d8e0f1a2b3c' } }) as Json, value)) {
        await check(`POST statements ${replaced.path}=${JSON.stringify(value).slice(0, 30)}`, lrs(harness, lrsAuth, 'statements', { body: replaced.body }));
      }
    }
    for (const body of HOSTILE_BODIES) await check(`POST statements ${body.slice(0, 30)}`, lrs(harness, lrsAuth, 'statements', { raw: body, contentType: 'application/json' }));
    expect(failures).toEqual([]);
  });
});

describe('hostile requests to every operation of the API document', () => {
  it('are refused or answered, never with a server error, and leave the service answering', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const [template, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const probe of probes(template, method, operation)) {
          const response = await send(probe);
          sent++;
          if (response.statusCode >= 500) failures.push(`${method.toUpperCase()} ${template} ${probe.what}: ${response.statusCode} ${response.body.slice(0, 200)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Thousands of requests: every operation with parameters or a body was reached.
    expect(sent).toBeGreaterThan(3000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await get(harness.app, undefined, '/health/')).statusCode).toBe(200);
    // acme's things are still there: the keys, the file, the collection.
    expect((await get(harness.app, acme.member.key, '/v1/scorm-files/')).statusCode).toBe(200);
    expect((await get(harness.app, acme.manager.key, `/v1/scorm-files/${real.file}/`)).statusCode).toBe(200);
    expect((await get(harness.app, acme.manager.key, '/v1/collections/rocks')).json()).toMatchObject({ identifier: 'rocks' });
  });
});
