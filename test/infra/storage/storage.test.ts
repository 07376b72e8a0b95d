import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkSigner } from '../../../src/infra/storage/link-signer.js';
import { LocalStorage } from '../../../src/infra/storage/local-storage.js';
import { S3Storage } from '../../../src/infra/storage/s3-storage.js';
import { ObjectNotFoundError, type Storage } from '../../../src/infra/storage/storage.js';
import { TempFiles } from '../../../src/infra/storage/temp-files.js';
import { startLocalS3, type LocalS3 } from '../../support/s3.js';

let workDir: string;
let tempFiles: TempFiles;
let s3: LocalS3;
const signer = new LinkSigner('test-secret');

beforeAll(async () => {
  workDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lens-storage-'));
  tempFiles = new TempFiles(path.join(workDir, 'tmp'));
  await tempFiles.init();
  s3 = await startLocalS3();
});
afterAll(async () => {
  await s3.close();
  await fs.promises.rm(workDir, { recursive: true, force: true });
});

const implementations: [string, () => Storage][] = [
  ['local disk', () => new LocalStorage(path.join(workDir, 'objects'), signer, 'http://lens.test')],
  [
    'S3',
    () =>
      new S3Storage(
        { kind: 's3', bucket: s3.bucket, region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, prefix: 'p/' },
        tempFiles,
      ),
  ],
];

async function localFile(text: string): Promise<string> {
  const file = tempFiles.newPath();
  await fs.promises.writeFile(file, text);
  return file;
}

describe.each(implementations)('Storage on %s', (_name, make) => {
  it('takes over a local file and gives the same bytes back, by stream and by local path', async () => {
    const storage = make();
    const source = tempFiles.newPath();
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_v, i) => i % 251));
    await fs.promises.writeFile(source, bytes);
    await storage.putFile('acme/scorm-files/1/course.zip', source);
    expect(fs.existsSync(source)).toBe(false);
    expect((await buffer(await storage.read('acme/scorm-files/1/course.zip'))).equals(bytes)).toBe(true);
    const viaPath = await storage.withLocalFile('acme/scorm-files/1/course.zip', (local) => fs.promises.readFile(local));
    expect(viaPath.equals(bytes)).toBe(true);
  });

  it('replaces an object on a second write, reads a byte range of it, and deletes it', async () => {
    const storage = make();
    await storage.putFile('acme/result.json', await localFile('{"v":1}'), 'application/json');
    await storage.putFile('acme/result.json', await localFile('{"v":2,"w":[10,20,30]}'), 'application/json');
    expect((await buffer(await storage.read('acme/result.json'))).toString()).toBe('{"v":2,"w":[10,20,30]}');
    expect((await buffer(await storage.readRange('acme/result.json', 12, 20))).toString()).toBe('10,20,30');
    expect((await buffer(await storage.readRange('acme/result.json', 5, 5))).toString()).toBe('');
    await storage.delete('acme/result.json');
    await expect(storage.read('acme/result.json')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(storage.readRange('acme/result.json', 0, 4)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('reports a missing object as ObjectNotFoundError', async () => {
    const storage = make();
    await expect(storage.read('nobody/here.zip')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(storage.withLocalFile('nobody/here.zip', async () => 1)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });
});

describe('download links', () => {
  it('on S3 are presigned URLs that download the object', async () => {
    const [, make] = implementations[1]!;
    const storage = make();
    await storage.putFile('acme/scorm-files/2/content_extractions/3/c.zip.json', await localFile('{"ok":true}'), 'application/json');
    const url = await storage.downloadUrl('acme/scorm-files/2/content_extractions/3/c.zip.json', 60);
    expect(url).toContain('X-Amz-Signature=');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"ok":true}');
    expect(response.headers.get('content-disposition')).toContain('c.zip.json');
  });

  it('on local disk point at the service and carry a signature for exactly that key', async () => {
    const [, make] = implementations[0]!;
    const url = new URL(await make().downloadUrl('acme/scorm-files/2/a b.json', 60));
    expect(url.origin + url.pathname).toBe('http://lens.test/v1/downloads/acme/scorm-files/2/a%20b.json');
    const expires = Number(url.searchParams.get('expires'));
    const signature = url.searchParams.get('signature') ?? '';
    expect(signer.verify('acme/scorm-files/2/a b.json', expires, signature)).toBe('valid');
    expect(signer.verify('acme/scorm-files/2/other.json', expires, signature)).toBe('invalid');
    expect(signer.verify('acme/scorm-files/2/a b.json', expires + 1, signature)).toBe('invalid');
  });
});

describe('local keys', () => {
  it('never resolve outside the storage folder', async () => {
    const storage = implementations[0]![1]();
    for (const key of ['../escape.txt', 'a/../../escape.txt', '/etc/passwd', 'a//b', 'a\\..\\b']) {
      await expect(storage.read(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
    }
  });

});
