import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  addressPolicy,
  checkPublicHost,
  checkPublicUrl,
  DownloadError,
  downloadPublicUrl,
  isPublicAddress,
  type AddressPolicy,
  type DownloadErrorCode,
} from '../../src/infra/net/public-download.js';
import { TempFiles } from '../../src/infra/storage/temp-files.js';

const onlyLoopbackOne: AddressPolicy = { allows: (a) => a === '127.0.0.1' };
const MAX_BYTES = 1000;
const payload = randomBytes(64 * 1024);

let tmpDir: string;
let tempFiles: TempFiles;
let main: http.Server;
let mainPort: number;
let forbidden: http.Server;
let forbiddenPort: number;
const forbiddenHits: string[] = [];
const mainHits: string[] = [];

function listen(server: http.Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function sendChunked(res: http.ServerResponse, total: number) {
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  let sent = 0;
  const step = () => {
    if (sent >= total) return res.end();
    const n = Math.min(100, total - sent);
    sent += n;
    res.write(Buffer.alloc(n, 0x61), step);
  };
  step();
}

function handleMain(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
  mainHits.push(url.pathname);
  const loop = /^\/loop\/(\d+)$/.exec(url.pathname);
  if (loop) {
    res.writeHead(302, { location: `/loop/${Number(loop[1]) + 1}` }).end();
    return;
  }
  const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
  if (chain) {
    const left = Number(chain[1]);
    res.writeHead(302, { location: left > 1 ? `/chain/${left - 1}` : '/file' }).end();
    return;
  }
  switch (url.pathname) {
    case '/file':
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': payload.length });
      res.end(payload);
      return;
    case '/redirect-file':
      res.writeHead(302, { location: '/file' }).end();
      return;
    case '/to-forbidden':
      res.writeHead(302, { location: `http://127.0.0.2:${forbiddenPort}/secret` }).end();
      return;
    case '/to-localhost':
      res.writeHead(301, { location: `http://localhost:${mainPort}/file` }).end();
      return;
    case '/to-file-scheme':
      res.writeHead(302, { location: 'file:///etc/passwd' }).end();
      return;
    case '/missing':
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
      return;
    case '/big-declared':
      res.writeHead(200, { 'content-length': MAX_BYTES + 1 });
      res.end(Buffer.alloc(MAX_BYTES + 1, 0x62));
      return;
    case '/exact-declared':
      res.writeHead(200, { 'content-length': MAX_BYTES });
      res.end(Buffer.alloc(MAX_BYTES, 0x62));
      return;
    case '/big-chunked':
      sendChunked(res, MAX_BYTES * 5);
      return;
    case '/exact-chunked':
      sendChunked(res, MAX_BYTES);
      return;
    case '/hang':
      // Never answers.
      return;
    case '/stall':
      res.writeHead(200, { 'content-length': 500 });
      res.write(Buffer.alloc(100, 0x63));
      // Never sends the rest.
      return;
    default:
      res.writeHead(500).end();
  }
}

beforeAll(async () => {
  tmpDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'public-download-test-'));
  tempFiles = new TempFiles(path.join(tmpDir, 'temp'));
  await tempFiles.init();

  main = http.createServer(handleMain);
  mainPort = await listen(main, '127.0.0.1');
  forbidden = http.createServer((req, res) => {
    forbiddenHits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain' }).end('internal secret');
  });
  forbiddenPort = await listen(forbidden, '127.0.0.2');
});

afterEach(async () => {
  mainHits.length = 0;
  forbiddenHits.length = 0;
  for (const name of await fs.promises.readdir(path.join(tmpDir, 'temp'))) {
    await fs.promises.rm(path.join(tmpDir, 'temp', name), { force: true });
  }
});

afterAll(async () => {
  await Promise.all([main && close(main), forbidden && close(forbidden)]);
  await fs.promises.rm(tmpDir, { recursive: true, force: true });
});

const mainUrl = (p: string) => `http://127.0.0.1:${mainPort}${p}`;
const tempEntries = () => fs.promises.readdir(path.join(tmpDir, 'temp'));

async function downloadError(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DownloadError);
  return error as DownloadError;
}

async function expectCode(promise: Promise<unknown>, code: DownloadErrorCode) {
  const error = await downloadError(promise);
  expect(error.code).toBe(code);
  return error;
}

function expectSyncCode(fn: () => unknown, code: DownloadErrorCode) {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(DownloadError);
  expect((caught as DownloadError).code).toBe(code);
}

const opts = (overrides: Partial<Parameters<typeof downloadPublicUrl>[1]> = {}) => ({
  policy: onlyLoopbackOne,
  tempFiles,
  maxBytes: 1024 * 1024,
  timeoutMs: 10_000,
  ...overrides,
});

describe('isPublicAddress', () => {
  it.each(['8.8.8.8', '1.1.1.1', '100.128.0.1', '2606:4700:4700::1111', '2001:4860:4860::8888'])(
    'accepts the public address %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it.each([
    ['IPv4 loopback', '127.0.0.1'],
    ['other 127/8 loopback', '127.0.0.2'],
    ['IPv6 loopback', '::1'],
    ['RFC1918 10/8', '10.1.2.3'],
    ['RFC1918 172.16/12', '172.16.0.1'],
    ['RFC1918 172.31.255.255', '172.31.255.255'],
    ['RFC1918 192.168/16', '192.168.1.1'],
    ['link-local / cloud metadata', '169.254.169.254'],
    ['CGNAT low end', '100.64.0.1'],
    ['CGNAT high end', '100.127.255.255'],
    ['IPv6 unique-local fc00::/7 (fc)', 'fc00::1'],
    ['IPv6 unique-local fc00::/7 (fd)', 'fd12:3456::1'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv4-mapped IPv6 of loopback', '::ffff:127.0.0.1'],
    ['IPv4-mapped IPv6 of RFC1918 (hex form)', '::ffff:a00:1'],
    ['IPv4-mapped IPv6 of metadata', '::ffff:169.254.169.254'],
    ['IPv4-compatible IPv6 of loopback', '::7f00:1'],
    ['IPv4-compatible IPv6 of metadata', '::a9fe:a9fe'],
    ['unspecified IPv4', '0.0.0.0'],
    ['unspecified IPv6', '::'],
    ['IPv4 multicast', '224.0.0.1'],
    ['IPv6 multicast', 'ff02::1'],
    ['broadcast', '255.255.255.255'],
  ])('refuses %s (%s)', (_label, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it('treats an IPv4-mapped IPv6 of a public address as public', () => {
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(true);
  });

  it.each(['', 'localhost', 'example.com', 'not an ip', '256.1.1.1', '1.2.3.4.5', '::gg', '8.8.8.8 '])(
    'refuses the junk string %j',
    (junk) => {
      expect(isPublicAddress(junk)).toBe(false);
    },
  );
});

describe('addressPolicy', () => {
  it('with private networks disallowed, allows only public addresses', () => {
    const policy = addressPolicy(false);
    expect(policy.allows('8.8.8.8')).toBe(true);
    expect(policy.allows('10.0.0.1')).toBe(false);
    expect(policy.allows('127.0.0.1')).toBe(false);
    expect(policy.allows('::1')).toBe(false);
  });

  it('with private networks allowed, allows private and public addresses', () => {
    const policy = addressPolicy(true);
    expect(policy.allows('8.8.8.8')).toBe(true);
    expect(policy.allows('10.0.0.1')).toBe(true);
    expect(policy.allows('127.0.0.1')).toBe(true);
  });
});

describe('checkPublicUrl', () => {
  const deny = addressPolicy(false);

  it('returns the parsed URL for a public http(s) URL', () => {
    const url = checkPublicUrl('https://example.com/course.zip?x=1', deny);
    expect(url).toBeInstanceOf(URL);
    expect(url.href).toBe('https://example.com/course.zip?x=1');
    expect(checkPublicUrl('http://8.8.8.8/a.zip', deny).hostname).toBe('8.8.8.8');
    expect(checkPublicUrl('http://[2606:4700:4700::1111]/a.zip', deny).hostname).toBe('[2606:4700:4700::1111]');
  });

  it.each(['not a url', '', '/relative/path', 'http://'])('refuses the unparsable URL %j', (raw) => {
    expectSyncCode(() => checkPublicUrl(raw, deny), 'public_url_invalid');
  });

  it.each(['ftp://example.com/a.zip', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,hi', 'gopher://example.com/'])(
    'refuses the non-http scheme in %s',
    (raw) => {
      expectSyncCode(() => checkPublicUrl(raw, deny), 'public_url_invalid');
    },
  );

  it.each(['http://user:secret@example.com/a.zip', 'https://user@example.com/a.zip', 'https://:secret@example.com/a.zip'])(
    'refuses credentials in %s',
    (raw) => {
      expectSyncCode(() => checkPublicUrl(raw, deny), 'public_url_invalid');
    },
  );

  it.each([
    'http://127.0.0.1/a.zip',
    'http://127.0.0.2:8080/a.zip',
    'http://10.0.0.5/a.zip',
    'http://192.168.0.1/a.zip',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.0.1/a.zip',
    'http://0.0.0.0/a.zip',
    'http://[::1]/a.zip',
    'http://[fd00::1]/a.zip',
    'http://[::ffff:127.0.0.1]/a.zip',
    'http://[::ffff:10.0.0.1]/a.zip',
    'http://2130706433/a.zip',
    'http://0x7f.1/a.zip',
    'http://0177.0.0.1/a.zip',
  ])('refuses the literal private address in %s', (raw) => {
    expectSyncCode(() => checkPublicUrl(raw, deny), 'public_url_private_address');
  });

  it('defers to the policy it is given', () => {
    expect(checkPublicUrl('http://127.0.0.1:9/a.zip', addressPolicy(true)).port).toBe('9');
    expectSyncCode(() => checkPublicUrl('http://127.0.0.2/a.zip', onlyLoopbackOne), 'public_url_private_address');
    expect(checkPublicUrl('http://127.0.0.1/a.zip', onlyLoopbackOne).hostname).toBe('127.0.0.1');
    expectSyncCode(() => checkPublicUrl('http://8.8.8.8/a.zip', onlyLoopbackOne), 'public_url_private_address');
  });

  it('does not resolve host names (a name pointing inside passes the up-front check)', () => {
    expect(checkPublicUrl('http://localhost/a.zip', addressPolicy(false)).hostname).toBe('localhost');
  });
});

describe('checkPublicHost', () => {
  it('refuses a name that resolves to loopback', async () => {
    await expectCode(checkPublicHost('http://localhost/a.zip', addressPolicy(false)), 'public_url_private_address');
  });

  it('allows the same name when private networks are allowed', async () => {
    const url = await checkPublicHost('http://localhost/a.zip', addressPolicy(true));
    expect(url.hostname).toBe('localhost');
  });
});

describe('downloadPublicUrl', () => {
  it('downloads the body into a temp file with the right size and final URL', async () => {
    const result = await downloadPublicUrl(mainUrl('/file'), opts());
    expect(result.size).toBe(payload.length);
    expect(result.finalUrl.href).toBe(mainUrl('/file'));
    expect(path.dirname(result.path)).toBe(path.join(tmpDir, 'temp'));
    const content = await fs.promises.readFile(result.path);
    expect(content.equals(payload)).toBe(true);
  });

  it('follows an allowed redirect and reports the final URL', async () => {
    const result = await downloadPublicUrl(mainUrl('/redirect-file'), opts());
    expect(result.finalUrl.href).toBe(mainUrl('/file'));
    expect(result.size).toBe(payload.length);
    expect((await fs.promises.readFile(result.path)).equals(payload)).toBe(true);
    expect(mainHits).toEqual(['/redirect-file', '/file']);
  });

  it('refuses a literal private address before connecting', async () => {
    await expectCode(
      downloadPublicUrl(`http://127.0.0.2:${forbiddenPort}/secret`, opts()),
      'public_url_private_address',
    );
    expect(forbiddenHits).toEqual([]);
  });

  it('refuses a redirect from an allowed server to a forbidden address', async () => {
    await expectCode(downloadPublicUrl(mainUrl('/to-forbidden'), opts()), 'public_url_private_address');
    expect(mainHits).toEqual(['/to-forbidden']);
    expect(forbiddenHits).toEqual([]);
    expect(await tempEntries()).toEqual([]);
  });

  it('follows that same redirect when the policy allows the target (control)', async () => {
    const both: AddressPolicy = { allows: (a) => a === '127.0.0.1' || a === '127.0.0.2' };
    const result = await downloadPublicUrl(mainUrl('/to-forbidden'), opts({ policy: both }));
    expect(forbiddenHits).toEqual(['/secret']);
    expect(result.finalUrl.href).toBe(`http://127.0.0.2:${forbiddenPort}/secret`);
    expect(await fs.promises.readFile(result.path, 'utf8')).toBe('internal secret');
  });

  it('refuses a redirect to a non-http scheme', async () => {
    await expectCode(downloadPublicUrl(mainUrl('/to-file-scheme'), opts()), 'public_url_invalid');
  });

  it('refuses a host name that resolves to loopback under the default policy', async () => {
    await expectCode(
      downloadPublicUrl(`http://localhost:${mainPort}/file`, opts({ policy: addressPolicy(false) })),
      'public_url_private_address',
    );
    expect(mainHits).toEqual([]);
    expect(await tempEntries()).toEqual([]);
  });

  it('refuses a redirect to a host name that resolves to a forbidden address', async () => {
    // localhost resolves to 127.0.0.1 as well, so an address-keyed policy cannot tell the hops apart: this one
    // allows only its first consultation (the literal of the first hop) and refuses the connect-time look-up.
    let calls = 0;
    const firstOnly: AddressPolicy = {
      allows: (a) => {
        calls++;
        return calls === 1 && a === '127.0.0.1';
      },
    };
    await expectCode(downloadPublicUrl(mainUrl('/to-localhost'), opts({ policy: firstOnly })), 'public_url_private_address');
    expect(mainHits).toEqual(['/to-localhost']);
    expect(calls).toBe(2);
  });

  it('allows a name resolving to loopback when private networks are allowed', async () => {
    const result = await downloadPublicUrl(`http://localhost:${mainPort}/file`, opts({ policy: addressPolicy(true) }));
    expect(result.size).toBe(payload.length);
    expect(result.finalUrl.hostname).toBe('localhost');
    expect((await fs.promises.readFile(result.path)).equals(payload)).toBe(true);
  });

  it('follows exactly maxRedirects redirects', async () => {
    const result = await downloadPublicUrl(mainUrl('/chain/3'), opts({ maxRedirects: 3 }));
    expect(result.finalUrl.href).toBe(mainUrl('/file'));
    expect(result.size).toBe(payload.length);
  });

  it('refuses one redirect more than maxRedirects', async () => {
    await expectCode(downloadPublicUrl(mainUrl('/chain/4'), opts({ maxRedirects: 3 })), 'public_url_too_many_redirects');
    expect(mainHits).toEqual(['/chain/4', '/chain/3', '/chain/2', '/chain/1']);
  });

  it('gives up on an endless redirect loop with the default limit', async () => {
    await expectCode(downloadPublicUrl(mainUrl('/loop/0'), opts()), 'public_url_too_many_redirects');
    expect(mainHits).toEqual(['/loop/0', '/loop/1', '/loop/2', '/loop/3', '/loop/4', '/loop/5']);
    expect(await tempEntries()).toEqual([]);
  });

  it('reports an HTTP 404 as public_url_http_error', async () => {
    const error = await expectCode(downloadPublicUrl(mainUrl('/missing'), opts()), 'public_url_http_error');
    expect(error.message).toContain('404');
    expect(await tempEntries()).toEqual([]);
  });

  it('accepts a body exactly at the limit (declared length)', async () => {
    const result = await downloadPublicUrl(mainUrl('/exact-declared'), opts({ maxBytes: MAX_BYTES }));
    expect(result.size).toBe(MAX_BYTES);
  });

  it('refuses a Content-Length over the limit and leaves no temp file', async () => {
    await expectCode(downloadPublicUrl(mainUrl('/big-declared'), opts({ maxBytes: MAX_BYTES })), 'public_url_too_large');
    expect(await tempEntries()).toEqual([]);
  });

  it('accepts a chunked body exactly at the limit', async () => {
    const result = await downloadPublicUrl(mainUrl('/exact-chunked'), opts({ maxBytes: MAX_BYTES }));
    expect(result.size).toBe(MAX_BYTES);
    expect(await fs.promises.readFile(result.path, 'utf8')).toBe('a'.repeat(MAX_BYTES));
  });

  it('refuses a chunked body over the limit without Content-Length and leaves no temp file', async () => {
    await expectCode(downloadPublicUrl(mainUrl('/big-chunked'), opts({ maxBytes: MAX_BYTES })), 'public_url_too_large');
    expect(mainHits).toEqual(['/big-chunked']);
    expect(await tempEntries()).toEqual([]);
  });

  it('times out when the server never answers', async () => {
    await expectCode(downloadPublicUrl(mainUrl('/hang'), opts({ timeoutMs: 300 })), 'public_url_timeout');
    expect(mainHits).toEqual(['/hang']);
  });

  it('times out when the body stalls halfway and leaves no temp file', async () => {
    await expectCode(downloadPublicUrl(mainUrl('/stall'), opts({ timeoutMs: 300 })), 'public_url_timeout');
    expect(await tempEntries()).toEqual([]);
  });

  it('reports a closed port as public_url_unreachable', async () => {
    const probe = http.createServer();
    const port = await listen(probe, '127.0.0.1');
    await close(probe);
    await expectCode(downloadPublicUrl(`http://127.0.0.1:${port}/file`, opts()), 'public_url_unreachable');
  });

  it('refuses an invalid URL before doing anything', async () => {
    await expectCode(downloadPublicUrl('ftp://127.0.0.1/file', opts()), 'public_url_invalid');
  });
});
