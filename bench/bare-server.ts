// Baselines: the floor for any upload endpoint (a bare Fastify route with @fastify/multipart that
// streams the file part to disk, with no authentication, database, fsync or storage layout) and
// for any JSON endpoint (a bare route answering {}).
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import Fastify from 'fastify';

const [port, dir] = process.argv.slice(2);
const app = Fastify();
await app.register(multipart, { limits: { fileSize: 4 * 1024 ** 3 } });
let uploads = 0;
app.post('/upload', async (request) => {
  for await (const part of request.parts()) {
    if (part.type === 'file') await pipeline(part.file, fs.createWriteStream(path.join(dir ?? '.', `upload-${++uploads}`)));
  }
  return {};
});
app.post('/json', async () => ({}));
app.get('/health/', async () => ({}));
await app.listen({ port: Number(port), host: '127.0.0.1' });
