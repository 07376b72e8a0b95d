import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { ScormFile } from '../../infra/db/schema.js';
import { StreamLimitError, type TempFiles } from '../../infra/storage/temp-files.js';
import { BadRequestError, PayloadTooLargeError } from '../../http/errors.js';
import { nulCharacterError } from '../../http/input-guard.js';
import type { Principal } from '../accounts/principal.js';
import type { ScormFilesService } from './files-service.js';

/** What receiving an upload needs. */
export interface UploadDeps {
  files: ScormFilesService;
  tempFiles: TempFiles;
  maxUploadBytes: number;
}

interface ReceivedUpload {
  tempPath: string;
  size: number;
  fileName: string;
  batchName: string | null;
  /** Every text field of the form, by name. */
  fields: Record<string, string>;
}

/**
 * Streams the `file` part of a multipart upload to a temp file and collects the text fields, in
 * whichever order they come. On any error nothing is left behind.
 */
async function receiveMultipart(request: FastifyRequest, deps: UploadDeps): Promise<ReceivedUpload> {
  const limit = deps.maxUploadBytes;
  let stored: { path: string; size: number; fileName: string } | undefined;
  const fields: Record<string, string> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (typeof part.value !== 'string') continue;
        if (part.value.includes('\u0000')) throw nulCharacterError(part.fieldname);
        fields[part.fieldname] = part.value;
        continue;
      }
      const file: MultipartFile = part;
      if (file.fieldname !== 'file' || stored) {
        file.file.resume();
        throw new BadRequestError('unexpected_file', `Send one file, in the form field "file" (got "${file.fieldname}").`);
      }
      const written = await deps.tempFiles.write(file.file, limit).catch((error: unknown) => {
        throw error instanceof StreamLimitError || file.file.truncated ? new PayloadTooLargeError(limit) : error;
      });
      stored = { ...written, fileName: file.filename };
      if (file.file.truncated) throw new PayloadTooLargeError(limit);
    }
  } catch (error) {
    if (stored) await deps.tempFiles.remove(stored.path);
    throw error;
  }
  if (!stored) throw new BadRequestError('file_missing', 'The form has no "file" field with the package.');
  if (stored.size === 0) {
    await deps.tempFiles.remove(stored.path);
    throw new BadRequestError('file_empty', 'The uploaded file is empty.');
  }
  const batchName = fields.batch_name?.slice(0, 255) || null;
  return { tempPath: stored.path, size: stored.size, fileName: stored.fileName, batchName, fields };
}

/**
 * Receives a multipart upload and records it as a SCORM file of the principal. `accept` sees the
 * form's fields first and may refuse the upload by throwing; the received bytes are then dropped.
 */
export async function uploadMultipart(
  request: FastifyRequest,
  deps: UploadDeps,
  principal: Principal,
  accept: (fields: Record<string, string>) => void = () => undefined,
): Promise<ScormFile> {
  const upload = await receiveMultipart(request, deps);
  try {
    accept(upload.fields);
    return await deps.files.upload(principal, { ...upload, clientIp: request.ip });
  } catch (error) {
    await deps.tempFiles.remove(upload.tempPath);
    throw error;
  }
}
