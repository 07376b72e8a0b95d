import type { AppContext } from '../context.js';

/**
 * Runs in every API and worker process (the update is idempotent), so stalls are seen even when
 * every worker is gone. Flags files whose extraction has shown no sign of life (no status change, no heartbeat) for the
 * configured time as `extraction_stalled`. The flag clears itself when the extraction moves again.
 */
export function startStallMonitor(context: AppContext): () => void {
  const { config, contentExtractionsRepository: extractions, scormFilesRepository: files } = context;
  const minutes = Math.round(config.stallTimeoutMs / 60_000);
  const check = async () => {
    for (const extraction of await extractions.findStalled(Date.now() - config.stallTimeoutMs)) {
      const remark = `Extraction ${extraction.id} has made no progress for ${minutes > 0 ? `${minutes} minutes` : 'a while'}.`;
      if (await files.markStalled(extraction.scorm_file_id, remark)) {
        context.log.warn({ contentExtractionId: extraction.id }, 'content extraction stalled');
      }
    }
  };
  const timer = setInterval(
    () => void check().catch((error: unknown) => context.log.error({ err: error }, 'stall check failed')),
    Math.min(60_000, Math.max(250, config.stallTimeoutMs / 2)),
  );
  return () => clearInterval(timer);
}
