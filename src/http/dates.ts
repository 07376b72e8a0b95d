/**
 * The service's one way of writing a time: ISO 8601 in UTC with milliseconds and `Z`, as the API
 * documents show (`2025-07-18T13:30:33.587Z`). Times are stored as UTC epoch milliseconds.
 */
export const iso = (ms: number): string => new Date(ms).toISOString();

export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** A day for people to read, in UTC so that every reader sees the same: "5 December 2026". */
export const dayText = (ms: number): string =>
  new Date(ms).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
