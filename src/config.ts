import path from 'node:path';

export type StorageConfig =
  | { kind: 'local'; root: string }
  | {
      kind: 's3';
      bucket: string;
      region: string;
      endpoint: string | undefined;
      forcePathStyle: boolean;
      prefix: string;
    };

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  /**
   * Where learners' browsers reach the player and the courses' files. Another origin than the
   * API's (`https://play.example.com`, served by the same process) keeps a course's scripts away
   * from the service's pages and cookies; by default the player shares the public URL, under
   * /player. From LENS_PLAYER_ORIGIN.
   */
  playerUrl: string;
  /** How long a launch link can wait before it is opened. */
  launchTtlSeconds: number;
  /** How long a password-reset link works. */
  passwordResetTtlSeconds: number;
  dataDir: string;
  /** PostgreSQL connection string; SQLite in the data folder when absent. */
  databaseUrl: string | undefined;
  sqlitePath: string;
  storage: StorageConfig;
  maxUploadBytes: number;
  /** Largest request body of the LRS: a batch of statements with its attachments, or a document. */
  xapiMaxBodyBytes: number;
  /** The xAPI version the LRS answers a request that names none with. */
  xapiDefaultVersion: '1.0.3' | '2.0.0';
  allowPrivateNetworks: boolean;
  downloadTimeoutMs: number;
  downloadLinkTtlSeconds: number;
  jobLeaseSeconds: number;
  jobMaintenanceSeconds: number;
  jobRetryDelaySeconds: number;
  jobPollIntervalMs: number;
  stallTimeoutMs: number;
  workerConcurrency: number;
  extractionTimeoutMs: number;
  extractionMemoryMb: number;
  /** How long a stopping process lets running jobs finish before it ends them (and their sandboxes). */
  shutdownGraceMs: number;
  webhookTimeoutMs: number;
  webhookPollIntervalMs: number;
  embeddedWorker: boolean;
  /**
   * The bearer token `/metrics` asks for (LENS_METRICS_TOKEN). With it and no metrics port, the API
   * port serves `/metrics` too; without either, no port does.
   */
  metricsToken: string | undefined;
  /** A port of its own for `/metrics` (LENS_METRICS_PORT), in `serve` and `worker` processes alike. */
  metricsPort: number | undefined;
  trustProxy: boolean;
  logLevel: string;
  learnerTokens: {
    jwksUrl: string | undefined;
    publicKey: string | undefined;
    publicKeyAlgorithm: string;
    issuer: string | undefined;
    audience: string | undefined;
  };
  bootstrap: {
    organization: string;
    email: string | undefined;
    password: string | undefined;
    apiKey: string | undefined;
  };
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = optional(env, name)?.trim();
  if (raw === undefined) return fallback;
  if (!values.includes(raw as T)) throw new ConfigError(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}

function optional(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

function url(name: string, raw: string, protocols: string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.join(' or ')}, got "${raw}"`);
  }
  return raw;
}

function storageConfig(env: Env, dataDir: string): StorageConfig {
  const bucket = optional(env, 'LENS_S3_BUCKET');
  if (!bucket) return { kind: 'local', root: path.join(dataDir, 'objects') };
  const endpoint = optional(env, 'LENS_S3_ENDPOINT');
  return {
    kind: 's3',
    bucket,
    region: optional(env, 'LENS_S3_REGION') ?? optional(env, 'AWS_REGION') ?? 'us-east-1',
    endpoint: endpoint === undefined ? undefined : url('LENS_S3_ENDPOINT', endpoint, ['http:', 'https:']),
    forcePathStyle: boolean(env, 'LENS_S3_FORCE_PATH_STYLE', endpoint !== undefined),
    prefix: optional(env, 'LENS_S3_PREFIX') ?? '',
  };
}

/** Reads the environment once into a validated Config; every default is embedded here. */
export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const dataDir = path.resolve(optional(env, 'LENS_DATA_DIR') ?? './data');
  const publicUrl = url('LENS_PUBLIC_URL', optional(env, 'LENS_PUBLIC_URL') ?? `http://localhost:${port}`, [
    'http:',
    'https:',
  ]).replace(/\/+$/, '');
  const databaseUrl = optional(env, 'DATABASE_URL');
  const jwks = optional(env, 'LENS_LEARNER_TOKEN_JWKS_URL');
  const metricsToken = optional(env, 'LENS_METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 16) throw new ConfigError('LENS_METRICS_TOKEN must be at least 16 characters long');
  const metricsPort = optional(env, 'LENS_METRICS_PORT') === undefined ? undefined : integer(env, 'LENS_METRICS_PORT', 0, 1, 65535);
  if (metricsPort === port) throw new ConfigError(`LENS_METRICS_PORT must differ from PORT (${port})`);
  if (databaseUrl !== undefined) url('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:']);
  return {
    port,
    host: optional(env, 'HOST') ?? '0.0.0.0',
    publicUrl,
    playerUrl: url('LENS_PLAYER_ORIGIN', optional(env, 'LENS_PLAYER_ORIGIN') ?? publicUrl, ['http:', 'https:']).replace(/\/+$/, ''),
    launchTtlSeconds: integer(env, 'LENS_LAUNCH_TTL_SECONDS', 600, 10, 7 * 24 * 3600),
    passwordResetTtlSeconds: integer(env, 'LENS_PASSWORD_RESET_TTL_SECONDS', 24 * 3600, 1, 30 * 24 * 3600),
    dataDir,
    databaseUrl,
    sqlitePath: path.join(dataDir, 'scorm-lens.db'),
    storage: storageConfig(env, dataDir),
    maxUploadBytes: integer(env, 'LENS_MAX_UPLOAD_BYTES', 2 * 1024 ** 3, 1),
    xapiMaxBodyBytes: integer(env, 'LENS_XAPI_MAX_BODY_BYTES', 16 * 1024 ** 2, 1024, 1024 ** 3),
    xapiDefaultVersion: oneOf(env, 'LENS_XAPI_DEFAULT_VERSION', ['1.0.3', '2.0.0'] as const, '1.0.3'),
    allowPrivateNetworks: boolean(env, 'LENS_ALLOW_PRIVATE_NETWORKS', false),
    downloadTimeoutMs: integer(env, 'LENS_DOWNLOAD_TIMEOUT_MS', 5 * 60_000, 100),
    downloadLinkTtlSeconds: integer(env, 'LENS_DOWNLOAD_LINK_TTL_SECONDS', 3600, 1, 7 * 24 * 3600),
    jobLeaseSeconds: integer(env, 'LENS_JOB_LEASE_SECONDS', 15 * 60, 1, 23 * 3600),
    jobMaintenanceSeconds: integer(env, 'LENS_JOB_MAINTENANCE_SECONDS', 30, 1, 3600),
    jobRetryDelaySeconds: integer(env, 'LENS_JOB_RETRY_DELAY_SECONDS', 10, 1, 3600),
    jobPollIntervalMs: integer(env, 'LENS_JOB_POLL_INTERVAL_MS', 500, 50, 60_000),
    stallTimeoutMs: integer(env, 'LENS_STALL_TIMEOUT_SECONDS', 30 * 60, 1) * 1000,
    workerConcurrency: integer(env, 'LENS_WORKER_CONCURRENCY', 2, 1, 64),
    extractionTimeoutMs: integer(env, 'LENS_EXTRACTION_TIMEOUT_SECONDS', 600, 1, 24 * 3600) * 1000,
    extractionMemoryMb: integer(env, 'LENS_EXTRACTION_MEMORY_MB', 1024, 64, 64 * 1024),
    shutdownGraceMs: integer(env, 'LENS_SHUTDOWN_GRACE_SECONDS', 25, 0, 3600) * 1000,
    webhookTimeoutMs: integer(env, 'LENS_WEBHOOK_TIMEOUT_SECONDS', 10, 1, 300) * 1000,
    webhookPollIntervalMs: integer(env, 'LENS_WEBHOOK_POLL_INTERVAL_MS', 1000, 50, 600_000),
    embeddedWorker: boolean(env, 'LENS_EMBEDDED_WORKER', true),
    metricsToken,
    metricsPort,
    trustProxy: boolean(env, 'LENS_TRUST_PROXY', false),
    logLevel: optional(env, 'LOG_LEVEL') ?? 'info',
    learnerTokens: {
      jwksUrl: jwks === undefined ? undefined : url('LENS_LEARNER_TOKEN_JWKS_URL', jwks, ['http:', 'https:']),
      publicKey: optional(env, 'LENS_LEARNER_TOKEN_PUBLIC_KEY')?.replace(/\\n/g, '\n'),
      publicKeyAlgorithm: optional(env, 'LENS_LEARNER_TOKEN_ALGORITHM') ?? 'RS256',
      issuer: optional(env, 'LENS_LEARNER_TOKEN_ISSUER'),
      audience: optional(env, 'LENS_LEARNER_TOKEN_AUDIENCE'),
    },
    bootstrap: {
      organization: optional(env, 'LENS_BOOTSTRAP_ORGANIZATION') ?? 'My Organization',
      email: optional(env, 'LENS_BOOTSTRAP_EMAIL'),
      password: optional(env, 'LENS_BOOTSTRAP_PASSWORD'),
      apiKey: optional(env, 'LENS_BOOTSTRAP_API_KEY'),
    },
  };
}
