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
 * An external identity provider as learning platforms run one: an RSA key pair whose private half
 * signs learner tokens (RS256), and whose public half it publishes as a PEM or a JWKS served
 * over HTTP on loopback.
 */
export class IdentityProvider {
  private server: http.Server | undefined;
  private jwksUrl: string | undefined;
  /** How many times the JWKS was fetched. */
  jwksRequests = 0;

  private constructor(
    readonly kid: string,
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
  ) {}

  static async create(kid: string): Promise<IdentityProvider> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    return new IdentityProvider(kid, privateKey, publicKey);
  }

  publicKeyPem(): Promise<string> {
    return exportSPKI(this.publicKey);
  }

  async sign(options: IdpTokenOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT(options.claims ?? {}).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid }).setIssuedAt(now);
    if (options.subject !== null) jwt.setSubject(options.subject ?? 'idp-learner');
    if (options.issuer) jwt.setIssuer(options.issuer);
    if (options.audience) jwt.setAudience(options.audience);
    if (options.expiresAt !== null) jwt.setExpirationTime(options.expiresAt ?? now + 3600);
    return jwt.sign(this.privateKey);
  }

  /** Serves `{"keys": [...]}` with this provider's public key at the URL returned, and 503 at any other path. */
  async serveJwks(): Promise<string> {
    if (this.jwksUrl) return this.jwksUrl;
    const jwk = { ...(await exportJWK(this.publicKey)), kid: this.kid, alg: 'RS256', use: 'sig' };
    this.server = http.createServer((request, response) => {
      if (request.url !== '/.well-known/jwks.json') return response.writeHead(503).end();
      this.jwksRequests++;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.jwksUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
    return this.jwksUrl;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
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
