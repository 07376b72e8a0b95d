import { createHash } from 'node:crypto';
import { BadRequestError } from '../../../http/errors.js';
import { mediaTypeOf } from '../request.js';
import type { AttachmentPart } from './service.js';

// Statements with attachments come as multipart/mixed (RFC 2046), which the form parsers of the
// framework (busboy, multipart/form-data only) do not read: this reader splits the parts with
// Buffer.indexOf, one pass over the body.

const MAX_PARTS = 1000;
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

interface MixedPart {
  headers: Map<string, string>;
  body: Buffer;
}

function invalid(message: string): BadRequestError {
  return new BadRequestError('invalid_multipart', message);
}

function boundaryOf(contentType: string): string {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw invalid('A multipart/mixed request needs a boundary parameter in its Content-Type.');
  return boundary;
}

function headersOf(block: Buffer): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.toString('utf8').split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw invalid(`A part has a malformed header line: ${JSON.stringify(line.slice(0, 80))}.`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function splitParts(body: Buffer, contentType: string): MixedPart[] {
  const boundary = boundaryOf(contentType);
  const delimiter = Buffer.from(`--${boundary}`);
  const closing = Buffer.from(`\r\n--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at < 0) throw invalid('The body holds no part delimited by the boundary.');
  const parts: MixedPart[] = [];
  for (;;) {
    at += delimiter.length;
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts;
    if (!body.subarray(at, at + 2).equals(CRLF)) throw invalid('A boundary line is malformed.');
    at += CRLF.length;
    if (parts.length === MAX_PARTS) throw invalid(`A request holds at most ${MAX_PARTS} parts.`);
    // A part without headers starts with its blank line.
    const headersStop = body.subarray(at, at + 2).equals(CRLF) ? at - 2 : body.indexOf(HEADER_END, at);
    if (headersStop < 0 || headersStop - at > MAX_HEADER_BYTES) throw invalid('A part has no end to its headers.');
    const contentStart = headersStop + HEADER_END.length;
    const next = body.indexOf(closing, contentStart);
    if (next < 0) throw invalid('The body ends before its closing boundary.');
    parts.push({ headers: headersOf(body.subarray(at, Math.max(at, headersStop))), body: body.subarray(contentStart, next) });
    at = next + 2;
  }
}

const HASHES: Record<number, string> = { 56: 'sha224', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

/**
 * Statements and their attachments from a multipart/mixed body: the first part is the statements
 * (application/json); each other part is an attachment with its SHA-2 in X-Experience-API-Hash,
 * checked against the part's real bytes.
 */
export function readStatementsMultipart(body: Buffer, contentType: string): { statements: Buffer; attachments: Map<string, AttachmentPart> } {
  const [first, ...rest] = splitParts(body, contentType);
  if (!first) throw invalid('The body holds no part.');
  if (mediaTypeOf(first.headers.get('content-type')) !== 'application/json') {
    throw invalid('The first part must be the statements, with Content-Type application/json.');
  }
  const attachments = new Map<string, AttachmentPart>();
  for (const part of rest) {
    const sha2 = part.headers.get('x-experience-api-hash')?.toLowerCase();
    if (!sha2) throw invalid('Each attachment part needs an X-Experience-API-Hash header.');
    if (part.headers.get('content-transfer-encoding')?.toLowerCase() !== 'binary') {
      throw invalid('Each attachment part needs the header Content-Transfer-Encoding: binary.');
    }
    const algorithm = HASHES[sha2.length];
    if (!algorithm || createHash(algorithm).update(part.body).digest('hex') !== sha2) {
      throw invalid(`The part with hash ${sha2} does not have that SHA-2 hash.`);
    }
    attachments.set(sha2, { contentType: part.headers.get('content-type') ?? 'application/octet-stream', content: part.body });
  }
  return { statements: first.body, attachments };
}

/** A multipart/mixed body of a statement result and the attachments it refers to. */
export function writeStatementsMultipart(
  result: unknown,
  attachments: { sha2: string; content_type: string; content: Buffer }[],
): { contentType: string; body: Buffer } {
  const boundary = `xapi-${createHash('sha256').update(String(Date.now()) + Math.random()).digest('hex').slice(0, 32)}`;
  const chunks: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n`),
    Buffer.from(JSON.stringify(result)),
  ];
  for (const attachment of attachments) {
    chunks.push(
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Type: ${attachment.content_type}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${attachment.sha2}\r\n\r\n`,
      ),
      attachment.content,
    );
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
