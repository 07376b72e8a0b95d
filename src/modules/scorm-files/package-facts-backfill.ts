import type { FastifyBaseLogger } from 'fastify';
import { ConflictError } from '../../http/errors.js';
import type { Loop } from '../../worker/worker.js';
import type { ContentExtractionsRepository } from './extractions-repository.js';
import { packageColumns } from './package-labels.js';
import type { ExtractionResults } from './results.js';

const BATCH = 100;

/**
 * Once, when a worker starts: extractions completed before their rows kept the package's facts
 * (title, standard, tool) get them from their stored result's index, so lists show and sort those
 * files too. Results stored before they were indexed have no index and stay without (restarting
 * the extraction fills them in). Idempotent: several workers may run it at once.
 */
export function packageFactsBackfill(deps: { extractions: ContentExtractionsRepository; results: ExtractionResults; log: FastifyBaseLogger }): Loop {
  const { extractions, results, log } = deps;
  let stopped = false;
  let running: Promise<void> | undefined;

  async function run(): Promise<void> {
    let filled = 0;
    for (let afterId = 0; !stopped; ) {
      const batch = await extractions.withoutPackageFacts(afterId, BATCH);
      for (const extraction of batch) {
        if (stopped) break;
        afterId = extraction.id;
        try {
          await extractions.keepPackageFacts(extraction.id, packageColumns((await results.index(extraction)).package));
          filled++;
        } catch (error) {
          if (!(error instanceof ConflictError)) throw error;
        }
      }
      if (batch.length < BATCH) break;
    }
    if (filled > 0) log.info({ filled }, 'package facts kept for earlier extractions');
  }

  return {
    start() {
      running = run().catch((error: unknown) => log.error({ err: error }, 'package facts backfill failed'));
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}
