import { hash, randomBytes } from 'node:crypto';
import type { Db } from '../../infra/db/database.js';
import type { User } from '../../infra/db/schema.js';
import { AppError, ConflictError } from '../../http/errors.js';
import { activeUser, isActive, type AccountsService } from './service.js';

const hashToken = (token: string) => hash('sha256', token, 'hex');

/** Where a reset link leads: the panel's page that sets the new password. */
export const RESET_PATH = '/admin/reset-password/';

export interface IssuedReset {
  user: User;
  url: string;
  expiresAt: number;
}

/** A link that is unknown, used, expired, or whose user was deactivated since: all look alike. */
export class ResetLinkInvalidError extends AppError {
  constructor() {
    super(410, 'reset_link_invalid', 'This password-reset link has expired or was already used. Ask a manager of your organization for a new one.');
  }
}

/**
 * Single-use password-reset links. The link carries a random token; the database keeps only its
 * hash, the user and when it expires. A new link replaces the user's unused ones.
 */
export class PasswordResets {
  constructor(
    private readonly db: Db,
    private readonly accounts: AccountsService,
    private readonly options: { publicUrl: string; ttlMs: number },
  ) {}

  async issue(organizationId: number, userId: number, now = Date.now()): Promise<IssuedReset> {
    const user = await this.accounts.getUser(organizationId, userId);
    if (!isActive(user)) throw new ConflictError('user_deactivated', 'Reactivate the user before giving them a password-reset link.');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + this.options.ttlMs;
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('password_resets').where('user_id', '=', user.id).where('used_at', 'is', null).execute();
      await tx
        .insertInto('password_resets')
        .values({ organization_id: organizationId, user_id: user.id, token_hash: hashToken(token), expires_at: expiresAt, used_at: null, created_at: now })
        .execute();
    });
    return { user, url: `${this.options.publicUrl}${RESET_PATH}${token}`, expiresAt };
  }

  /** The user a usable link is for, or undefined; looking does not use the link up. */
  find(token: string, now = Date.now()): Promise<{ id: number; user_id: number; email: string } | undefined> {
    return this.db
      .selectFrom('password_resets')
      .innerJoin('users', 'users.id', 'password_resets.user_id')
      .select(['password_resets.id', 'password_resets.user_id', 'users.email'])
      .where('password_resets.token_hash', '=', hashToken(token))
      .where('password_resets.used_at', 'is', null)
      .where('password_resets.expires_at', '>', now)
      .where(activeUser)
      .executeTakeFirst();
  }

  /** Sets the new password and uses the link up, both or neither. */
  async redeem(token: string, password: string, now = Date.now()): Promise<{ email: string }> {
    const reset = await this.find(token, now);
    if (!reset) throw new ResetLinkInvalidError();
    await this.accounts.setPassword(reset.user_id, password, async (tx) => {
      // Conditional, so of two uses at once only one sets the password.
      const used = await tx
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('id', '=', reset.id)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) === 0) throw new ResetLinkInvalidError();
    });
    return { email: reset.email };
  }
}
