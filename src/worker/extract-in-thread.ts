import { Worker } from 'node:worker_threads';
import { ExtractionError } from '../extraction/result/errors.js';
import type { ExtractionResult } from '../extraction/result/extraction-result.js';

type ThreadMessage = { ok: true; result: ExtractionResult } | { ok: false; code: string | null; message: string };

// Built code runs the thread's JavaScript directly. Run from TypeScript (tests, development), the
// thread first registers the TypeScript loader, which threads do not inherit.
const fromTypeScript = import.meta.url.endsWith('.ts');
const threadScript = new URL(fromTypeScript ? './extraction-thread.ts' : './extraction-thread.js', import.meta.url);
const TYPESCRIPT_BOOTSTRAP = `
  const { workerData } = require('node:worker_threads');
  import('tsx/esm/api').then(({ register }) => { register(); return import(workerData.script); });
`;

/**
 * Extracts a package in a worker thread with a heap limit and a time limit, so a hostile package
 * (a PDF that never ends, a data file built to exhaust memory) fails alone instead of taking the
 * worker process down. Package faults come back as their ExtractionError.
 */
export function extractInThread(path: string, limits: { timeoutMs: number; maxMemoryMb: number }): Promise<ExtractionResult> {
  return new Promise((resolve, reject) => {
    const options = { workerData: { path, script: threadScript.href }, resourceLimits: { maxOldGenerationSizeMb: limits.maxMemoryMb } };
    const worker = fromTypeScript ? new Worker(TYPESCRIPT_BOOTSTRAP, { ...options, eval: true }) : new Worker(threadScript, options);
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      action();
      void worker.terminate();
    };
    const timer = setTimeout(
      () => settle(() => reject(new ExtractionError('extraction_timeout', `The extraction took longer than ${Math.round(limits.timeoutMs / 1000)} seconds.`))),
      limits.timeoutMs,
    );
    worker.once('message', (message: ThreadMessage) =>
      settle(() => {
        if (message.ok) resolve(message.result);
        else if (message.code) reject(new ExtractionError(message.code, message.message));
        else reject(new Error(message.message));
      }),
    );
    worker.once('error', (error: Error & { code?: string }) =>
      settle(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ExtractionError('extraction_out_of_memory', `The extraction needed more than ${limits.maxMemoryMb} MB of memory.`)
            : error,
        ),
      ),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`the extraction thread exited with code ${code}`))));
  });
}
