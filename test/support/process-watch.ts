import fs from 'node:fs';

/** What a watch saw of a service and its sandbox children. */
export interface WatchReport {
  /** High-water mark of the service process's resident set. */
  peakRssBytes: number;
  /** The largest high-water mark of any sandbox child seen. */
  peakChildRssBytes: number;
  /** Every sandbox child seen. */
  childPids: number[];
  healthChecks: number;
  /** The slowest answer of /health/ (a failed check counts as its time to fail). */
  slowestHealthMs: number;
  failedHealthChecks: number;
}

const kib = (status: string, field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;

function readProc(pid: number, file: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Whether a process still runs (a zombie waiting to be reaped has ended). */
export function isRunning(pid: number): boolean {
  const stat = readProc(pid, 'stat');
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** The sandbox children of `parent` now: processes it forked that run the sandbox's child script. */
export function sandboxChildren(parent: number): number[] {
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(Number(name), 'stat');
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== parent) continue;
    if (/sandbox\/child\.[jt]s/.test(readProc(Number(name), 'cmdline') ?? '')) pids.push(Number(name));
  }
  return pids;
}

/**
 * Watches a running service: every `intervalMs` it reads the memory of the process and of its
 * sandbox children from /proc, and asks /health/ in a loop of its own, timing each answer.
 */
export function watchService(pid: number, baseUrl: string, intervalMs = 100): { stop(): Promise<WatchReport> } {
  const report: WatchReport = { peakRssBytes: 0, peakChildRssBytes: 0, childPids: [], healthChecks: 0, slowestHealthMs: 0, failedHealthChecks: 0 };
  const children = new Set<number>();
  let stopped = false;
  const sample = () => {
    const status = readProc(pid, 'status');
    if (status) report.peakRssBytes = Math.max(report.peakRssBytes, kib(status, 'VmHWM'));
    for (const child of sandboxChildren(pid)) children.add(child);
    for (const child of children) {
      const childStatus = readProc(child, 'status');
      if (childStatus) report.peakChildRssBytes = Math.max(report.peakChildRssBytes, kib(childStatus, 'VmHWM'));
    }
  };
  const timer = setInterval(sample, intervalMs);
  const health = (async () => {
    while (!stopped) {
      const start = performance.now();
      const ok = await fetch(`${baseUrl}/health/`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.ok, () => false);
      report.healthChecks++;
      report.slowestHealthMs = Math.max(report.slowestHealthMs, performance.now() - start);
      if (!ok) report.failedHealthChecks++;
      await new Promise((resolve) => setTimeout(resolve, intervalMs / 2));
    }
  })();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      sample();
      await health;
      report.childPids = [...children];
      return report;
    },
  };
}
