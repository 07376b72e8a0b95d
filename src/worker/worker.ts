import type { AppContext } from '../context.js';
import { PREPARE_SCORM_FILE, RUN_CONTENT_EXTRACTION } from './jobs.js';
import { prepareScormFile } from './prepare-scorm-file.js';
import { runContentExtraction } from './run-content-extraction.js';

export interface RunningWorker {
  /** Stops taking jobs and waits up to timeoutMs for running ones before handing them back. */
  stop(timeoutMs: number): Promise<void>;
}

export async function startWorker(context: AppContext): Promise<RunningWorker> {
  const concurrency = context.config.workerConcurrency;
  await context.queue.work(PREPARE_SCORM_FILE, prepareScormFile(context), { concurrency });
  await context.queue.work(RUN_CONTENT_EXTRACTION, runContentExtraction(context), { concurrency });
  context.log.info({ concurrency }, 'worker started');
  return {
    async stop(timeoutMs) {
      await context.queue.stop({ timeoutMs });
    },
  };
}
