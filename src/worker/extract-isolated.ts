import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ExtractionError } from '../extraction/result/errors.js';
import type { ExtractionResult } from '../extraction/result/extraction-result.js';

type ChildMessage = { ok: true; result: ExtractionResult } | { ok: false; code: string | null; message: string };

// Built code runs the child's JavaScript directly; run from TypeScript (tests, development), the
// child loads it through the TypeScript loader.
const fromTypeScript = import.meta.url.endsWith('.ts');
const childScript = fileURLToPath(new URL(fromTypeScript ? './extraction-process.ts' : './extraction-process.js', import.meta.url));

/** V8 prints this on stderr when a heap limit is reached. */
const OUT_OF_MEMORY = /heap out of memory|Reached heap limit/;
const STDERR_KEPT = 4096;

/**
 * Extracts a package in a child process with a heap limit and a time limit, so a hostile package
 * (a PDF that never ends, a data file built to exhaust memory) fails alone instead of taking the
 * service down. A process, not a thread: V8 can abort the whole process when a thread reaches its
 * heap limit. Package faults come back as their ExtractionError.
 */
export function extractIsolated(path: string, limits: { timeoutMs: number; maxMemoryMb: number }): Promise<ExtractionResult> {
  return new Promise((resolve, reject) => {
    const child = fork(childScript, [path], {
      execArgv: [`--max-old-space-size=${limits.maxMemoryMb}`, ...(fromTypeScript ? ['--import', 'tsx'] : [])],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      action();
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => settle(() => reject(new ExtractionError('extraction_timeout', `The extraction took longer than ${Math.round(limits.timeoutMs / 1000)} seconds.`))),
      limits.timeoutMs,
    );
    child.once('message', (message: ChildMessage) =>
      settle(() => {
        if (message.ok) resolve(message.result);
        else if (message.code) reject(new ExtractionError(message.code, message.message));
        else reject(new Error(message.message));
      }),
    );
    child.once('error', (error) => settle(() => reject(error)));
    // 'close' comes after the last message and the last of stderr.
    child.once('close', (code, signal) =>
      settle(() =>
        reject(
          OUT_OF_MEMORY.test(stderr)
            ? new ExtractionError('extraction_out_of_memory', `The extraction needed more than ${limits.maxMemoryMb} MB of memory.`)
            : new Error(`the extraction process exited with ${signal ?? `code ${code}`}: ${stderr.trim().split('\n').pop() ?? ''}`),
        ),
      ),
    );
  });
}
