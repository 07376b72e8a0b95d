import { hash, timingSafeEqual } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { registerErrorHandling } from '../../http/error-handler.js';
import { AuthenticationError } from '../../http/errors.js';
import type { Metrics } from '../../infra/metrics.js';

export interface MetricsRouteDeps {
  metrics: Pick<Metrics, 'render'>;
  /** The bearer token a scrape must carry; none: anyone who reaches the port may scrape. */
  token: string | undefined;
}

/** Whether `Authorization: Bearer <token>` names the token: digests compared in constant time, whatever the lengths. */
function bearerMatches(authorization: string, token: string): boolean {
  const given = /^bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] ?? '';
  return timingSafeEqual(hash('sha256', given, 'buffer'), hash('sha256', token, 'buffer'));
}

/** `/metrics` in Prometheus's text format, for operators: not part of the API document. */
export async function metricsRoutes(app: FastifyInstance, deps: MetricsRouteDeps): Promise<void> {
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (deps.token !== undefined) {
      const authorization = request.headers.authorization;
      void reply.header('www-authenticate', 'Bearer realm="metrics"');
      if (!authorization) throw new AuthenticationError('authentication_required', 'Send the metrics token in an Authorization: Bearer header.');
      if (!bearerMatches(authorization, deps.token)) throw new AuthenticationError('invalid_metrics_token', 'The metrics token is wrong.');
      reply.removeHeader('www-authenticate');
    }
    const { contentType, text } = await deps.metrics.render();
    return reply.type(contentType).send(text);
  });
}

/**
 * `/metrics` on LENS_METRICS_PORT, apart from the API: the way to scrape a `worker` process, and
 * to keep the metrics off the public port of `serve`. The result closes it.
 */
export async function serveMetrics(
  config: Pick<Config, 'host' | 'metricsPort' | 'metricsToken'>,
  metrics: Pick<Metrics, 'render'>,
  log: FastifyBaseLogger,
): Promise<() => Promise<void>> {
  // A scrape every few seconds is not worth two log lines each.
  const app = Fastify({ loggerInstance: log, logController: new LogController({ disableRequestLogging: true }) });
  registerErrorHandling(app);
  await metricsRoutes(app, { metrics, token: config.metricsToken });
  await app.listen({ port: config.metricsPort, host: config.host });
  return () => app.close();
}
