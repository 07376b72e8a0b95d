const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * How long to wait after each failed attempt: eight attempts over about a day (27.6 hours before
 * jitter), then the delivery has failed and its endpoint is disabled.
 */
export const RETRY_DELAYS_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** Each delay is spread by up to a fifth either way, so a recovering receiver is not hit by every retry at once. */
const JITTER = 0.2;
/** The longest Retry-After honoured. */
const MAX_RETRY_AFTER_MS = 24 * HOUR;

/** Retry-After in milliseconds, from seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * SECOND : Date.parse(trimmed) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

/**
 * When to try again after the given number of failed attempts, or null when they are used up.
 * A receiver's Retry-After (on 429) is honoured: never sooner than it asks.
 */
export function nextAttemptAt(failedAttempts: number, now: number, random: () => number, retryAfterMs?: number): number | null {
  const base = RETRY_DELAYS_MS[failedAttempts - 1];
  if (base === undefined) return null;
  const delay = base * (1 - JITTER + 2 * JITTER * random());
  return now + Math.round(Math.max(delay, retryAfterMs ?? 0));
}
