import fs from 'node:fs';
import path from 'node:path';

/** The shared real-world packages, beside the repository (never copied into it). */
export const FIXTURES_DIR = path.resolve(import.meta.dirname, '../../../shared/fixtures');
export const haveFixtures = fs.existsSync(FIXTURES_DIR);

if (!haveFixtures) {
  console.warn(`[fixtures] ${FIXTURES_DIR} is absent: tests on real packages are skipped.`);
}

export const fixture = (name: string): string => path.join(FIXTURES_DIR, name);
