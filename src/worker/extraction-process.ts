// Runs one extraction in a child process, so that its time and memory can be bounded.
import { extractPackage } from '../extraction/extract-package.js';
import { ExtractionError } from '../extraction/result/errors.js';

const path = process.argv[2] as string;
let message: unknown;
try {
  message = { ok: true, result: await extractPackage(path) };
} catch (error) {
  message =
    error instanceof ExtractionError
      ? { ok: false, code: error.code, message: error.message }
      : { ok: false, code: null, message: (error as Error).message };
}
process.send?.(message, () => process.disconnect());
