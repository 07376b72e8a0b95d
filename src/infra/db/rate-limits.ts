import { sql } from 'kysely';
import type { Db } from './database.js';

/** A key's count in its current window: hits so far, and milliseconds until the window ends. */
export interface RateLimitCount {
  current: number;
  ttl: number;
}

/** Expired windows are deleted at most this often per process. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Fixed-window counters kept in the database, so that every process of the service counts the same
 * hits (a limit kept in each process's memory multiplies by the number of processes). One
 * statement counts a hit: it starts a new window when the last one ended.
 */
export class RateLimits {
  private lastSweep = 0;

  constructor(private readonly db: Db) {}

  async hit(key: string, windowMs: number, now = Date.now()): Promise<RateLimitCount> {
    await this.sweep(now);
    const ended = sql<boolean>`rate_limits.window_ends_at <= ${now}`;
    const row = await this.db
      .insertInto('rate_limits')
      .values({ key, hits: 1, window_ends_at: now + windowMs })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          hits: sql<number>`case when ${ended} then 1 else rate_limits.hits + 1 end`,
          window_ends_at: sql<number>`case when ${ended} then ${now + windowMs} else rate_limits.window_ends_at end`,
        }),
      )
      .returning(['hits', 'window_ends_at'])
      .executeTakeFirstOrThrow();
    return { current: Number(row.hits), ttl: Number(row.window_ends_at) - now };
  }

  /** The count without counting a hit. */
  async read(key: string, now = Date.now()): Promise<RateLimitCount> {
    const row = await this.db.selectFrom('rate_limits').select(['hits', 'window_ends_at']).where('key', '=', key).executeTakeFirst();
    const endsAt = Number(row?.window_ends_at ?? 0);
    return endsAt > now ? { current: Number(row!.hits), ttl: endsAt - now } : { current: 0, ttl: 0 };
  }

  async reset(key: string): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('key', '=', key).execute();
  }

  private async sweep(now: number): Promise<void> {
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    await this.db.deleteFrom('rate_limits').where('window_ends_at', '<=', now).execute();
  }
}
