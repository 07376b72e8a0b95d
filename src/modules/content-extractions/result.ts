import { text } from 'node:stream/consumers';
import type { ExtractionResult } from '../../extraction/result/extraction-result.js';
import type { ContentExtraction } from '../../infra/db/schema.js';
import type { Storage } from '../../infra/storage/storage.js';
import { ConflictError } from '../../http/errors.js';
import { markdownPath } from '../../worker/run-content-extraction.js';

/** Where a completed extraction keeps its result as JSON or Markdown; 409 while it has none. */
export function resultPath(extraction: ContentExtraction, format: 'json' | 'markdown'): string {
  if (extraction.status !== 'completed' || !extraction.final_output_path) {
    throw new ConflictError('extraction_not_completed', `Content extraction ${extraction.id} has no result yet (${extraction.status}).`);
  }
  return format === 'json' ? extraction.final_output_path : markdownPath(extraction.final_output_path);
}

/** The stored result of a completed extraction, parsed. */
export async function readResult(storage: Storage, extraction: ContentExtraction): Promise<ExtractionResult> {
  return JSON.parse(await text(await storage.read(resultPath(extraction, 'json')))) as ExtractionResult;
}
