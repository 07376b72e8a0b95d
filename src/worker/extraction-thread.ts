// Runs one extraction in a worker thread, so that its time and memory can be bounded.
import { parentPort, workerData } from 'node:worker_threads';
import { extractPackage } from '../extraction/extract-package.js';
import { ExtractionError } from '../extraction/result/errors.js';

const { path } = workerData as { path: string };
try {
  parentPort?.postMessage({ ok: true, result: await extractPackage(path) });
} catch (error) {
  parentPort?.postMessage(
    error instanceof ExtractionError
      ? { ok: false, code: error.code, message: error.message }
      : { ok: false, code: null, message: (error as Error).message },
  );
}
