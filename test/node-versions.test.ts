import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// Node's maintained LTS lines, each from the first release the whole tree supports.
const LTS_LINES = ['20.19.0', '22.13.0', '24.0.0'];

const root = path.resolve(import.meta.dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
};

describe('the Node versions the service runs on', () => {
  it('are every maintained LTS line, as package.json declares', () => {
    expect(LTS_LINES.filter((version) => !semver.satisfies(version, manifest.engines.node))).toEqual([]);
    expect(semver.satisfies('18.20.0', manifest.engines.node)).toBe(false);
  });

  it('are refused by no package of the tree (npm installs with engine-strict)', () => {
    const refusals = Object.entries(lock.packages).flatMap(([name, entry]) => {
      const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      return range ? LTS_LINES.filter((version) => !semver.satisfies(version, range)).map((version) => `${name} refuses ${version} (${range})`) : [];
    });
    expect(refusals).toEqual([]);
  });
});
