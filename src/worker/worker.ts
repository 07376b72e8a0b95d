import type { FastifyBaseLogger } from 'fastify';
import type { Metrics } from '../infra/metrics.js';
import type { JobDefinition, JobHandler, JobQueue } from '../infra/queue/job-queue.js';

/** Background work a module runs beside its jobs (a dispatcher, a monitor). */
export interface Loop {
  start(): void;
  /** Stops taking work and waits for the round in flight. */
  stop(): Promise<void>;
}

export interface RunningWorker {
  /** Stops the loops, stops taking jobs and waits up to timeoutMs for running ones before handing them back. */
  stop(timeoutMs: number): Promise<void>;
}

/** A job's handler that counts each run by its outcome. */
function counted(job: JobDefinition, metrics: Pick<Metrics, 'jobRuns'>): JobHandler<never> {
  return async (queued) => {
    try {
      await job.handler(queued);
      metrics.jobRuns.inc({ kind: job.name, outcome: 'completed' });
    } catch (error) {
      const again = queued.signal.aborted || queued.attempt < queued.maxAttempts;
      metrics.jobRuns.inc({ kind: job.name, outcome: again ? 'retried' : 'failed' });
      throw error;
    }
  };
}

/** Runs the jobs and loops that modules hand it; it knows nothing of what they do. */
export async function startWorker(options: {
  queue: JobQueue;
  jobs: JobDefinition[];
  loops: Loop[];
  concurrency: number;
  metrics: Pick<Metrics, 'jobRuns'>;
  log: FastifyBaseLogger;
}): Promise<RunningWorker> {
  const { queue, concurrency, loops } = options;
  for (const job of options.jobs) await queue.work(job.name, counted(job, options.metrics), { concurrency });
  for (const loop of loops) loop.start();
  options.log.info({ concurrency, jobs: options.jobs.map((j) => j.name) }, 'worker started');
  return {
    async stop(timeoutMs) {
      await Promise.all(loops.map((loop) => loop.stop()));
      // Handlers still running when the time is up are aborted: their sandboxes end with them.
      await queue.stop({ timeoutMs });
    },
  };
}
