import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// s3rver ships no types; its API is a class with run() and close().
// @ts-expect-error untyped module
import S3rver from 's3rver';

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  /** Environment that points the service at this server. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A real S3-compatible server on loopback, with one empty bucket. */
export async function startLocalS3(bucket = 'lens-test'): Promise<LocalS3> {
  const directory = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lens-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  // The AWS SDK reads credentials from the process environment; s3rver accepts these.
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  return {
    endpoint,
    bucket,
    env: { LENS_S3_BUCKET: bucket, LENS_S3_ENDPOINT: endpoint, LENS_S3_REGION: 'us-east-1', LENS_S3_PREFIX: 'tenant-data/' },
    async close() {
      await server.close();
      await fs.promises.rm(directory, { recursive: true, force: true });
    },
  };
}
