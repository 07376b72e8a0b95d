import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { requestLogger } from '../../src/http/request-logger.js';

/** A Fastify server logging JSON lines at `level` through request loggers, with what it printed. */
async function server(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>));
      done();
    },
  });
  const app = Fastify({ loggerInstance: pino({ level }, sink), childLoggerFactory: requestLogger, disableRequestLogging: true });
  app.get('/talk', async (request) => {
    request.log.debug('too detailed');
    request.log.info({ step: 1 }, 'working');
    request.log.child({ part: 'inner' }).warn('careful');
    request.log.error(new Error('broken'), 'failed');
    return { level: request.log.level, id: request.id };
  });
  app.get('/verbose', { logLevel: 'debug' }, async (request) => {
    request.log.debug('detail of a verbose route');
    return { id: request.id };
  });
  await app.ready();
  return { app, lines };
}

describe('request loggers', () => {
  it('write the lines the level lets through, each with its request id', async () => {
    const { app, lines } = await server('info');
    const response = await app.inject({ url: '/talk' });
    const { level, id: reqId } = response.json<{ level: string; id: string }>();
    expect(level).toBe('info');
    expect(lines.map(({ msg, reqId, step, part }) => ({ msg, reqId, step, part }))).toEqual([
      { msg: 'working', reqId, step: 1, part: undefined },
      { msg: 'careful', reqId, step: undefined, part: 'inner' },
      { msg: 'failed', reqId, step: undefined, part: undefined },
    ]);
    expect(lines[2]).toMatchObject({ err: { message: 'broken' } });
  });

  it('write nothing below the level, and follow a route of its own', async () => {
    const { app, lines } = await server('error');
    await app.inject({ url: '/talk' });
    expect(lines.map((line) => line.msg)).toEqual(['failed']);
    const verbose = await app.inject({ url: '/verbose' });
    expect(lines.slice(1)).toMatchObject([{ msg: 'detail of a verbose route', reqId: verbose.json<{ id: string }>().id, level: 20 }]);
  });
});
