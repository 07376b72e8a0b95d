import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { lrs, lrsCredentials, newId, statement } from '../support/lrs.js';

let harness: Harness;
let auth: string;

beforeAll(async () => {
  harness = await startHarness();
  auth = await lrsCredentials(harness, await harness.createTenant('Acme'));
});
afterAll(() => harness.close());

const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');
const SIGNATURE = 'http://adlnet.gov/expapi/attachments/signature';

interface Part {
  content: Buffer | string;
  contentType: string;
  headers?: Record<string, string>;
}

/** A multipart/mixed body as an xAPI client builds it: the statements, then each attachment's bytes. */
function mixed(statements: unknown, parts: Part[], boundary = 'xapi-boundary-1') {
  const chunks: Buffer[] = [Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(statements)}`)];
  for (const part of parts) {
    const headers = part.headers ?? {
      'Content-Transfer-Encoding': 'binary',
      'X-Experience-API-Hash': sha256(part.content),
    };
    const lines = [`Content-Type: ${part.contentType}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
    chunks.push(Buffer.from(`\r\n--${boundary}\r\n${lines.join('\r\n')}\r\n\r\n`), Buffer.from(part.content));
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { raw: Buffer.concat(chunks), contentType: `multipart/mixed; boundary=${boundary}` };
}

const attachmentOf = (content: Buffer | string, contentType: string, usageType = 'http://example.com/attachments/certificate') => ({
  usageType,
  display: { 'en-US': 'Certificate' },
  contentType,
  length: Buffer.byteLength(content),
  sha2: sha256(content),
});

describe('attachments', () => {
  it('stores attachments sent as multipart/mixed and returns them with attachments=true', async () => {
    const pdf = Buffer.from('%PDF-1.4 a certificate\x00\x01\x02');
    const id = newId();
    const body = mixed(statement({ id, attachments: [attachmentOf(pdf, 'application/pdf')] }), [{ content: pdf, contentType: 'application/pdf' }]);
    const stored = await lrs(harness, auth, 'statements', { method: 'POST', ...body });
    expect(stored.statusCode, stored.body).toBe(200);

    const plain = await lrs(harness, auth, 'statements', { query: { statementId: id } });
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    const withAttachments = await lrs(harness, auth, 'statements', { query: { statementId: id, attachments: 'true' } });
    expect(withAttachments.headers['content-type']).toMatch(/^multipart\/mixed; boundary=/);
    const raw = withAttachments.rawPayload;
    expect(raw.includes(pdf)).toBe(true);
    expect(raw.toString('latin1')).toContain(`X-Experience-API-Hash: ${sha256(pdf)}`);
    expect(raw.toString('latin1')).toContain(`"id":"${id}"`);
  });

  it('accepts an attachment given by fileUrl as plain JSON, but not one without its bytes', async () => {
    const byUrl = { ...attachmentOf('x', 'text/plain'), fileUrl: 'https://example.com/files/x.txt' };
    expect((await lrs(harness, auth, 'statements', { body: statement({ attachments: [byUrl] }) })).statusCode).toBe(200);
    const missing = await lrs(harness, auth, 'statements', { body: statement({ attachments: [attachmentOf('x', 'text/plain')] }) });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('missing_attachment');
  });

  it('refuses a part whose bytes do not have its hash, a part without the hash header, and a part no statement names', async () => {
    const content = 'real bytes';
    const declared = statement({ attachments: [attachmentOf(content, 'text/plain')] });
    const wrongHash = mixed(declared, [{ content, contentType: 'text/plain', headers: { 'Content-Transfer-Encoding': 'binary', 'X-Experience-API-Hash': sha256('other bytes') } }]);
    expect((await lrs(harness, auth, 'statements', { method: 'POST', ...wrongHash })).statusCode).toBe(400);
    const noHash = mixed(declared, [{ content, contentType: 'text/plain', headers: { 'Content-Transfer-Encoding': 'binary' } }]);
    expect((await lrs(harness, auth, 'statements', { method: 'POST', ...noHash })).statusCode).toBe(400);
    const stray = mixed(declared, [{ content, contentType: 'text/plain' }, { content: 'stray', contentType: 'text/plain' }]);
    expect((await lrs(harness, auth, 'statements', { method: 'POST', ...stray })).json().code).toBe('unexpected_attachment');
    const unterminated = mixed(declared, [{ content, contentType: 'text/plain' }]);
    const cut = unterminated.raw.subarray(0, unterminated.raw.length - 20);
    expect((await lrs(harness, auth, 'statements', { method: 'POST', raw: cut, contentType: unterminated.contentType })).statusCode).toBe(400);
  });
});

describe('signed statements', () => {
  let privateKey: KeyObject;
  let certificate: string;

  beforeAll(() => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKey = pair.privateKey;
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-jws-'));
    const keyFile = path.join(folder, 'key.pem');
    fs.writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const pem = execFileSync('openssl', ['req', '-new', '-x509', '-key', keyFile, '-subj', '/CN=Signer', '-days', '2'], { encoding: 'utf8' });
    certificate = pem.replace(/-----[A-Z ]+-----|\s/g, '');
    fs.rmSync(folder, { recursive: true });
  });

  function jws(payload: unknown, options: { alg?: string; x5c?: boolean; key?: KeyObject } = {}) {
    const header = { alg: options.alg ?? 'RS256', ...(options.x5c === false ? {} : { x5c: [certificate] }) };
    const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${input}.${sign('sha256', Buffer.from(input), options.key ?? privateKey).toString('base64url')}`;
  }

  function signedRequest(signed: Record<string, unknown>, token: string) {
    const sent = { ...signed, attachments: [attachmentOf(token, 'application/octet-stream', SIGNATURE)] };
    return mixed(sent, [{ content: token, contentType: 'application/octet-stream' }]);
  }

  it('accepts a statement signed with RS256 whose certificate verifies the signature', async () => {
    const signed = statement({ id: newId() });
    const response = await lrs(harness, auth, 'statements', { method: 'POST', ...signedRequest(signed, jws(signed)) });
    expect(response.statusCode, response.body).toBe(200);
  });

  it('refuses a signature over another statement, with another algorithm, not verifying, or not a JWS', async () => {
    const signed = statement({ id: newId() });
    const cases = [
      jws({ ...signed, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } }),
      jws(signed, { alg: 'HS256' }),
      jws(signed, { key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey }),
      'not-a-jws',
    ];
    for (const token of cases) {
      const response = await lrs(harness, auth, 'statements', { method: 'POST', ...signedRequest(signed, token) });
      expect(response.statusCode, token.slice(0, 40)).toBe(400);
      expect(response.json().code).toMatch(/invalid_signature|invalid_statement/);
    }
  });
});
