import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      publicUrl: 'http://localhost:8080',
      dataDir: path.resolve('data'),
      sqlitePath: path.resolve('data', 'scorm-lens.db'),
      databaseUrl: undefined,
      storage: { kind: 'local', root: path.resolve('data', 'objects') },
      maxUploadBytes: 2 * 1024 ** 3,
      allowPrivateNetworks: false,
      embeddedWorker: true,
      metricsToken: undefined,
      metricsPort: undefined,
      bootstrap: { email: undefined, password: undefined, apiKey: undefined },
    });
  });

  it('derives the public URL from PORT and trims a trailing slash from LENS_PUBLIC_URL', () => {
    expect(loadConfig({ PORT: '9000' }).publicUrl).toBe('http://localhost:9000');
    expect(loadConfig({ LENS_PUBLIC_URL: 'https://lens.example.com/api/' }).publicUrl).toBe('https://lens.example.com/api');
  });

  it('takes PostgreSQL and S3 settings from the environment', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://lens@db:5432/lens',
      LENS_S3_BUCKET: 'courses',
      LENS_S3_ENDPOINT: 'http://minio:9000',
    });
    expect(config.databaseUrl).toBe('postgres://lens@db:5432/lens');
    expect(config.storage).toEqual({
      kind: 's3',
      bucket: 'courses',
      region: 'us-east-1',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
      prefix: '',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number'],
    [{ PORT: '70000' }, 'PORT must be between 0 and 65535'],
    [{ LENS_PUBLIC_URL: 'lens.example.com' }, 'LENS_PUBLIC_URL must be a URL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must start with postgres: or postgresql:'],
    [{ LENS_ALLOW_PRIVATE_NETWORKS: 'maybe' }, 'LENS_ALLOW_PRIVATE_NETWORKS must be true or false'],
    [{ LENS_MAX_UPLOAD_BYTES: '0' }, 'LENS_MAX_UPLOAD_BYTES must be between 1'],
    [{ LENS_METRICS_TOKEN: 'short' }, 'LENS_METRICS_TOKEN must be at least 16 characters long'],
    [{ LENS_METRICS_PORT: '8080' }, 'LENS_METRICS_PORT must differ from PORT (8080)'],
    [{ LENS_METRICS_PORT: '0' }, 'LENS_METRICS_PORT must be between 1 and 65535'],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
