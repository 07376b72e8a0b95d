import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export interface IdpTokenOptions {
  issuer?: string;
  audience?: string;
  /** Seconds since the epoch; null leaves `exp` out. */
  expiresAt?: number | null;
  subject?: string | null;
  claims?: JWTPayload;
}

/**
 * An external identity provider as learning platforms run one: RSA key pairs whose private halves
 * sign learner tokens (RS256), and whose public halves it publishes as a PEM or a JWKS served
 * over HTTP on loopback. It signs with its newest key; `rotate` adds one.
 */
export class IdentityProvider {
  private server: http.Server | undefined;
  private jwksUrl: string | undefined;
  /** How many times the JWKS was fetched. */
  jwksRequests = 0;
  /** JWKS requests left unanswered while the provider hangs (see `hang`), until their client gives up. */
  private readonly unanswered = new Set<http.ServerResponse>();
  private hanging = false;

  private constructor(private readonly keys: { kid: string; privateKey: CryptoKey; publicKey: CryptoKey }[]) {}

  static async create(kid: string): Promise<IdentityProvider> {
    const provider = new IdentityProvider([]);
    await provider.rotate(kid);
    return provider;
  }

  /** A new key, published beside the others and used to sign from now on. */
  async rotate(kid: string): Promise<void> {
    this.keys.push({ kid, ...(await generateKeyPair('RS256', { extractable: true })) });
  }

  private get current() {
    return this.keys.at(-1)!;
  }

  publicKeyPem(): Promise<string> {
    return exportSPKI(this.current.publicKey);
  }

  async sign(options: IdpTokenOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT(options.claims ?? {}).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.current.kid }).setIssuedAt(now);
    if (options.subject !== null) jwt.setSubject(options.subject ?? 'idp-learner');
    if (options.issuer) jwt.setIssuer(options.issuer);
    if (options.audience) jwt.setAudience(options.audience);
    if (options.expiresAt !== null) jwt.setExpirationTime(options.expiresAt ?? now + 3600);
    return jwt.sign(this.current.privateKey);
  }

  /** Serves `{"keys": [...]}` with the public keys at the URL returned, and 503 at any other path. */
  async serveJwks(): Promise<string> {
    if (this.jwksUrl) return this.jwksUrl;
    this.server = http.createServer((request, response) => {
      if (request.url !== '/.well-known/jwks.json') return response.writeHead(503).end();
      this.jwksRequests++;
      if (this.hanging) {
        this.unanswered.add(response);
        response.on('close', () => this.unanswered.delete(response));
        return;
      }
      void Promise.all(this.keys.map(async (key) => ({ ...(await exportJWK(key.publicKey)), kid: key.kid, alg: 'RS256', use: 'sig' }))).then((keys) =>
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys })),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.jwksUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
    return this.jwksUrl;
  }

  /** From now on, JWKS requests get no answer until `recover`. */
  hang(): void {
    this.hanging = true;
  }

  /** JWKS requests waiting for an answer now. */
  get waiting(): number {
    return this.unanswered.size;
  }

  /** Answers the requests left waiting with 503, and the next ones normally. */
  recover(): void {
    this.hanging = false;
    for (const response of this.unanswered) response.writeHead(503).end();
  }

  /** Stops serving the JWKS: its URL then refuses connections. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

/** An HS256 token for `subject`, issuer and audience, signed with `secret`, valid for an hour. */
export async function hs256Token(secret: Uint8Array, claims: { subject: string; issuer: string; audience: string }): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(secret);
}

/** An unsecured JWT (`alg: none`, empty signature), which no verifier may accept. */
export function unsecuredToken(payload: JWTPayload): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}
