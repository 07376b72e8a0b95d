import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../infra/metrics.js';

/** The route label of requests that matched no route: one label, whatever their URLs. */
const UNMATCHED = 'unmatched';

/**
 * Counts every answered request by method, route pattern (Fastify's, as `/v1/scorm-files/:id/`)
 * and status code, and observes its latency. The series of each combination are looked up once:
 * progress writes take a few tens of microseconds, and resolving labels each time would show.
 */
export function recordRequests(app: FastifyInstance, metrics: Pick<Metrics, 'httpRequests' | 'httpDuration'>): void {
  const series = new Map<string, { count(): void; observe(seconds: number): void }>();
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? UNMATCHED;
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let entry = series.get(key);
    if (!entry) {
      const requests = metrics.httpRequests.labels({ method: request.method, route, status_code: reply.statusCode });
      const duration = metrics.httpDuration.labels({ method: request.method, route });
      entry = { count: () => requests.inc(), observe: (seconds) => duration.observe(seconds) };
      series.set(key, entry);
    }
    entry.count();
    entry.observe(reply.elapsedTime / 1000);
  });
}
