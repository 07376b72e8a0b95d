import { Worker } from 'node:worker_threads';

/** What the watchdog writes on stderr before it ends the process, for the parent to read. */
export const WATCHDOG_MARK = 'lens-sandbox-watchdog:';
export type WatchdogReason = 'memory' | 'deadline' | 'orphaned';

export interface WatchdogLimits {
  /** Epoch ms after which the process ends itself. */
  deadline: number;
  /** Resident memory of the whole process (heap, buffers, native allocations) it may not pass. */
  maxRssBytes: number;
  /** The parent this process serves; when it is gone, so is the reason to go on. */
  parentPid: number;
}

const CHECK_INTERVAL_MS = 50;

/*
 * A thread of its own, so that it keeps checking while the main thread is stuck in synchronous
 * work (inflating a stream, parsing a huge document) or in a garbage collection. It ends the whole
 * process with SIGKILL: nothing the package does can outlive its parent, its deadline or its memory.
 * Plain JavaScript evaluated in the thread: it needs nothing of the project's code.
 */
const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { deadline, maxRssBytes, parentPid, mark, interval } = workerData;
const end = (reason) => {
  try { fs.writeSync(2, '\\n' + mark + reason + '\\n'); } catch {}
  process.kill(process.pid, 'SIGKILL');
};
setInterval(() => {
  if (process.ppid !== parentPid) return end('orphaned');
  if (Date.now() > deadline) return end('deadline');
  if (process.memoryUsage.rss() > maxRssBytes) return end('memory');
}, interval);
`;

/** Starts the watchdog thread of this process; it never keeps the process alive by itself. */
export function startWatchdog(limits: WatchdogLimits): void {
  const worker = new Worker(WATCHDOG_SOURCE, {
    eval: true,
    workerData: { ...limits, mark: WATCHDOG_MARK, interval: CHECK_INTERVAL_MS },
    // The thread's own heap stays small; it must not be what runs out of memory.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
  });
  worker.unref();
}

/** The reason the watchdog gave in the stderr of a process it ended, if it ended it. */
export function watchdogReason(stderr: string): WatchdogReason | undefined {
  const match = new RegExp(`${WATCHDOG_MARK}(memory|deadline|orphaned)`).exec(stderr);
  return match?.[1] as WatchdogReason | undefined;
}
