import { hash, randomBytes } from 'node:crypto';
import type { Db, Executor } from '../../infra/db/database.js';
import { isUniqueViolation } from '../../infra/db/database.js';
import type { ExpressionBuilder } from 'kysely';
import type { ApiKey, Database, Organization, User, UserRole } from '../../infra/db/schema.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../http/errors.js';
import { LRUCache } from 'lru-cache';
import { checkPassword, hashPassword, verifyPassword } from './passwords.js';
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

/** The shape of an e-mail address a user can be given, wherever it is typed (panel, command line). */
export const isEmail = (email: string): boolean => email.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email);

/** A user who is neither deactivated nor deleted: who signs in, whose keys work, whose webhooks hear. */
export const isActive = (user: Pick<User, 'deactivated_at' | 'deleted_at'>): boolean => user.deactivated_at === null && user.deleted_at === null;

/** The same rule in a query that reads users. */
export const activeUser = (eb: ExpressionBuilder<Database, 'users'>) => eb.and([eb('users.deactivated_at', 'is', null), eb('users.deleted_at', 'is', null)]);

export interface UserPatch {
  role?: UserRole;
  active?: boolean;
}

/** An organization as `orgs list` shows it. */
export interface OrganizationSummary {
  id: number;
  name: string;
  slug: string;
  created_at: number;
  users: number;
}

/** What other modules do when a user is deleted, in the same transaction (their webhooks go too). */
export type UserDeletedHook = (executor: Executor, userId: number, now: number) => Promise<void>;

/** Organizations, their users and the users' API keys. */
export class AccountsService {
  private readonly principals = new LRUCache<string, Principal>({ max: 10_000, ttl: KEY_CACHE_MS });
  /** Moves on each change that can end a key: a check that read the database before it caches nothing. */
  private keyChanges = 0;

  constructor(
    private readonly db: Db,
    private readonly userDeleted: UserDeletedHook = async () => {},
  ) {}

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
    if (input.password !== undefined) checkPassword(input.password);
    try {
      return await executor
        .insertInto('users')
        .values({
          organization_id: input.organizationId,
          email,
          role: input.role,
          password_hash: input.password === undefined ? null : await hashPassword(input.password),
          created_at: Date.now(),
          deactivated_at: null,
          deleted_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('email_taken', `A user with e-mail ${email} already exists.`);
      throw error;
    }
  }

  /** The organizations with how many users each has (deleted ones not counted), oldest first. */
  async listOrganizations(): Promise<OrganizationSummary[]> {
    const rows = await this.db
      .selectFrom('organizations')
      .leftJoin('users', (join) => join.onRef('users.organization_id', '=', 'organizations.id').on('users.deleted_at', 'is', null))
      .select((eb) => [
        'organizations.id',
        'organizations.name',
        'organizations.slug',
        'organizations.created_at',
        eb.fn.count<number | string>('users.id').as('users'),
      ])
      .groupBy(['organizations.id', 'organizations.name', 'organizations.slug', 'organizations.created_at'])
      .orderBy('organizations.id')
      .execute();
    return rows.map((row) => ({ ...row, users: Number(row.users) }));
  }

  listUsers(organizationId: number): Promise<User[]> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('deleted_at', 'is', null)
      .orderBy('id')
      .execute();
  }

  /** Active users with this e-mail, across organizations (an e-mail is unique within one only). */
  usersByEmail(email: string): Promise<(User & { organization_name: string; organization_slug: string })[]> {
    return this.db
      .selectFrom('users')
      .innerJoin('organizations', 'organizations.id', 'users.organization_id')
      .selectAll('users')
      .select(['organizations.name as organization_name', 'organizations.slug as organization_slug'])
      .where('users.email', '=', email.trim().toLowerCase())
      .where(activeUser)
      .orderBy('users.id')
      .execute();
  }

  async getUser(organizationId: number, userId: number, executor: Executor = this.db): Promise<User> {
    const user = await executor
      .selectFrom('users')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('id', '=', userId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!user) throw new NotFoundError('user_not_found', `User ${userId} was not found.`);
    return user;
  }

  updateUserRole(organizationId: number, userId: number, role: UserRole): Promise<User> {
    return this.updateUser(organizationId, userId, { role });
  }

  /**
   * Changes a user's role, or deactivates or reactivates them. A deactivated user's keys stop
   * working at once (in other processes within the key cache's few seconds) and their panel
   * sessions end; reactivation brings the keys back. The last active manager stays one.
   */
  async updateUser(organizationId: number, userId: number, patch: UserPatch): Promise<User> {
    const updated = await this.db.transaction().execute(async (tx) => {
      const user = await this.lockedUser(tx, organizationId, userId);
      const role = patch.role ?? user.role;
      const active = patch.active ?? user.deactivated_at === null;
      if (user.role === 'manager' && user.deactivated_at === null && (role !== 'manager' || !active)) {
        await this.keepAManager(tx, organizationId, userId);
      }
      const now = Date.now();
      if (!active) await this.endSessions(tx, userId);
      return tx
        .updateTable('users')
        .set({ role, deactivated_at: active ? null : (user.deactivated_at ?? now) })
        .where('id', '=', userId)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    this.forgetPrincipals();
    return updated;
  }

  /**
   * Deletes a user: their keys are revoked, their sessions and reset links end, their webhooks are
   * deleted; their files stay with the organization. The last active manager cannot be deleted.
   */
  async deleteUser(organizationId: number, userId: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const user = await this.lockedUser(tx, organizationId, userId);
      if (user.role === 'manager' && user.deactivated_at === null) await this.keepAManager(tx, organizationId, userId);
      const now = Date.now();
      await this.endSessions(tx, userId);
      await tx.updateTable('api_keys').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
      await tx.updateTable('users').set({ deleted_at: now }).where('id', '=', userId).execute();
      await this.userDeleted(tx, userId, now);
    });
    this.forgetPrincipals();
  }

  /**
   * A user of the organization, read after taking the organization's row lock: changes that could
   * leave it without a manager run one at a time (PostgreSQL; SQLite has one writer anyway).
   */
  private async lockedUser(tx: Executor, organizationId: number, userId: number): Promise<User> {
    await tx
      .updateTable('organizations')
      .set((eb) => ({ name: eb.ref('name') }))
      .where('id', '=', organizationId)
      .execute();
    return this.getUser(organizationId, userId, tx);
  }

  private async keepAManager(tx: Executor, organizationId: number, userId: number): Promise<void> {
    const other = await tx
      .selectFrom('users')
      .select('id')
      .where('organization_id', '=', organizationId)
      .where('role', '=', 'manager')
      .where('id', '<>', userId)
      .where(activeUser)
      .limit(1)
      .executeTakeFirst();
    if (!other) {
      throw new ConflictError('last_manager', 'This is the last active manager of the organization: make another user a manager first.');
    }
  }

  /** Panel sessions and unused reset links of a user end together. */
  private async endSessions(tx: Executor, userId: number): Promise<void> {
    await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await tx.deleteFrom('password_resets').where('user_id', '=', userId).where('used_at', 'is', null).execute();
  }

  /**
   * Sets a user's password for the panel. From the API, the current password is needed when there
   * is one: a key alone cannot take over the account's panel sign-in.
   */
  async changeOwnPassword(principal: Principal, input: { password: string; currentPassword?: string | undefined }): Promise<void> {
    const user = await this.getUser(principal.organizationId, principal.userId);
    if (user.password_hash !== null && !(await verifyPassword(input.currentPassword ?? '', user.password_hash))) {
      throw new ForbiddenError('current_password_incorrect', 'current_password does not match your password.');
    }
    await this.setPassword(user.id, input.password);
  }

  /**
   * Sets a user's password; their panel sessions and unused reset links end. `claim` runs first in
   * the same transaction (a reset link is used up there), and may refuse by throwing.
   */
  async setPassword(userId: number, password: string, claim?: (tx: Executor) => Promise<void>): Promise<void> {
    checkPassword(password);
    const passwordHash = await hashPassword(password);
    await this.db.transaction().execute(async (tx) => {
      await claim?.(tx);
      await tx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
      await this.endSessions(tx, userId);
    });
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

  /** The organization's keys, newest first, each with its owner's e-mail (a deleted owner's too). */
  listApiKeys(organizationId: number): Promise<(ApiKey & { owner_email: string })[]> {
    return this.db
      .selectFrom('api_keys')
      .innerJoin('users', 'users.id', 'api_keys.user_id')
      .selectAll('api_keys')
      .select('users.email as owner_email')
      .where('api_keys.organization_id', '=', organizationId)
      .orderBy('api_keys.id', 'desc')
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
      this.forgetPrincipals();
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

  private forgetPrincipals(): void {
    this.keyChanges += 1;
    this.principals.clear();
  }

  /** The principal behind a key, or undefined for an unknown or revoked key, or one of a deactivated user. */
  async authenticate(key: string): Promise<Principal | undefined> {
    const keyHash = hashApiKey(key);
    const cached = this.principals.get(keyHash);
    if (cached) return cached;
    const changesBefore = this.keyChanges;
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
      .where(activeUser)
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
    if (this.keyChanges === changesBefore) this.principals.set(keyHash, principal);
    return principal;
  }
}
