import { Type } from 'typebox';
import type { LensApp } from '../../app.js';
import type { DatabaseHandle } from '../../infra/db/database.js';
import { API_VERSION, SERVICE_NAME } from '../../version.js';
import { iso } from '../../http/dates.js';

const HealthBody = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
  version: Type.String(),
  timestamp: Type.String({ format: 'date-time' }),
  service: Type.String(),
});

export async function healthRoutes(app: LensApp, deps: { database: Pick<DatabaseHandle, 'ping'> }): Promise<void> {
  app.get(
    '/health/',
    {
      schema: {
        tags: ['Utility'],
        security: [],
        operationId: 'healthCheck',
        summary: 'Health check',
        description: 'Healthy (200) when the API answers and its database is reachable; unhealthy (503) otherwise.',
        response: { 200: HealthBody, 503: HealthBody },
      },
    },
    async (_request, reply) => {
      const healthy = await deps.database.ping().then(
        () => true,
        () => false,
      );
      return reply.status(healthy ? 200 : 503).send({
        status: healthy ? 'healthy' : 'unhealthy',
        version: API_VERSION,
        timestamp: iso(Date.now()),
        service: SERVICE_NAME,
      });
    },
  );
}
