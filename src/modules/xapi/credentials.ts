import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../infra/db/database.js';
import type { XapiCredential } from '../../infra/db/schema.js';
import { NotFoundError } from '../../http/errors.js';
import { LRUCache } from 'lru-cache';
import type { LrsPrincipal } from './principal.js';

/** How long a process trusts credentials it has checked: a revocation reaches other processes within this. */
const CREDENTIAL_CACHE_MS = 5_000;
const LAST_USED_RESOLUTION_MS = 60_000;

const KEY_PREFIX = 'lrs_';
const KEY_BYTES = 12;
const KEY_SHAPE = new RegExp(`^${KEY_PREFIX}[A-Za-z0-9_-]{${Math.ceil((KEY_BYTES * 4) / 3)}}$`);

const secretHash = (secret: string): string => hash('sha256', secret, 'hex');

/** The Basic credentials of xAPI clients (a course, an LMS, a reporting tool), per organization. */
export class XapiCredentialsService {
  private readonly principals = new LRUCache<string, LrsPrincipal>({ max: 10_000, ttl: CREDENTIAL_CACHE_MS });

  constructor(
    private readonly db: Db,
    private readonly publicUrl: string,
  ) {}

  /** Creates credentials; the secret is returned this once and only its hash is kept. */
  async create(organizationId: number, createdBy: number, name: string): Promise<{ credential: XapiCredential; secret: string }> {
    const secret = randomBytes(24).toString('base64url');
    const credential = await this.db
      .insertInto('xapi_credentials')
      .values({
        organization_id: organizationId,
        name,
        key: `${KEY_PREFIX}${randomBytes(KEY_BYTES).toString('base64url')}`,
        secret_hash: secretHash(secret),
        created_by: createdBy,
        created_at: Date.now(),
        last_used_at: null,
        revoked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { credential, secret };
  }

  list(organizationId: number): Promise<XapiCredential[]> {
    return this.db.selectFrom('xapi_credentials').selectAll().where('organization_id', '=', organizationId).orderBy('id', 'desc').execute();
  }

  async revoke(organizationId: number, credentialId: number): Promise<XapiCredential> {
    const existing = await this.db
      .selectFrom('xapi_credentials')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('id', '=', credentialId)
      .executeTakeFirst();
    if (!existing) throw new NotFoundError('xapi_credential_not_found', `LRS credential ${credentialId} was not found.`);
    if (existing.revoked_at !== null) return existing;
    this.principals.clear();
    return this.db
      .updateTable('xapi_credentials')
      .set({ revoked_at: Date.now() })
      .where('id', '=', credentialId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The caller behind Basic credentials, or undefined for unknown, wrong or revoked ones. */
  async authenticate(key: string, secret: string): Promise<LrsPrincipal | undefined> {
    // Every key this service issues has this shape; anything else (bytes a database rejects too) is unknown.
    if (!KEY_SHAPE.test(key)) return undefined;
    const cacheKey = `${key}\n${secretHash(secret)}`;
    const cached = this.principals.get(cacheKey);
    if (cached) return cached;
    const row = await this.db.selectFrom('xapi_credentials').selectAll().where('key', '=', key).where('revoked_at', 'is', null).executeTakeFirst();
    if (!row || !timingSafeEqual(Buffer.from(row.secret_hash), Buffer.from(secretHash(secret)))) return undefined;
    const now = Date.now();
    if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_RESOLUTION_MS) {
      await this.db.updateTable('xapi_credentials').set({ last_used_at: now }).where('id', '=', row.id).execute();
    }
    const principal: LrsPrincipal = {
      organizationId: row.organization_id,
      credentialId: row.id,
      authority: { objectType: 'Agent', name: row.name, account: { homePage: this.publicUrl, name: row.key } },
    };
    this.principals.set(cacheKey, principal);
    return principal;
  }
}
