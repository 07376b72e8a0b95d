import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// Node's maintained LTS lines.
const LTS_MAJORS = [20, 22, 24];

const root = path.resolve(import.meta.dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
};

/** The first release of an LTS line that package.json accepts, or null when it refuses the whole line. */
function firstAccepted(major: number): string | null {
  const firsts = manifest.engines.node
    .split('||')
    .map((set) => semver.minVersion(`${set.trim()} >=${major}.0.0 <${major + 1}.0.0`)?.version)
    .filter((version): version is string => version !== undefined);
  return firsts.sort(semver.compare)[0] ?? null;
}

describe('the Node versions the service runs on', () => {
  it('are every maintained LTS line, as package.json declares', () => {
    expect(LTS_MAJORS.filter((major) => firstAccepted(major) === null)).toEqual([]);
    expect(semver.satisfies('18.20.0', manifest.engines.node)).toBe(false);
  });

  it('from the first release package.json accepts on each line, are refused by no package of the tree (npm installs with engine-strict)', () => {
    const firsts = LTS_MAJORS.map(firstAccepted).filter((version): version is string => version !== null);
    // The entry named "" is the project itself, whose range is the one under test.
    const refusals = Object.entries(lock.packages).filter(([name]) => name !== '').flatMap(([name, entry]) => {
      const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      return range ? firsts.filter((version) => !semver.satisfies(version, range)).map((version) => `${name} refuses ${version} (${range})`) : [];
    });
    expect(refusals).toEqual([]);
  });
});
