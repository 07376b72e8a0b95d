import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { RateLimitCount, RateLimits } from '../infra/db/rate-limits.js';

type Callback = (error: Error | null, result?: RateLimitCount) => void;

/** The rate-limit plugin's store, on the database's counters: every process counts the same hits. */
export function databaseRateLimitStore(rateLimits: RateLimits): FastifyRateLimitStoreCtor {
  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      rateLimits.hit(key, timeWindow).then((count) => callback(null, count), callback);
    }

    /** A look at the count without counting a hit (`{ increment: false }`). */
    read(key: string, callback: Callback): void {
      rateLimits.read(key).then((count) => callback(null, count), callback);
    }

    child(): FastifyRateLimitStore {
      return new DatabaseRateLimitStore();
    }
  };
}
