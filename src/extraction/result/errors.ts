export type { Warning } from './extraction-result.js';

/** A package that cannot be extracted; `code` is stable and shown to users in `remarks`. */
export class ExtractionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
