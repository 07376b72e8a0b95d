import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ConnectionCounts } from './db/database.js';
import type { JobCounts } from './queue/job-queue.js';

const PREFIX = 'scorm_lens_';

/** Where the gauges read at scrape time come from. */
export interface MetricSources {
  connections(): ConnectionCounts;
  jobs(): Promise<JobCounts[]>;
}

/**
 * The process's own facts (CPU, memory, garbage collection, event-loop lag): registered once per
 * process, whatever the number of services it builds (tests build several).
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: PREFIX });
  }
  return processRegistry;
}

/**
 * Every series the service exports, in Prometheus's text format, and the one place they are
 * defined. Labels hold only bounded values: route patterns, kinds, outcomes, never ids or URLs.
 *
 * Where each series is counted: a counter or histogram moves in the process that did the work (HTTP
 * requests and progress writes in API processes; job runs, extractions and webhook deliveries in
 * the process that runs the worker, `serve` with its embedded worker or `worker`), so summing a
 * series over every process gives the service's total. Each process is scraped on its own
 * (LENS_METRICS_PORT serves `worker` processes, which have no API port). The database connections
 * are the scraped process's own pool. The job gauges are the queue's state, read from the database
 * at scrape time: the `jobs` table on SQLite, pg-boss's `job` table on PostgreSQL. Any process
 * answers them for the whole service, and they stay true whichever process enqueued or runs a job,
 * so aggregate them with `max`, not `sum`. Job runs that finished are counted instead: the SQLite
 * queue deletes completed jobs and pg-boss archives finished ones after a while, so a count read
 * from either table would not be a counter.
 */
export class Metrics {
  private readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: `${PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'Time from receiving an HTTP request to answering it, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  /** completed; retried (the handler threw and the job runs again, or a shutdown handed it back); failed (no attempt left). */
  readonly jobRuns = new Counter({
    name: `${PREFIX}job_runs_total`,
    help: 'Runs of jobs by this process, by kind and outcome: completed, retried or failed (no attempt left).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly extractions = new Counter({
    name: `${PREFIX}extractions_total`,
    help: 'Content extractions finished by this process, by outcome (completed or failed).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly extractionDuration = new Histogram({
    name: `${PREFIX}extraction_duration_seconds`,
    help: 'Time a content extraction ran (sandbox and storage) until it finished, by outcome.',
    labelNames: ['outcome'] as const,
    buckets: [0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: `${PREFIX}webhook_deliveries_total`,
    help: 'Webhook delivery attempts by outcome: succeeded (2xx), retrying (failed, tried again later) or failed (no attempt left).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly progressWrites = new Counter({
    name: `${PREFIX}progress_writes_total`,
    help: "Progress writes (the progress API's views and assessments, and the player's, cmi5 and Tin Can statements among them) by outcome: applied (a repeated msgid too) or refused in the transaction.",
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly groupCommitBatches = new Histogram({
    name: `${PREFIX}group_commit_batch_size`,
    help: 'Writes committed together in one transaction by the group commit, by what they write (progress or statements).',
    labelNames: ['writes'] as const,
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });

  constructor(sources: MetricSources) {
    new Gauge({
      name: `${PREFIX}database_connections`,
      help: "Connections of this process's database pool by state (in_use, idle) and queries waiting for one (waiting).",
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const counts = sources.connections();
        this.set({ state: 'in_use' }, counts.inUse);
        this.set({ state: 'idle' }, counts.idle);
        this.set({ state: 'waiting' }, counts.waiting);
      },
    });
    new Gauge({
      name: `${PREFIX}jobs`,
      help: "Jobs in the queue by kind and state (queued, running), for the whole service: every process reads the queue's state.",
      labelNames: ['kind', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        // A database that cannot answer leaves the series out rather than failing the scrape.
        for (const jobs of await sources.jobs().catch(() => [])) {
          this.set({ kind: jobs.kind, state: 'queued' }, jobs.queued);
          this.set({ kind: jobs.kind, state: 'running' }, jobs.running);
        }
      },
    });
  }

  /** The exposition: this service's series and the process's. */
  async render(): Promise<{ contentType: string; text: string }> {
    const [own, process] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return { contentType: this.registry.contentType, text: `${own}\n${process}` };
  }
}
