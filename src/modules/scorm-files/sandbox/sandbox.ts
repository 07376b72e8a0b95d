import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { ExtractionError } from '../../../extraction/result/errors.js';
import type { ExtractionOutput, SandboxReply, SandboxRequest } from './protocol.js';
import { watchdogReason } from './watchdog.js';

export interface SandboxLimits {
  timeoutMs: number;
  /** Memory of the whole child process (resident set), heap and buffers alike. */
  memoryMb: number;
}

/** Our own code failed inside the child: the same package would fail the same way again. */
export class SandboxFault extends Error {}

/** The child ended without an answer for a reason that is not the package's (killed, stopped). */
export class SandboxCrash extends Error {}

// Built code runs the child's JavaScript directly; run from TypeScript (tests, development), the
// child loads it through the TypeScript loader.
const fromTypeScript = import.meta.url.endsWith('.ts');
const childScript = fileURLToPath(new URL(fromTypeScript ? './child.ts' : './child.js', import.meta.url));

/** V8 prints this on stderr when its heap limit is reached. */
const HEAP_EXHAUSTED = /heap out of memory|Reached heap limit/;
const STDERR_KEPT = 4096;
/** The child's own deadline backs up the parent's timer: it matters when the parent is gone. */
const CHILD_GRACE_MS = 5_000;

function setLowPriority(pid: number): void {
  try {
    os.setPriority(pid, os.constants.priority.PRIORITY_LOW);
  } catch {
    // Not permitted on this system: the child runs at normal priority.
  }
}

/**
 * Runs package work (the check after upload, the extraction) in a child process that is the only
 * place a package is ever parsed. The child's whole memory and its time are bounded, by a watchdog
 * thread inside it and by this parent; it ends itself when this process dies, and `stop` ends
 * every child still running.
 */
export class Sandbox {
  private readonly children = new Set<ChildProcess>();

  constructor(private readonly limits: SandboxLimits) {}

  /** Opens the package far enough to know it is one (a zip with a readable directory, or a bare descriptor). */
  async check(input: string, signal?: AbortSignal): Promise<{ entries: number }> {
    return this.run({ task: 'check', input, ...this.bounds() }, signal);
  }

  /** Extracts the package and writes its result files, its launch plan and its files unpacked. */
  async extract(input: string, output: ExtractionOutput, signal?: AbortSignal): Promise<void> {
    await this.run({ task: 'extract', input, output, ...this.bounds() }, signal);
  }

  /** How many children are running now. */
  get running(): number {
    return this.children.size;
  }

  /** Ends every child at once: for shutdown, after running jobs had their grace period. */
  stop(): void {
    for (const child of this.children) child.kill('SIGKILL');
  }

  private bounds() {
    return { deadline: Date.now() + this.limits.timeoutMs + CHILD_GRACE_MS, maxRssBytes: this.limits.memoryMb * 1024 * 1024 };
  }

  private run(request: SandboxRequest, signal?: AbortSignal): Promise<{ entries: number }> {
    const { timeoutMs, memoryMb } = this.limits;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new SandboxCrash('the work was stopped before it started'));
      const child = fork(childScript, [], {
        execArgv: [`--max-old-space-size=${memoryMb}`, ...(fromTypeScript ? ['--import', 'tsx'] : [])],
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      this.children.add(child);
      // Package work yields the CPU to the API: a busy child must not slow the answers.
      if (child.pid !== undefined) setLowPriority(child.pid);
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
      });
      let reply: SandboxReply | undefined;
      let stoppedBy: 'timer' | 'abort' | undefined;
      const timer = setTimeout(() => {
        stoppedBy = 'timer';
        child.kill('SIGKILL');
      }, timeoutMs);
      const onAbort = () => {
        stoppedBy ??= 'abort';
        child.kill('SIGKILL');
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      child.on('message', (message: SandboxReply) => {
        reply = message;
      });
      child.once('error', () => child.kill('SIGKILL'));
      // 'close' comes after the last message and the last of stderr.
      child.once('close', (code, exitSignal) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.children.delete(child);
        if (reply?.ok) return resolve({ entries: reply.entries });
        if (reply && reply.code !== null) return reject(new ExtractionError(reply.code, reply.message));
        if (reply) return reject(new SandboxFault(reply.message));
        const reason = watchdogReason(stderr);
        if (reason === 'memory' || HEAP_EXHAUSTED.test(stderr)) {
          return reject(new ExtractionError('extraction_out_of_memory', `The extraction needed more than ${memoryMb} MB of memory.`));
        }
        if (reason === 'deadline' || stoppedBy === 'timer') {
          return reject(new ExtractionError('extraction_timeout', `The extraction took longer than ${Math.round(timeoutMs / 1000)} seconds.`));
        }
        const last = stderr.trim().split('\n').pop() ?? '';
        reject(new SandboxCrash(`the sandbox process ended with ${exitSignal ?? `code ${code}`}${stoppedBy === 'abort' ? ' (stopped)' : ''}: ${last}`));
      });
      child.send(request);
    });
  }
}
