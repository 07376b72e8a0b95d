import { NotFoundError } from './errors.js';
import { Type, type TSchema } from 'typebox';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Every error the JSON API answers with. */
export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'Stable machine-readable code, e.g. `scorm_file_not_found`.' }),
    message: Type.String({ description: 'What went wrong, for a human.' }),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { $id: 'ErrorBody', title: 'Error' },
);

export const errorResponses = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [code, Type.Ref('ErrorBody')]));

export const IdParams = Type.Object({ id: Type.String({ description: 'Numeric id.' }) });

/** An id in a request body: a positive integer that JavaScript and a bigint column both hold exactly. */
export const BodyId = (description: string) => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });

/** An id from the path. Anything but a positive integer names no row, so it answers 404 like an unknown id. */
function pathId(raw: string, code: string, what: string): number {
  if (!/^[1-9]\d{0,15}$/.test(raw)) throw new NotFoundError(code, `${what} ${raw} was not found.`);
  return Number(raw);
}

const idOf = (code: string, what: string) => (raw: string) => pathId(raw, code, what);

/** The id parser of each resource, with the not-found code its unknown ids answer. */
export const pathIds = {
  scormFile: idOf('scorm_file_not_found', 'SCORM file'),
  contentExtraction: idOf('content_extraction_not_found', 'Content extraction'),
  user: idOf('user_not_found', 'User'),
  apiKey: idOf('api_key_not_found', 'API key'),
  webhook: idOf('webhook_not_found', 'Webhook'),
  delivery: idOf('delivery_not_found', 'Delivery'),
  xapiCredential: idOf('xapi_credential_not_found', 'LRS credential'),
};
