import type { FastifyRequest } from 'fastify';
import { pino, type Logger } from 'pino';

/** Query parameters that carry a credential: a signature, a token, a key, a password. */
const SECRET_PARAMETER = /sig|token|key|secret|password|credential|auth|jwt|session|code/i;
/** Paths whose last segment is itself a bearer credential. */
const SECRET_PATH = /^(\/v1\/certificates\/|\/admin\/reset-password\/)[^/?#]+/;
const REDACTED = 'REDACTED';

/**
 * A URL as it may be written to a log: the values of credential-bearing query parameters (signed
 * download links, presigned S3 URLs, tokens) and credential path segments are replaced. Works on
 * paths (`/v1/downloads/…?signature=…`) and absolute URLs alike; anything unparsable loses its query.
 */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  const path = (query === -1 ? url : url.slice(0, query)).replace(SECRET_PATH, `$1${REDACTED}`);
  if (query === -1) return path;
  const parameters = url
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals === -1) return pair;
      let name: string;
      try {
        name = decodeURIComponent(pair.slice(0, equals));
      } catch {
        return REDACTED;
      }
      return SECRET_PARAMETER.test(name) ? `${pair.slice(0, equals)}=${REDACTED}` : pair;
    });
  return `${path}?${parameters.join('&')}`;
}

/** The request as a log line shows it, its URL redacted. */
function requestSerializer(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
  };
}

/** The service's logger: JSON lines, with requests (and any `url` a line carries) redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'scorm-lens' },
    serializers: { req: requestSerializer, url: (url: unknown) => (typeof url === 'string' ? redactUrl(url) : url) },
  });
}
