import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import autocannon from 'autocannon';

/** The API key every benchmark's service is bootstrapped with (`LENS_BOOTSTRAP_API_KEY`). */
export const BENCH_KEY = 'sl_benchmark-key-000000000000000000';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Wall time of a command in seconds. */
export function timeCommand(command: string, args: string[], options: { quiet?: boolean } = {}): number {
  const start = process.hrtime.bigint();
  execFileSync(command, args, { stdio: ['ignore', 'ignore', options.quiet ? 'ignore' : 'inherit'] });
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Peak resident set size of a live process, from the kernel's high-water mark. */
export function peakRssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** An autocannon run, as a promise. */
export function loadTest(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;


/**
 * Starts a built script (the service by default) as its own process and waits until /health/
 * answers. Its standard output is dropped unless `stdout` is 'pipe'.
 */
export async function startService(
  env: Record<string, string>,
  port: number,
  args: string[] = ['build/src/main.js', 'serve'],
  stdout: 'ignore' | 'pipe' = 'ignore',
): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', stdout, 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/health/`).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('the service did not start');
}

export async function stopService(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
