import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { StorageConfig } from '../../config.js';
import type { TempFiles } from './temp-files.js';
import { ObjectNotFoundError, type Storage } from './storage.js';

type S3Config = Extract<StorageConfig, { kind: 's3' }>;

/** Objects in an S3-compatible bucket; download links are presigned GET URLs. */
export class S3Storage implements Storage {
  private readonly client: S3Client;

  constructor(
    private readonly config: S3Config,
    private readonly tempFiles: TempFiles,
  ) {
    // Credentials come from the standard AWS chain: environment, shared files, instance roles.
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
    });
  }

  private objectKey(key: string): string {
    return `${this.config.prefix}${key}`;
  }

  async putFile(key: string, localPath: string, contentType?: string): Promise<void> {
    // Multipart upload in parts of 8 MiB, four at a time: memory stays flat whatever the size.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.config.bucket, Key: this.objectKey(key), Body: fs.createReadStream(localPath), ContentType: contentType },
      partSize: 8 * 1024 * 1024,
      queueSize: 4,
    });
    await upload.done();
    await fs.promises.rm(localPath, { force: true });
  }

  read(key: string): Promise<Readable> {
    return this.get(key);
  }

  readRange(key: string, start: number, end: number): Promise<Readable> {
    return end > start ? this.get(key, `bytes=${start}-${end - 1}`) : Promise.resolve(Readable.from([]));
  }

  private async get(key: string, range?: string): Promise<Readable> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key), Range: range }));
      return object.Body as Readable;
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) {
        throw new ObjectNotFoundError(key);
      }
      throw error;
    }
  }

  async withLocalFile<T>(key: string, fn: (localPath: string) => Promise<T>): Promise<T> {
    const localPath = this.tempFiles.newPath();
    try {
      await pipeline(await this.read(key), fs.createWriteStream(localPath));
      return await fn(localPath);
    } finally {
      await this.tempFiles.remove(localPath);
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }));
  }

  async downloadUrl(key: string, ttlSeconds: number): Promise<string> {
    const fileName = key.split('/').pop() ?? 'download';
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.config.bucket,
        Key: this.objectKey(key),
        ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      }),
      { expiresIn: ttlSeconds },
    );
  }
}
