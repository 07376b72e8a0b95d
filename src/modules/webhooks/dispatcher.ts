import type { FastifyBaseLogger } from 'fastify';
import { request, type Agent } from 'undici';
import type { Metrics } from '../../infra/metrics.js';
import { isPrivateAddressRefusal, publicOnlyAgent, type AddressPolicy } from '../../infra/net/public-download.js';
import type { DueDelivery, WebhooksRepository } from './repository.js';
import { MAX_ATTEMPTS, nextAttemptAt, parseRetryAfter } from './schedule.js';
import type { ExtractionCompletedPayload } from './service.js';
import { signedHeaders } from './signing.js';
import { iso } from '../../http/dates.js';

/** Deliveries taken per round; a full round starts the next one at once. */
const BATCH = 20;
const EXCERPT_BYTES = 1024;

export interface DispatcherOptions {
  policy: AddressPolicy;
  timeoutMs: number;
  pollIntervalMs: number;
  /** The download link of a completed extraction, signed for this attempt; null once it is gone. */
  downloadUrl: (contentExtractionId: number) => Promise<string | null>;
  metrics: Pick<Metrics, 'webhookDeliveries'>;
  log: FastifyBaseLogger;
  clock?: { now(): number };
  random?: () => number;
}

/** The first bytes of a response body, as text; the rest is dropped. */
async function excerptOf(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= EXCERPT_BYTES) break;
  }
  return Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `No answer within ${timeoutMs / 1000} s`;
  }
  if (isPrivateAddressRefusal(error)) return 'The endpoint resolves to an address that is not public';
  const code = (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
  if (code === 'ECONNREFUSED') return 'Connection refused';
  if (code === 'ENOTFOUND') return 'The endpoint host name does not resolve';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'The connection was closed before an answer';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sends the outbox: takes due deliveries, signs and posts each, logs the attempt, and schedules
 * the next one on failure. Only a 2xx answer counts as delivered. Deliveries are held by a lease,
 * so several workers can run dispatchers, and one that dies leaves its deliveries to the others.
 */
export class WebhookDispatcher {
  private readonly agent: Agent;
  private readonly clock: { now(): number };
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly options: DispatcherOptions,
  ) {
    this.agent = publicOnlyAgent(options.policy);
    this.clock = options.clock ?? Date;
    this.random = options.random ?? Math.random;
  }

  start(): void {
    const tick = async () => {
      let sent = 0;
      try {
        this.round = this.deliverDue();
        sent = (await this.round) as number;
      } catch (error) {
        this.options.log.error({ err: error }, 'webhook delivery round failed');
      }
      if (!this.stopped) this.timer = setTimeout(() => void tick(), sent === BATCH ? 0 : this.options.pollIntervalMs);
    };
    this.timer = setTimeout(() => void tick(), 0);
  }

  /** Stops taking deliveries and waits for the round in flight. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round.catch(() => undefined);
    await this.agent.close();
  }

  /** One round: sends every due delivery it can take (up to a batch); answers how many it took. */
  async deliverDue(): Promise<number> {
    const now = this.clock.now();
    const due = await this.repository.claimDue(now, BATCH, now + 2 * this.options.timeoutMs + 30_000);
    await Promise.all(due.map((delivery) => this.attempt(delivery)));
    return due.length;
  }

  private async attempt(delivery: DueDelivery): Promise<void> {
    const now = this.clock.now();
    const payload = JSON.parse(delivery.payload) as ExtractionCompletedPayload;
    if (payload.content_extraction_id !== null && payload.status === 'completed') {
      payload.download_url = await this.options.downloadUrl(payload.content_extraction_id);
    }
    const body = JSON.stringify(payload);
    const previousValid = delivery.previous_secret && (delivery.previous_secret_expires_at ?? 0) > now;
    const secrets = previousValid ? [delivery.secret, delivery.previous_secret as string] : [delivery.secret];
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'SCORM-Lens-Webhooks/1',
      ...signedHeaders(secrets, delivery.event_id, Math.floor(now / 1000), body),
    };
    const started = performance.now();
    let statusCode: number | null = null;
    let excerpt: string | null = null;
    let error: string | null = null;
    let retryAfterMs: number | undefined;
    try {
      const response = await request(delivery.url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      statusCode = response.statusCode;
      const retryAfter = response.headers['retry-after'];
      if (statusCode === 429) retryAfterMs = parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, now);
      excerpt = await excerptOf(response.body);
    } catch (failure) {
      error = describe(failure, this.options.timeoutMs);
    }
    const attempt = delivery.attempts + 1;
    const delivered = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const retryAt = delivered ? null : nextAttemptAt(attempt, this.clock.now(), this.random, retryAfterMs);
    const status = delivered ? 'succeeded' : retryAt === null ? 'failed' : 'pending';
    const recorded = await this.repository.recordAttempt(
      delivery,
      {
        attempt,
        attempted_at: now,
        duration_ms: Math.round(performance.now() - started),
        status_code: statusCode,
        error,
        response_excerpt: excerpt,
      },
      { status, nextAttemptAt: retryAt },
      this.clock.now(),
    );
    if (recorded) this.options.metrics.webhookDeliveries.inc({ outcome: status === 'pending' ? 'retrying' : status });
    // The schedule ran out (a manual resend after that does not count): the endpoint keeps failing.
    if (recorded && !delivered && attempt === MAX_ATTEMPTS) {
      const reason = `Disabled on ${iso(this.clock.now())} after ${MAX_ATTEMPTS} failed attempts to deliver ${delivery.event_id} (last: ${error ?? `HTTP ${statusCode}`}).`;
      await this.repository.update(delivery.webhook_id, { enabled: 0, disabled_reason: reason }, this.clock.now());
      this.options.log.warn({ webhookId: delivery.webhook_id }, 'webhook disabled after repeated failures');
    }
  }
}
