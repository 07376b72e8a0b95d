import './infra/gc-tuning.js';
import type { Logger } from 'pino';
import { createLogger } from './http/log-redaction.js';
import { buildApp } from './app.js';
import { orgsCommand, usersCommand } from './cli/accounts-commands.js';
import { extractCommand } from './cli/extract-command.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createContext, type AppContext } from './context.js';
import { openDatabase } from './infra/db/database.js';
import { migrateToLatest } from './infra/db/migrate.js';
import { bootstrapFirstManager, formatCredentials } from './modules/accounts/bootstrap.js';
import { serveMetrics } from './modules/metrics/routes.js';
import { PACKAGE_VERSION } from './version.js';
import { startWorker, type RunningWorker } from './worker/worker.js';

const USAGE = `Usage: scorm-lens <command>

Commands:
  serve     run the HTTP API (and, unless LENS_EMBEDDED_WORKER=false, the worker)
  worker    run only the worker: extraction jobs from the shared database
  migrate   bring the database schema up to date and exit
  extract   extract one package to JSON (and Markdown) without a server: extract --help
  users     users reset-password <email>: a single-use link to set a new panel password
  orgs      orgs create <name> --manager <email> | orgs list: organizations and their first managers

Options:
  --help, -h      show this help
  --version, -v   show the version

Configuration comes from environment variables; see the README.`;

/** Waits for SIGTERM or SIGINT once, then runs the shutdown steps in order. */
function onShutdown(log: Logger, steps: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    steps().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** The worker of a process: every module's jobs and loops. */
const workerOf = (context: AppContext) =>
  startWorker({ queue: context.queue, ...context.worker, concurrency: context.config.workerConcurrency, metrics: context.metrics, log: context.log });

/**
 * Starts what every process runs: the loops (the stall monitor), and `/metrics` on its own port
 * when LENS_METRICS_PORT is set. The result stops them.
 */
async function startMonitors(context: AppContext): Promise<() => Promise<unknown>> {
  for (const monitor of context.monitors) monitor.start();
  const { config } = context;
  const closeMetrics = config.metricsPort === undefined ? undefined : await serveMetrics(config, context.metrics, context.log);
  return () => Promise.all([...context.monitors.map((monitor) => monitor.stop()), closeMetrics?.()]);
}

async function serve(config: Config, log: Logger): Promise<void> {
  const context = await createContext(config, log);
  const credentials = await bootstrapFirstManager(context.database.db, config.bootstrap);
  if (credentials) process.stdout.write(`${formatCredentials(credentials, config.publicUrl)}\n`);
  const app = await buildApp(context);
  const worker: RunningWorker | undefined = config.embeddedWorker ? await workerOf(context) : undefined;
  const stopMonitors = await startMonitors(context);
  onShutdown(log, async () => {
    await stopMonitors();
    await app.close();
    await worker?.stop(config.shutdownGraceMs);
    await context.close();
  });
  await app.listen({ port: config.port, host: config.host });
}

async function worker(config: Config, log: Logger): Promise<void> {
  const context = await createContext(config, log);
  const running = await workerOf(context);
  const stopMonitors = await startMonitors(context);
  onShutdown(log, async () => {
    await stopMonitors();
    await running.stop(config.shutdownGraceMs);
    await context.close();
  });
}

async function migrate(config: Config, log: Logger): Promise<void> {
  const database = openDatabase(config);
  try {
    const applied = await migrateToLatest(database);
    log.info({ applied, dialect: database.dialect }, applied.length ? 'migrations applied' : 'schema already up to date');
  } finally {
    await database.close();
  }
}

/** A command that ends by itself returns its exit code; `serve` and `worker` run until stopped. */
type Command = (config: Config, log: Logger, args: string[]) => Promise<number | void>;

const commands: Record<string, Command> = {
  serve,
  worker,
  migrate,
  users: (config, _log, args) => usersCommand(config, args),
  orgs: (config, _log, args) => orgsCommand(config, args),
};

async function main(argv: string[]): Promise<void> {
  const [name] = argv;
  if (name === 'extract') process.exit(await extractCommand(argv.slice(1)));
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`scorm-lens ${PACKAGE_VERSION}\n`);
    process.exit(0);
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`Unknown command: ${name}\n\n${USAGE}\n`);
    process.exit(2);
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  try {
    const code = await command(config, log, argv.slice(1));
    if (code !== undefined) process.exit(code);
  } catch (error) {
    log.fatal({ err: error }, `${name} failed`);
    process.exit(1);
  }
}

await main(process.argv.slice(2));
