import type { AppContext } from '../context.js';
import { PREPARE_SCORM_FILE, RUN_CONTENT_EXTRACTION } from './jobs.js';
import { prepareScormFile } from './prepare-scorm-file.js';
import { runContentExtraction } from './run-content-extraction.js';
import { WebhookDispatcher } from '../modules/webhooks/dispatcher.js';

export interface RunningWorker {
  /** Stops taking jobs and waits up to timeoutMs for running ones before handing them back. */
  stop(timeoutMs: number): Promise<void>;
}

export async function startWorker(context: AppContext): Promise<RunningWorker> {
  const concurrency = context.config.workerConcurrency;
  await context.queue.work(PREPARE_SCORM_FILE, prepareScormFile(context), { concurrency });
  await context.queue.work(RUN_CONTENT_EXTRACTION, runContentExtraction(context), { concurrency });
  const dispatcher = webhookDispatcher(context);
  dispatcher.start();
  context.log.info({ concurrency }, 'worker started');
  return {
    async stop(timeoutMs) {
      await dispatcher.stop();
      await context.queue.stop({ timeoutMs });
    },
  };
}

export function webhookDispatcher(context: AppContext, overrides: { clock?: { now(): number }; random?: () => number } = {}): WebhookDispatcher {
  const { config, contentExtractionsRepository: extractions, storage } = context;
  return new WebhookDispatcher(context.webhooksRepository, {
    policy: context.addressPolicy,
    timeoutMs: config.webhookTimeoutMs,
    pollIntervalMs: config.webhookPollIntervalMs,
    log: context.log,
    async downloadUrl(contentExtractionId) {
      const extraction = await extractions.findById(contentExtractionId);
      if (!extraction || extraction.deleted_at !== null || extraction.status !== 'completed' || !extraction.final_output_path) return null;
      return storage.downloadUrl(extraction.final_output_path, config.downloadLinkTtlSeconds);
    },
    ...overrides,
  });
}
