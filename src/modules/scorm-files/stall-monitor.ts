import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../infra/db/database.js';
import type { Loop } from '../../worker/worker.js';
import type { ContentExtractionsRepository } from './extractions-repository.js';
import type { ScormFilesRepository } from './files-repository.js';
import { fileLifecycle } from './lifecycle.js';

/**
 * Runs in every API and worker process (the move is idempotent), so stalls are seen even when
 * every worker is gone. Flags files whose extraction has shown no sign of life (no status change,
 * no heartbeat) for the configured time as `extraction_stalled`. The flag clears itself when the
 * extraction moves again.
 */
export function stallMonitor(deps: {
  db: Db;
  files: ScormFilesRepository;
  extractions: ContentExtractionsRepository;
  stallTimeoutMs: number;
  log: FastifyBaseLogger;
}): Loop {
  const { files, extractions, stallTimeoutMs, log } = deps;
  const minutes = Math.round(stallTimeoutMs / 60_000);
  const check = async () => {
    for (const extraction of await extractions.findStalled(Date.now() - stallTimeoutMs)) {
      if (await files.move(deps.db, extraction.scorm_file_id, fileLifecycle.stalled(extraction.id, minutes))) {
        log.warn({ contentExtractionId: extraction.id }, 'content extraction stalled');
      }
    }
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    start() {
      timer = setInterval(
        () => void check().catch((error: unknown) => log.error({ err: error }, 'stall check failed')),
        Math.min(60_000, Math.max(250, stallTimeoutMs / 2)),
      );
    },
    async stop() {
      clearInterval(timer);
    },
  };
}
