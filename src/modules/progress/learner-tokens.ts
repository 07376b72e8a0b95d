import { decodeProtectedHeader, importSPKI, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Config } from '../../config.js';
import { LRUCache } from 'lru-cache';
import { IdentityProviderUnavailable, remoteKeys } from './remote-keys.js';

const ISSUER = 'scorm-lens';
const audienceOf = (organizationId: number) => `scorm-lens:organization:${organizationId}`;
/** Every token must expire: one without an expiry would be good forever once leaked. */
const REQUIRED_CLAIMS = ['exp'];
/** A verified token is trusted again for this long, or until it expires if sooner. */
const VERIFIED_CACHE_MS = 5 * 60_000;

export interface Learner {
  organizationId: number;
  /** The token's subject: who the learner is, whatever the request body says. */
  userId: string;
  name: string | null;
}

export class LearnerTokenError extends Error {}

type Verifier = (token: string) => Promise<JWTPayload>;

/**
 * The `x-authenticated-user-token` of the progress API: JWTs whose subject is the learner id.
 * The service mints its own (HS256, bound to one organization); tokens of an external identity
 * provider are checked against its JWKS or public key when one is configured.
 */
export class LearnerTokens {
  /** Tokens already verified, until they expire (or five minutes): checking a signature on every call is costly. */
  private readonly verified = new LRUCache<string, Learner>({ max: 10_000, ttl: VERIFIED_CACHE_MS });

  private constructor(
    private readonly secret: Uint8Array,
    private readonly external: Verifier | undefined,
  ) {}

  /** `onKeysNotRefreshed` hears of each failed background refresh of the provider's JWKS. */
  static async create(secret: string, config: Config['learnerTokens'], onKeysNotRefreshed: (error: Error) => void): Promise<LearnerTokens> {
    let external: Verifier | undefined;
    const options = { issuer: config.issuer, audience: config.audience, requiredClaims: REQUIRED_CLAIMS };
    if (config.jwksUrl) {
      const keys = remoteKeys(new URL(config.jwksUrl), onKeysNotRefreshed);
      external = async (token) => (await jwtVerify(token, keys, options)).payload;
    } else if (config.publicKey) {
      const algorithm = config.publicKeyAlgorithm;
      const key = await importSPKI(config.publicKey, algorithm);
      external = async (token) => (await jwtVerify(token, key, { ...options, algorithms: [algorithm] })).payload;
    }
    return new LearnerTokens(new TextEncoder().encode(secret), external);
  }

  async mint(learner: Learner, expiresInSeconds: number): Promise<{ token: string; expiresAt: number }> {
    const expiresAt = Math.floor(Date.now() / 1000) + expiresInSeconds;
    const token = await new SignJWT(learner.name ? { name: learner.name } : {})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(learner.userId)
      .setIssuer(ISSUER)
      .setAudience(audienceOf(learner.organizationId))
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(this.secret);
    return { token, expiresAt: expiresAt * 1000 };
  }

  /** The learner a token names, for the organization of the API key it came with. */
  async verify(token: string, organizationId: number): Promise<Learner> {
    // Verified for another organization's key: verified anew (the service's own tokens are then refused).
    const cached = this.verified.get(token);
    if (cached?.organizationId === organizationId) return cached;
    let payload: JWTPayload;
    try {
      const ours = decodeProtectedHeader(token).alg === 'HS256';
      if (ours) {
        const options = { issuer: ISSUER, audience: audienceOf(organizationId), algorithms: ['HS256'], requiredClaims: REQUIRED_CLAIMS };
        payload = (await jwtVerify(token, this.secret, options)).payload;
      } else if (this.external) {
        payload = await this.external(token);
      } else {
        throw new LearnerTokenError('tokens of an external identity provider are not configured');
      }
    } catch (error) {
      if (error instanceof LearnerTokenError || error instanceof IdentityProviderUnavailable) throw error;
      throw new LearnerTokenError((error as Error).message);
    }
    // Learner ids are text: control characters (NUL breaks PostgreSQL text) are refused.
    if (!payload.sub || payload.sub.length > 256 || /[\u0000-\u001f\u007f]/.test(payload.sub)) {
      throw new LearnerTokenError('the token names no usable subject');
    }
    // A name that PostgreSQL text cannot hold is left out rather than refusing the learner.
    const name = typeof payload.name === 'string' && !payload.name.includes('\u0000') ? payload.name : null;
    const learner = { organizationId, userId: payload.sub, name };
    // Kept no longer than the token lives.
    this.verified.set(token, learner, { ttl: Math.max(1, Math.min(VERIFIED_CACHE_MS, payload.exp! * 1000 - Date.now())) });
    return learner;
  }
}
