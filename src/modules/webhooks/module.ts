import type { FastifyBaseLogger } from 'fastify';
import type { LensApp } from '../../app.js';
import type { Db } from '../../infra/db/database.js';
import type { Metrics } from '../../infra/metrics.js';
import type { AddressPolicy } from '../../infra/net/public-download.js';
import type { AccountsService } from '../accounts/service.js';
import { WebhookDispatcher, type DispatcherOptions } from './dispatcher.js';
import { WebhooksRepository } from './repository.js';
import { webhooksRoutes } from './routes.js';
import { WebhooksService } from './service.js';

export interface WebhooksDeps {
  db: Db;
  accounts: AccountsService;
  addressPolicy: AddressPolicy;
  timeoutMs: number;
  pollIntervalMs: number;
  publicUrl: string;
  /** A fresh link to a completed extraction's result, for the event's `download_url`. */
  downloadLink: (contentExtractionId: number) => Promise<string | null>;
  metrics: Pick<Metrics, 'webhookDeliveries'>;
  log: FastifyBaseLogger;
}

/** Webhooks: subscriptions, the outbox written with the events, and the dispatcher that sends it. */
export function webhooksModule(deps: WebhooksDeps) {
  const repository = new WebhooksRepository(deps.db);
  const service = new WebhooksService(repository, deps.accounts, deps.addressPolicy);
  return {
    service,
    repository,
    /** A dispatcher of the outbox (the worker runs one; tests may pass their own clock). */
    dispatcher(overrides: Pick<DispatcherOptions, 'clock' | 'random'> = {}): WebhookDispatcher {
      return new WebhookDispatcher(repository, {
        policy: deps.addressPolicy,
        timeoutMs: deps.timeoutMs,
        pollIntervalMs: deps.pollIntervalMs,
        log: deps.log,
        downloadUrl: deps.downloadLink,
        metrics: deps.metrics,
        ...overrides,
      });
    },
    routes: (app: LensApp) => webhooksRoutes(app, { webhooks: service, publicUrl: deps.publicUrl }),
  };
}

export type WebhooksModule = ReturnType<typeof webhooksModule>;
