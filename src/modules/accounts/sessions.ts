import { hash, randomBytes } from 'node:crypto';
import type { Db } from '../../infra/db/database.js';
import type { User } from '../../infra/db/schema.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { Principal } from './principal.js';
import { activeUser } from './service.js';

/** A panel session lasts a working day; then the user signs in again. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** Accounts one e-mail may sign in to (one per organization); each costs a password check. */
const MAX_ACCOUNTS_PER_EMAIL = 10;

const hashToken = (token: string) => hash('sha256', token, 'hex');

export interface SignedIn {
  principal: Principal;
  email: string;
  csrfToken: string;
}

/**
 * Admin panel sign-in sessions. The cookie holds a random token; the database holds its hash, the
 * user and the session's CSRF token. Roles are read on every request, so a role change, a
 * deactivated user or a deleted session takes effect at once.
 */
export class Sessions {
  /** Checked when the e-mail is unknown, so an unknown address takes as long as a wrong password. */
  private decoy: Promise<string> | undefined;

  constructor(private readonly db: Db) {}

  /**
   * The user with this e-mail and password, or undefined. An e-mail is unique within an
   * organization only: the password picks the account, the oldest first if several share it.
   */
  async verify(email: string, password: string): Promise<User | undefined> {
    const users = await this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.trim().toLowerCase())
      .where('password_hash', 'is not', null)
      .where(activeUser)
      .orderBy('id')
      .limit(MAX_ACCOUNTS_PER_EMAIL)
      .execute();
    if (users.length === 0) {
      this.decoy ??= hashPassword(randomBytes(16).toString('hex'));
      await verifyPassword(password, await this.decoy);
      return undefined;
    }
    for (const user of users) if (await verifyPassword(password, user.password_hash as string)) return user;
    return undefined;
  }

  /** Opens a session; the token goes in the cookie and is never stored. */
  async open(user: User, now = Date.now()): Promise<{ token: string; csrfToken: string }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    await this.db.deleteFrom('sessions').where('expires_at', '<', now).execute();
    await this.db
      .insertInto('sessions')
      .values({ id_hash: hashToken(token), user_id: user.id, csrf_token: csrfToken, created_at: now, expires_at: now + SESSION_TTL_MS })
      .execute();
    return { token, csrfToken };
  }

  async find(token: string, now = Date.now()): Promise<SignedIn | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .innerJoin('organizations', 'organizations.id', 'users.organization_id')
      .select([
        'sessions.csrf_token',
        'users.id as userId',
        'users.email',
        'users.role',
        'organizations.id as organizationId',
        'organizations.slug as organizationSlug',
      ])
      .where('sessions.id_hash', '=', hashToken(token))
      .where('sessions.expires_at', '>', now)
      .where(activeUser)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      principal: {
        userId: row.userId,
        organizationId: row.organizationId,
        organizationSlug: row.organizationSlug,
        role: row.role,
        apiKeyId: null,
        apiKeyName: null,
      },
      email: row.email,
      csrfToken: row.csrf_token,
    };
  }

  async close(token: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', hashToken(token)).execute();
  }
}
