import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from '../support/cli.js';

const { version } = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Runs the command line to its end: its exit code and what it wrote. */
async function finished(args: string[]) {
  const running = run(args, {});
  const code = await running.exited;
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}

describe('scorm-lens --version and --help', () => {
  it('prints the release and exits 0', async () => {
    for (const flag of ['--version', '-v']) {
      expect(await finished([flag])).toEqual({ code: 0, stdout: `scorm-lens ${version}\n`, stderr: '' });
    }
  });

  it('prints the commands on stdout and exits 0', async () => {
    const help = await finished(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: scorm-lens <command>/);
    for (const command of ['serve', 'worker', 'migrate', 'extract', 'users', 'orgs', '--version']) expect(help.stdout).toContain(command);
  });

  it('names an unknown command, shows the commands on stderr and exits 2', async () => {
    for (const name of ['serv', '__proto__', 'constructor']) {
      const unknown = await finished([name]);
      expect(unknown).toMatchObject({ code: 2, stdout: '' });
      expect(unknown.stderr.startsWith(`Unknown command: ${name}\n\nUsage: scorm-lens`)).toBe(true);
    }
  });
});
