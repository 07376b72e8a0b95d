import { hash, randomBytes } from 'node:crypto';
import type { Db, Executor } from '../../infra/db/database.js';
import { isUniqueViolation } from '../../infra/db/database.js';
import type { ApiKey, Organization, User, UserRole } from '../../infra/db/schema.js';
import { ConflictError, NotFoundError } from '../../http/errors.js';
import { LRUCache } from 'lru-cache';
import { hashPassword } from './passwords.js';
import type { Principal } from './principal.js';

const LAST_USED_RESOLUTION_MS = 60_000;
/** How long a process trusts a key it has checked: a revocation reaches other processes within this. */
const KEY_CACHE_MS = 5_000;

export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}

export function generateApiKey(): string {
  return `sl_${randomBytes(24).toString('base64url')}`;
}

/** What a key list shows of a key: enough to recognise it, never enough to use it. */
export function apiKeyPrefix(key: string): string {
  return key.slice(0, 10);
}

function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return slug || 'organization';
}

/** Organizations, their users and the users' API keys. */
export class AccountsService {
  private readonly principals = new LRUCache<string, Principal>({ max: 10_000, ttl: KEY_CACHE_MS });

  constructor(private readonly db: Db) {}

  async createOrganization(name: string, executor: Executor = this.db): Promise<Organization> {
    const base = slugify(name);
    for (let n = 1; ; n++) {
      const slug = n === 1 ? base : `${base}-${n}`;
      const taken = await executor.selectFrom('organizations').select('id').where('slug', '=', slug).executeTakeFirst();
      if (taken) continue;
      return executor
        .insertInto('organizations')
        .values({ name, slug, created_at: Date.now() })
        .returningAll()
        .executeTakeFirstOrThrow();
    }
  }

  async createUser(
    input: { organizationId: number; email: string; role: UserRole; password?: string },
    executor: Executor = this.db,
  ): Promise<User> {
    const email = input.email.trim().toLowerCase();
    try {
      return await executor
        .insertInto('users')
        .values({
          organization_id: input.organizationId,
          email,
          role: input.role,
          password_hash: input.password === undefined ? null : await hashPassword(input.password),
          created_at: Date.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('email_taken', `A user with e-mail ${email} already exists.`);
      throw error;
    }
  }

  listUsers(organizationId: number): Promise<User[]> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .orderBy('id')
      .execute();
  }

  async getUser(organizationId: number, userId: number): Promise<User> {
    const user = await this.db
      .selectFrom('users')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!user) throw new NotFoundError('user_not_found', `User ${userId} was not found.`);
    return user;
  }

  async updateUserRole(organizationId: number, userId: number, role: UserRole): Promise<User> {
    await this.getUser(organizationId, userId);
    this.principals.clear();
    return this.db
      .updateTable('users')
      .set({ role })
      .where('id', '=', userId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Creates a key for a user; the plain key is returned this once and only its hash is kept. */
  async createApiKey(
    input: { organizationId: number; userId: number; name: string; key?: string },
    executor: Executor = this.db,
  ): Promise<{ apiKey: ApiKey; key: string }> {
    const key = input.key ?? generateApiKey();
    const apiKey = await executor
      .insertInto('api_keys')
      .values({
        organization_id: input.organizationId,
        user_id: input.userId,
        name: input.name,
        prefix: apiKeyPrefix(key),
        key_hash: hashApiKey(key),
        created_at: Date.now(),
        last_used_at: null,
        revoked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new ConflictError('api_key_taken', 'That API key is already in use.');
        throw error;
      });
    return { apiKey, key };
  }

  listApiKeys(organizationId: number): Promise<ApiKey[]> {
    return this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .orderBy('id', 'desc')
      .execute();
  }

  async revokeApiKey(organizationId: number, apiKeyId: number): Promise<ApiKey> {
    const revoked = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: Date.now() })
      .where('organization_id', '=', organizationId)
      .where('id', '=', apiKeyId)
      .where('revoked_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (revoked) {
      this.principals.delete(revoked.key_hash);
      return revoked;
    }
    const existing = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('id', '=', apiKeyId)
      .executeTakeFirst();
    if (!existing) throw new NotFoundError('api_key_not_found', `API key ${apiKeyId} was not found.`);
    return existing;
  }

  /** The principal behind a key, or undefined for an unknown or revoked key. */
  async authenticate(key: string): Promise<Principal | undefined> {
    const keyHash = hashApiKey(key);
    const cached = this.principals.get(keyHash);
    if (cached) return cached;
    const row = await this.db
      .selectFrom('api_keys')
      .innerJoin('users', 'users.id', 'api_keys.user_id')
      .innerJoin('organizations', 'organizations.id', 'api_keys.organization_id')
      .select([
        'api_keys.id as apiKeyId',
        'api_keys.name as apiKeyName',
        'api_keys.last_used_at as lastUsedAt',
        'users.id as userId',
        'users.role as role',
        'organizations.id as organizationId',
        'organizations.slug as organizationSlug',
      ])
      .where('api_keys.key_hash', '=', keyHash)
      .where('api_keys.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    const now = Date.now();
    // Recorded to the minute: a write per request would make every read a write.
    if (row.lastUsedAt === null || now - row.lastUsedAt >= LAST_USED_RESOLUTION_MS) {
      await this.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.apiKeyId).execute();
    }
    const principal: Principal = {
      userId: row.userId,
      organizationId: row.organizationId,
      organizationSlug: row.organizationSlug,
      role: row.role,
      apiKeyId: row.apiKeyId,
      apiKeyName: row.apiKeyName,
    };
    this.principals.set(keyHash, principal);
    return principal;
  }
}
