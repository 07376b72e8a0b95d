import type { Db, Executor } from '../../infra/db/database.js';
import type { Webhook, WebhookAttempt, WebhookDelivery, WebhookDeliveryStatus } from '../../infra/db/schema.js';
import { activeUser } from '../accounts/service.js';

export type NewWebhook = Omit<Webhook, 'id'>;
export type WebhookPatch = Partial<Pick<Webhook, 'url' | 'event' | 'secret' | 'previous_secret' | 'previous_secret_expires_at' | 'enabled' | 'disabled_reason'>>;
export type NewDelivery = Omit<WebhookDelivery, 'id'>;

/** A claimed delivery with what it takes to send it. */
export interface DueDelivery extends WebhookDelivery {
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
}

/** Webhooks, their outbox of deliveries, and the log of every attempt. */
export class WebhooksRepository {
  constructor(private readonly db: Db) {}

  insert(webhook: NewWebhook): Promise<Webhook> {
    return this.db.insertInto('webhooks').values(webhook).returningAll().executeTakeFirstOrThrow();
  }

  find(organizationId: number, id: number): Promise<Webhook | undefined> {
    return this.db
      .selectFrom('webhooks')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  list(organizationId: number): Promise<Webhook[]> {
    return this.db
      .selectFrom('webhooks')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .where('deleted_at', 'is', null)
      .orderBy('id', 'desc')
      .execute();
  }

  update(id: number, patch: WebhookPatch, now: number, executor: Executor = this.db): Promise<Webhook> {
    return executor
      .updateTable('webhooks')
      .set({ ...patch, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Deletes a webhook (its delivery log is kept) and cancels what it still had to send. */
  async delete(id: number, now: number): Promise<void> {
    await this.db.transaction().execute((tx) => this.deleteWhere(tx, 'id', id, now));
  }

  /** Deletes every webhook of a user, as `delete` does, in the transaction that deletes the user. */
  deleteOwnedBy(executor: Executor, userId: number, now: number): Promise<void> {
    return this.deleteWhere(executor, 'user_id', userId, now);
  }

  private async deleteWhere(executor: Executor, column: 'id' | 'user_id', value: number, now: number): Promise<void> {
    const ids = await executor.selectFrom('webhooks').select('id').where(column, '=', value).where('deleted_at', 'is', null).execute();
    if (ids.length === 0) return;
    const webhookIds = ids.map((row) => row.id);
    await executor.updateTable('webhooks').set({ deleted_at: now, updated_at: now }).where('id', 'in', webhookIds).execute();
    await executor
      .updateTable('webhook_deliveries')
      .set({ status: 'cancelled', next_attempt_at: null, updated_at: now })
      .where('webhook_id', 'in', webhookIds)
      .where('status', '=', 'pending')
      .execute();
  }

  /**
   * The live, enabled webhooks an event of a file reaches: the webhooks of the organization's
   * active managers, and those of the file's owner while the owner is active. A deactivated user's
   * webhooks hear nothing until the user is reactivated.
   */
  subscribers(executor: Executor, organizationId: number, event: string, fileOwnerId: number): Promise<Webhook[]> {
    return executor
      .selectFrom('webhooks')
      .innerJoin('users', 'users.id', 'webhooks.user_id')
      .selectAll('webhooks')
      .where('webhooks.organization_id', '=', organizationId)
      .where('webhooks.event', '=', event)
      .where('webhooks.enabled', '=', 1)
      .where('webhooks.deleted_at', 'is', null)
      .where(activeUser)
      .where((eb) => eb.or([eb('users.role', '=', 'manager'), eb('webhooks.user_id', '=', fileOwnerId)]))
      .execute();
  }

  async insertDeliveries(deliveries: NewDelivery[], executor: Executor = this.db): Promise<WebhookDelivery[]> {
    if (deliveries.length === 0) return [];
    return executor.insertInto('webhook_deliveries').values(deliveries).returningAll().execute();
  }

  /**
   * Takes up to `limit` deliveries that are due, each held until `lockedUntil`. Every claim is a
   * conditional update, so two dispatchers never take the same delivery, on either database.
   */
  async claimDue(now: number, limit: number, lockedUntil: number): Promise<DueDelivery[]> {
    const candidates = await this.db
      .selectFrom('webhook_deliveries')
      .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
      .select('webhook_deliveries.id')
      .where('webhook_deliveries.status', '=', 'pending')
      .where('webhook_deliveries.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('webhook_deliveries.locked_until', 'is', null), eb('webhook_deliveries.locked_until', '<', now)]))
      .where('webhooks.enabled', '=', 1)
      .where('webhooks.deleted_at', 'is', null)
      .orderBy('webhook_deliveries.next_attempt_at')
      .limit(limit)
      .execute();
    const claimed: DueDelivery[] = [];
    for (const { id } of candidates) {
      const taken = await this.db
        .updateTable('webhook_deliveries')
        .set({ locked_until: lockedUntil })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) === 0) continue;
      const row = await this.db
        .selectFrom('webhook_deliveries')
        .innerJoin('webhooks', 'webhooks.id', 'webhook_deliveries.webhook_id')
        .selectAll('webhook_deliveries')
        .select(['webhooks.url', 'webhooks.secret', 'webhooks.previous_secret', 'webhooks.previous_secret_expires_at'])
        .where('webhook_deliveries.id', '=', id)
        .executeTakeFirstOrThrow();
      claimed.push(row);
    }
    return claimed;
  }

  /**
   * Logs an attempt and moves its delivery on, if this dispatcher still holds it. Returns false
   * when the hold had lapsed and another dispatcher took the delivery over.
   */
  async recordAttempt(
    delivery: Pick<WebhookDelivery, 'id' | 'locked_until'>,
    attempt: Omit<WebhookAttempt, 'id' | 'delivery_id'>,
    next: { status: WebhookDeliveryStatus; nextAttemptAt: number | null },
    now: number,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const moved = await tx
        .updateTable('webhook_deliveries')
        .set({
          status: next.status,
          attempts: attempt.attempt,
          next_attempt_at: next.nextAttemptAt,
          locked_until: null,
          last_status_code: attempt.status_code,
          updated_at: now,
        })
        .where('id', '=', delivery.id)
        .where('locked_until', '=', delivery.locked_until)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 0) return false;
      await tx.insertInto('webhook_attempts').values({ ...attempt, delivery_id: delivery.id }).execute();
      return true;
    });
  }

  async deliveryPage(webhookId: number, offset: number, limit: number): Promise<{ count: number; rows: WebhookDelivery[] }> {
    const base = this.db.selectFrom('webhook_deliveries').where('webhook_id', '=', webhookId);
    const [{ count }, rows] = await Promise.all([
      base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      base.selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute(),
    ]);
    return { count: Number(count), rows };
  }

  delivery(webhookId: number, id: number): Promise<WebhookDelivery | undefined> {
    return this.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).where('id', '=', id).executeTakeFirst();
  }

  attemptsOf(deliveryIds: number[]): Promise<WebhookAttempt[]> {
    if (deliveryIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('attempt').execute();
  }

  /** Puts a delivery back in line for an attempt now. */
  async resend(id: number, now: number): Promise<WebhookDelivery> {
    return this.db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', next_attempt_at: now, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
