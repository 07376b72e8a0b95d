import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { buildApp, type LensApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createContext, type AppContext } from '../../src/context.js';
import type { UserRole } from '../../src/infra/db/schema.js';
import { startWorker, type RunningWorker } from '../../src/worker/worker.js';
import { createPostgresDatabase, testDatabaseKind } from './databases.js';
import { freePort } from './ports.js';

export interface TestUser {
  id: number;
  key: string;
  role: UserRole;
}

export interface Tenant {
  organizationId: number;
  slug: string;
  manager: TestUser;
  member: TestUser;
}

export interface Harness {
  config: Config;
  context: AppContext;
  app: LensApp;
  /** Base URL when started with `listen: true`. */
  baseUrl: string;
  createTenant(name: string): Promise<Tenant>;
  addUser(tenant: Tenant, role: UserRole): Promise<TestUser>;
  startWorker(): Promise<RunningWorker>;
  close(): Promise<void>;
}


/** The worker `serve` runs: every module's jobs and loops. */
export const startContextWorker = (context: AppContext) =>
  startWorker({ queue: context.queue, ...context.worker, concurrency: context.config.workerConcurrency, metrics: context.metrics, log: context.log });

/** Environment for a test service: its own data folder and database, fast job timings, no logs. */
export async function testEnvironment(overrides: Record<string, string> = {}) {
  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lens-test-'));
  const postgres = testDatabaseKind() === 'postgres' ? await createPostgresDatabase() : undefined;
  const env: Record<string, string> = {
    LENS_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    LENS_JOB_POLL_INTERVAL_MS: '50',
    LENS_JOB_RETRY_DELAY_SECONDS: '1',
    LENS_JOB_MAINTENANCE_SECONDS: '1',
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
    ...overrides,
  };
  return {
    env,
    dataDir,
    async cleanup() {
      await postgres?.drop();
      await fs.promises.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A real service for one test file: real database (SQLite file or a fresh PostgreSQL database),
 * real queue and local storage in a temp folder. `listen` serves HTTP on loopback too.
 */
export async function startHarness(
  options: { env?: Record<string, string>; listen?: boolean; worker?: boolean; stallMonitor?: boolean } = {},
): Promise<Harness> {
  const port = options.listen ? await freePort() : 0;
  const environment = await testEnvironment({
    LENS_PUBLIC_URL: options.listen ? `http://127.0.0.1:${port}` : 'http://lens.test',
    ...options.env,
  });
  const config = loadConfig(environment.env);
  const context = await createContext(config, pino({ level: process.env.LENS_TEST_LOG ?? 'silent' }));
  const app = await buildApp(context);
  if (options.listen) await app.listen({ port, host: '127.0.0.1' });
  else await app.ready();
  const workers: RunningWorker[] = [];
  const monitors = options.stallMonitor ? context.monitors : [];
  for (const monitor of monitors) monitor.start();
  let tenants = 0;

  async function addUser(tenant: Pick<Tenant, 'organizationId' | 'slug'>, role: UserRole): Promise<TestUser> {
    const email = `${role}-${Math.random().toString(36).slice(2)}@${tenant.slug}.test`;
    const user = await context.accounts.createUser({ organizationId: tenant.organizationId, email, role });
    const { key } = await context.accounts.createApiKey({
      organizationId: tenant.organizationId,
      userId: user.id,
      name: `${role} key`,
    });
    return { id: user.id, key, role };
  }

  const harness: Harness = {
    config,
    context,
    app,
    baseUrl: config.publicUrl,
    async createTenant(name) {
      const organization = await context.accounts.createOrganization(`${name} ${++tenants}`);
      const base = { organizationId: organization.id, slug: organization.slug };
      return { ...base, manager: await addUser(base, 'manager'), member: await addUser(base, 'member') };
    },
    addUser,
    async startWorker() {
      const worker = await startContextWorker(context);
      workers.push(worker);
      return worker;
    },
    async close() {
      for (const monitor of monitors) await monitor.stop();
      for (const worker of workers) await worker.stop(0);
      await app.close();
      await context.close();
      await environment.cleanup();
    },
  };
  if (options.worker) await harness.startWorker();
  return harness;
}
