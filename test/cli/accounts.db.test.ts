import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/api.js';
import { healthy, run, signInToPanel } from '../support/cli.js';
import { testEnvironment } from '../support/harness.js';
import { freePort } from '../support/ports.js';

// `orgs` and `users` as an operator runs them: real processes on the database `serve` uses.

let environment: Awaited<ReturnType<typeof testEnvironment>>;
let baseUrl: string;
let env: Record<string, string>;

beforeAll(async () => {
  environment = await testEnvironment();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  env = { ...environment.env, PORT: String(port), HOST: '127.0.0.1', LENS_PUBLIC_URL: baseUrl };
});
afterAll(() => environment.cleanup());

async function finished(args: string[]) {
  const running = run(args, env);
  const code = await running.exited;
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}

/** The value printed after a label in the block shown once (`    e-mail        ann@…`). */
const printed = (stdout: string, label: string) => new RegExp(`^ {4}${label} +(\\S+)$`, 'm').exec(stdout)?.[1] ?? '';

const signIn = async (email: string, password: string) => (await signInToPanel(baseUrl, email, password)).status;

describe('scorm-lens orgs and users', () => {
  let acme: Awaited<ReturnType<typeof finished>>;

  it('orgs create makes an organization with its first manager and prints the credentials as the first start does', async () => {
    const empty = await finished(['orgs', 'list']);
    expect(empty).toMatchObject({ code: 0, stderr: '' });
    expect(empty.stdout.trim()).toMatch(/^id +name +slug +created +users$/);

    acme = await finished(['orgs', 'create', 'Acme Learning', '--manager', 'Ops@Acme.test']);
    expect(acme.code, acme.stderr).toBe(0);
    expect(acme.stdout).toContain('These credentials are shown only this once');
    expect(acme.stdout).toContain('    organization  Acme Learning\n');
    expect(printed(acme.stdout, 'e-mail')).toBe('ops@acme.test');
    expect(printed(acme.stdout, 'password')).toMatch(/^\S{16}$/);
    expect(printed(acme.stdout, 'API key')).toMatch(/^sl_[\w-]{32}$/);
    expect(acme.stdout).toContain(`Admin panel: ${baseUrl}/admin`);

    const globex = await finished(['orgs', 'create', 'Globex', '--manager', 'ops@acme.test']);
    expect(globex.code, globex.stderr).toBe(0);
    expect(printed(globex.stdout, 'API key')).not.toBe(printed(acme.stdout, 'API key'));

    const list = await finished(['orgs', 'list']);
    expect(list.code).toBe(0);
    const rows = list.stdout.trim().split('\n').map((line) => line.split(/ {2,}/));
    expect(rows[0]).toEqual(['id', 'name', 'slug', 'created', 'users']);
    expect(rows.slice(1)).toEqual([
      [expect.stringMatching(/^\d+$/), 'Acme Learning', 'acme-learning', expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/), '1'],
      [expect.stringMatching(/^\d+$/), 'Globex', 'globex', expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/), '1'],
    ]);
  });

  it('refuses what it cannot do with a reason and exit code 1, and a wrong call with its usage and exit code 2', async () => {
    const calls = [['orgs'], ['orgs', 'create', 'No manager'], ['orgs', 'create', 'Bad', '--manager', 'not-an-email'], ['orgs', 'list', 'extra'], ['users'], ['users', 'reset-password']];
    const answers = await Promise.all(calls.map((args) => finished(args)));
    for (const [i, wrong] of answers.entries()) {
      expect(wrong.code, calls[i]!.join(' ')).toBe(2);
      expect(wrong.stderr).toContain(`Usage: scorm-lens ${calls[i]![0]}`);
    }
    const unknown = await finished(['users', 'reset-password', 'nobody@acme.test']);
    expect(unknown).toMatchObject({ code: 1, stdout: '', stderr: 'No active user has the e-mail nobody@acme.test.\n' });
    // The same e-mail manages both organizations: the operator names one.
    const ambiguous = await finished(['users', 'reset-password', 'ops@acme.test']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('--org');
    expect(ambiguous.stderr).toContain('acme-learning');
    expect(ambiguous.stderr).toContain('globex');
  });

  it('users reset-password prints a single-use link that sets a new password for the panel', async () => {
    const reset = await finished(['users', 'reset-password', 'OPS@acme.test', '--org', 'acme-learning']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain('    organization  Acme Learning\n');
    const link = printed(reset.stdout, 'link');
    expect(link).toMatch(new RegExp(`^${baseUrl}/admin/reset-password/[\\w-]{43}$`));

    const serve = run(['serve'], env);
    try {
      await eventually(() => healthy(baseUrl), 30_000, 'the server to answer');
      // The key printed by `orgs create` works, as a manager's.
      const users = await fetch(`${baseUrl}/v1/users/`, { headers: { 'x-api-key': printed(acme.stdout, 'API key') } });
      expect(users.status).toBe(200);
      expect(await users.json()).toMatchObject({ count: 1, results: [{ email: 'ops@acme.test', role: 'manager', is_active: true }] });

      const form = { password: 'a new panel password', confirmation: 'a new panel password' };
      const set = await fetch(link, { method: 'POST', body: new URLSearchParams(form) });
      expect(set.status).toBe(200);
      expect(await signIn('ops@acme.test', 'a new panel password')).toBe(303);
      expect(await signIn('ops@acme.test', printed(acme.stdout, 'password'))).toBe(401);
      expect((await fetch(link, { method: 'POST', body: new URLSearchParams(form) })).status).toBe(410);
    } finally {
      serve.child.kill('SIGTERM');
    }
    expect(await serve.exited).toBe(0);
  });
});
