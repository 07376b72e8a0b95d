/** A defect the extraction worked around; kept in the result so a reviewer can see it. */
export interface Warning {
  code: string;
  message: string;
  path?: string;
}

/** A package that cannot be extracted; `code` is stable and shown to users in `remarks`. */
export class ExtractionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
