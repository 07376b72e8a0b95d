import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// Tests whose file name ends in .db.test.ts touch the database: they run once on SQLite and, when
// LENS_TEST_POSTGRES_URL names a server, once more on PostgreSQL.
const postgresUrl = process.env.LENS_TEST_POSTGRES_URL;
const report = process.env.LENS_TEST_REPORT;

function project(database: 'sqlite' | 'postgres', include: string[]): TestProjectInlineConfiguration {
  return { extends: true, test: { name: database, include, env: { LENS_TEST_DATABASE: database } } };
}

export default defineConfig({
  test: {
    // Two files at a time, as tested on 2 cores: most wait on child processes, servers and databases
    // more than they compute (11 minutes instead of 16 for the whole suite on both databases).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
    projects: [
      project('sqlite', ['test/**/*.test.ts']),
      ...(postgresUrl ? [project('postgres', ['test/**/*.db.test.ts'])] : []),
    ],
  },
});
