import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { BadRequestError } from '../../../http/errors.js';
import { sameStatement, type Statement } from './statement.js';

export const SIGNATURE_USAGE = 'http://adlnet.gov/expapi/attachments/signature';

const ALGORITHMS: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

function invalid(problem: string): BadRequestError {
  return new BadRequestError('invalid_signature', `The statement's signature ${problem}.`);
}

function decodeJson(segment: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw invalid(`${what} is not a base64url-encoded JSON object`);
}

/** The statement as it was signed: without its attachments (the signature is one), and without an id it was given later. */
function asSigned(statement: Statement, signed: Statement): Statement {
  const copy: Statement = { ...statement };
  delete copy.attachments;
  if (signed.id === undefined) delete copy.id;
  return copy;
}

/**
 * A signed statement (xAPI 1.0.3, Signed Statements): the signature part is a JWS in compact form,
 * RS256/384/512, whose payload is the statement as sent. With an x5c certificate chain, the
 * signature is verified with the first certificate's key.
 */
export function checkSignature(statement: Statement, part: { contentType: string; content: Buffer } | undefined): void {
  if (!part) throw invalid('is missing: send it as a part of a multipart/mixed request');
  if (part.contentType.split(';')[0]!.trim().toLowerCase() !== 'application/octet-stream') {
    throw invalid('part must have the content type application/octet-stream');
  }
  const segments = part.content.toString('utf8').trim().split('.');
  if (segments.length !== 3 || segments.some((segment) => !/^[A-Za-z0-9_-]*$/.test(segment))) throw invalid('is not a JWS in compact serialization');
  const [encodedHeader, encodedPayload, encodedSignature] = segments as [string, string, string];
  const header = decodeJson(encodedHeader, 'header');
  const hash = typeof header.alg === 'string' ? ALGORITHMS[header.alg] : undefined;
  if (!hash) throw invalid('algorithm must be RS256, RS384 or RS512');
  const payload = decodeJson(encodedPayload, 'payload');
  const { attachments: _attachments, ...signed } = payload;
  if (!sameStatement(asSigned(statement, payload), signed)) throw invalid('payload does not match the statement');
  if (header.x5c === undefined) return;
  if (!Array.isArray(header.x5c) || typeof header.x5c[0] !== 'string') throw invalid('x5c header must be an array of certificates');
  let valid: boolean;
  try {
    const certificate = new X509Certificate(Buffer.from(header.x5c[0], 'base64'));
    const key = createPublicKey(certificate.publicKey.export({ format: 'pem', type: 'spki' }));
    valid = verify(hash, Buffer.from(`${encodedHeader}.${encodedPayload}`), key, Buffer.from(encodedSignature, 'base64url'));
  } catch {
    throw invalid('certificate (x5c) cannot be read');
  }
  if (!valid) throw invalid('does not verify with the key of its certificate');
}
