import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDiskFull } from '../infra/storage/temp-files.js';
import { AppError } from './errors.js';

interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Errors Fastify and its plugins raise for bad requests, under our stable codes. */
const FRAMEWORK_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The JSON request body is empty.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'This content type is not accepted here.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'invalid_content_length',
    message: 'The Content-Length header does not match the body.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The request body is too large.' },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The uploaded file is too large.' },
  FST_PARTS_LIMIT: { status: 413, code: 'too_many_parts', message: 'The form has too many parts.' },
  FST_FILES_LIMIT: { status: 400, code: 'too_many_files', message: 'Send exactly one file per upload.' },
  FST_FIELDS_LIMIT: { status: 413, code: 'too_many_fields', message: 'The form has too many fields.' },
  FST_PROTO_VIOLATION: { status: 400, code: 'invalid_field_name', message: 'A form field name is not allowed.' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'Send multipart/form-data or application/json.',
  },
  FST_MP_PREMATURE_CLOSE: { status: 400, code: 'incomplete_upload', message: 'The upload ended before it was complete.' },
  FST_ERR_BAD_URL: { status: 400, code: 'invalid_url', message: 'The request URL is malformed.' },
};

export function toErrorBody(error: FastifyError | AppError | Error): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    const body: ErrorBody = { code: error.code, message: error.message };
    if (error.details) body.details = error.details;
    return { status: error.statusCode, body };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return {
      status: 400,
      body: {
        code: 'validation_failed',
        message: `The request is invalid: ${fastifyError.message}.`,
        details: {
          errors: fastifyError.validation.map((v) => ({
            location: fastifyError.validationContext,
            path: v.instancePath,
            message: v.message,
          })),
        },
      },
    };
  }
  if (isDiskFull(error)) {
    return { status: 507, body: { code: 'storage_full', message: 'The server has no room left to store this; try again later.' } };
  }
  const known = fastifyError.code ? FRAMEWORK_ERRORS[fastifyError.code] : undefined;
  if (known) return { status: known.status, body: { code: known.code, message: known.message } };
  // Any other client error from the framework keeps its status, under a generic code.
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return { status, body: { code: 'bad_request', message: fastifyError.message } };
  }
  return { status: 500, body: { code: 'internal_error', message: 'Something went wrong on our side.' } };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = toErrorBody(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, status }, 'request refused');
    void reply.status(status).type('application/json').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ code: 'route_not_found', message: `No route ${request.method} ${request.url}.` });
  });
}
