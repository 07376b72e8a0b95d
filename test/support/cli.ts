import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

// The command line as an operator runs it: a real process, real signals.

const MAIN = path.resolve(import.meta.dirname, '../../src/main.ts');

export interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/**
 * Runs `scorm-lens <args>` with only the given environment (and PATH), through `launcher` if given
 * (a command that ends by executing its arguments, keeping the process id).
 */
export function run(args: string[], env: Record<string, string>, launcher: string[] = []): Running {
  const command = [...launcher, process.execPath, '--import', 'tsx', MAIN, ...args];
  const child = spawn(command[0]!, command.slice(1), {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

export async function healthy(baseUrl: string): Promise<true | undefined> {
  const response = await fetch(`${baseUrl}/health/`).catch(() => undefined);
  return response?.status === 200 ? true : undefined;
}

/** Signs in to the admin panel as a browser does (the form's double-submit token first); the answer and its cookies. */
export async function signInToPanel(baseUrl: string, email: string, password: string): Promise<Response> {
  const form = await fetch(`${baseUrl}/admin/sign-in`);
  const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  return fetch(`${baseUrl}/admin/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, email, password }),
  });
}
