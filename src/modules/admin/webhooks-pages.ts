import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LensApp } from '../../app.js';
import type { AdminDeps } from './deps.js';
import { BadRequestError } from '../../http/errors.js';
import { readPage } from '../../http/pagination.js';
import { pathIds } from '../../http/schemas.js';
import type { Webhook } from '../../infra/db/schema.js';
import type { SignedIn } from '../accounts/sessions.js';
import { WEBHOOK_EVENTS, type WebhookEvent } from '../webhooks/service.js';
import { html, when, type Html } from '../../http/html.js';
import { csrfField, doneNotice, sendPage, userOptions, pager, postButton, secretBox, type Notice } from './layout.js';
import { formError, formOf, managerSession } from './requests.js';

const DELIVERIES_PER_PAGE = 20;

const DONE: Record<string, Notice> = {
  updated: { kind: 'success', text: 'The webhook was saved.' },
  enabled: { kind: 'success', text: 'The webhook is enabled: new events are delivered to it.' },
  disabled: { kind: 'success', text: 'The webhook is disabled: nothing is delivered to it until it is enabled.' },
  tested: { kind: 'success', text: 'A test event is on its way; it appears in the delivery log below.' },
  resent: { kind: 'success', text: 'The delivery is queued again, with the same webhook-id.' },
  deleted: { kind: 'success', text: 'The webhook was deleted; its pending deliveries were cancelled.' },
};

function eventOf(raw: string | undefined): WebhookEvent {
  const event = WEBHOOK_EVENTS.find((e) => e === raw);
  if (!event) throw new BadRequestError('webhook_event_invalid', `Choose an event: ${WEBHOOK_EVENTS.join(', ')}.`);
  return event;
}

const eventOptions = (selected: string) => WEBHOOK_EVENTS.map((e) => html`<option value="${e}" ${e === selected ? 'selected' : ''}>${e}</option>`);

const stateBadge = (webhook: Webhook) =>
  webhook.enabled === 1 ? html`<span class="badge completed">Enabled</span>` : html`<span class="badge failed">Disabled</span>`;

/** Webhooks: create (secret shown once), edit, disable, rotate, test, delete; each one's delivery log with resend. */
export async function webhooksPages(app: LensApp, deps: AdminDeps): Promise<void> {
  const { webhooks, accounts } = deps;

  async function listPage(reply: FastifyReply, session: SignedIn, options: { notice?: Notice; status?: number; url?: string }) {
    const organizationId = session.principal.organizationId;
    const [hooks, users] = await Promise.all([webhooks.list(organizationId), accounts.listUsers(organizationId)]);
    const emails = new Map(users.map((u) => [u.id, u.email]));
    return sendPage(reply, {
      status: options.status,
      title: 'Webhooks',
      session,
      section: 'webhooks',
      notice: options.notice,
      body: html`
        <form class="card" method="post" action="/admin/webhooks">
          <h2>New webhook</h2>
          ${csrfField(session)}
          <div class="fields">
            <div class="wide"><label for="hook-url">Endpoint URL</label><input id="hook-url" name="url" type="url" required maxlength="2000" placeholder="https://example.com/scorm-lens" value="${options.url ?? ''}"></div>
            <div><label for="hook-event">Event</label><select id="hook-event" name="event">${eventOptions(WEBHOOK_EVENTS[0])}</select></div>
            <div><label for="hook-owner">Owner</label><select id="hook-owner" name="owner">
              ${userOptions(users, session.principal.userId)}
            </select></div>
            <div class="actions"><button type="submit">Add webhook</button></div>
          </div>
          <p class="muted small">A manager's webhook hears about every file of the organization; a member's only about that member's files.
          Deliveries are signed (Standard Webhooks); the secret is shown once, after you add the webhook.</p>
        </form>
        ${
          hooks.length
            ? html`<div class="table-wrap"><table>
                <thead><tr><th scope="col">Endpoint</th><th scope="col">Event</th><th scope="col">Owner</th><th scope="col">State</th><th scope="col">Created</th></tr></thead>
                <tbody>${hooks.map(
                  (hook) => html`<tr>
                    <td class="break"><a href="/admin/webhooks/${hook.id}">${hook.url}</a></td>
                    <td>${hook.event}</td>
                    <td>${emails.get(hook.user_id) ?? hook.user_id}</td>
                    <td>${stateBadge(hook)}${hook.disabled_reason ? html`<br><span class="small">${hook.disabled_reason}</span>` : ''}</td>
                    <td>${when(hook.created_at)}</td>
                  </tr>`,
                )}</tbody>
              </table></div>`
            : html`<div class="empty"><p>No webhooks yet. Add one to hear when extractions finish.</p></div>`
        }`,
    });
  }

  async function detailPage(
    reply: FastifyReply,
    session: SignedIn,
    id: number,
    options: { notice?: Notice; secret?: Html; status?: number; page?: string },
  ) {
    const organizationId = session.principal.organizationId;
    const hook = await webhooks.get(organizationId, id);
    const page = readPage({ page: options.page, page_size: String(DELIVERIES_PER_PAGE) });
    const [owner, log] = await Promise.all([
      accounts.getUser(organizationId, hook.user_id),
      webhooks.deliveries(hook, page.offset, page.pageSize),
    ]);
    const base = `/admin/webhooks/${hook.id}`;
    const previousSecret = hook.previous_secret && hook.previous_secret_expires_at !== null && hook.previous_secret_expires_at > Date.now();
    return sendPage(reply, {
      status: options.status,
      title: 'Webhook',
      session,
      section: 'webhooks',
      notice: options.notice,
      body: html`
        <p><a href="/admin/webhooks">← All webhooks</a></p>
        ${options.secret ?? ''}
        ${hook.enabled === 0 && hook.disabled_reason ? html`<div class="notice error" role="alert">Disabled by the service: ${hook.disabled_reason} Enable it once the endpoint works again.</div>` : ''}
        <dl class="facts">
          <dt>Endpoint</dt><dd class="break">${hook.url}</dd>
          <dt>Event</dt><dd>${hook.event}</dd>
          <dt>Owner</dt><dd>${owner.email} (${owner.role})</dd>
          <dt>State</dt><dd>${stateBadge(hook)}</dd>
          ${previousSecret ? html`<dt>Previous secret</dt><dd>still signs until ${when(hook.previous_secret_expires_at)}</dd>` : ''}
        </dl>
        <div class="button-row">
          ${hook.enabled === 1 ? postButton(session, `${base}/test`, 'Send test event') : ''}
          ${postButton(session, `${base}/enabled`, hook.enabled === 1 ? 'Disable' : 'Enable', { fields: { enabled: hook.enabled === 1 ? '0' : '1' } })}
          ${postButton(session, `${base}/rotate-secret`, 'Rotate secret', { confirm: 'Make a new secret? The old one keeps signing for 24 hours.' })}
          ${postButton(session, `${base}/delete`, 'Delete', { kind: 'danger', confirm: 'Delete this webhook? Pending deliveries are cancelled.' })}
        </div>
        <form class="card" method="post" action="${base}">
          <h2>Edit</h2>
          ${csrfField(session)}
          <div class="fields">
            <div class="wide"><label for="edit-url">Endpoint URL</label><input id="edit-url" name="url" type="url" required maxlength="2000" value="${hook.url}"></div>
            <div><label for="edit-event">Event</label><select id="edit-event" name="event">${eventOptions(hook.event)}</select></div>
            <div class="actions"><button type="submit">Save</button></div>
          </div>
        </form>
        <h2>Deliveries</h2>
        ${
          log.rows.length
            ? html`<div class="table-wrap"><table>
                <thead><tr><th scope="col">Time</th><th scope="col">Status</th><th scope="col">Code</th><th scope="col">Attempts</th><th scope="col">Duration</th><th scope="col">Response</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                <tbody>${log.rows.map((delivery) => {
                  const last = delivery.attemptLog.at(-1);
                  return html`<tr>
                    <td>${when(delivery.created_at)}<br><code class="small">${delivery.event_id}</code></td>
                    <td><span class="badge delivery-${delivery.status}">${delivery.status}</span>${
                      delivery.status === 'pending' && delivery.next_attempt_at !== null ? html`<br><span class="small">next ${when(delivery.next_attempt_at)}</span>` : ''
                    }</td>
                    <td>${delivery.last_status_code ?? (last?.error ? 'error' : '–')}</td>
                    <td>${delivery.attempts}</td>
                    <td>${last ? `${last.duration_ms} ms` : '–'}</td>
                    <td>${last ? html`<details><summary>Attempt ${last.attempt}</summary>${last.error ? html`<p>${last.error}</p>` : ''}<pre>${last.response_excerpt ?? ''}</pre></details>` : ''}</td>
                    <td>${hook.enabled === 1 ? postButton(session, `${base}/deliveries/${delivery.id}/resend`, 'Resend') : ''}</td>
                  </tr>`;
                })}</tbody>
              </table></div>
              ${pager(base, {}, page.page, page.pageSize, log.count)}`
            : html`<div class="empty"><p>No deliveries yet. Send a test event to see one.</p></div>`
        }`,
    });
  }

  app.get('/webhooks', async (request: FastifyRequest<{ Querystring: { done?: string } }>, reply) =>
    listPage(reply, managerSession(request), { notice: doneNotice(request.query.done, DONE) }),
  );

  app.post('/webhooks', async (request, reply) => {
    const session = managerSession(request);
    const form = formOf(request);
    const url = (form.url ?? '').trim();
    try {
      const hook = await webhooks.create(session.principal.organizationId, {
        url,
        event: eventOf(form.event),
        ownerId: pathIds.user(form.owner ?? ''),
      });
      const secret = secretBox('Signing secret:', hook.secret, 'Copy it now into your receiver: it is shown this once.');
      return await detailPage(reply, session, hook.id, { secret, status: 201 });
    } catch (error) {
      return listPage(reply, session, { ...formError(error), url });
    }
  });

  app.get('/webhooks/:id', async (request: FastifyRequest<{ Params: { id: string }; Querystring: { done?: string; page?: string } }>, reply) =>
    detailPage(reply, managerSession(request), pathIds.webhook(request.params.id), {
      notice: doneNotice(request.query.done, DONE),
      page: request.query.page,
    }),
  );

  app.post('/webhooks/:id', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const session = managerSession(request);
    const id = pathIds.webhook(request.params.id);
    const form = formOf(request);
    try {
      await webhooks.update(session.principal.organizationId, id, { url: (form.url ?? '').trim(), event: eventOf(form.event) });
      return reply.redirect(`/admin/webhooks/${id}?done=updated`, 303);
    } catch (error) {
      return detailPage(reply, session, id, formError(error));
    }
  });

  app.post('/webhooks/:id/enabled', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const session = managerSession(request);
    const id = pathIds.webhook(request.params.id);
    const enabled = formOf(request).enabled === '1';
    await webhooks.update(session.principal.organizationId, id, { enabled });
    return reply.redirect(`/admin/webhooks/${id}?done=${enabled ? 'enabled' : 'disabled'}`, 303);
  });

  app.post('/webhooks/:id/rotate-secret', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const session = managerSession(request);
    const hook = await webhooks.rotateSecret(session.principal.organizationId, pathIds.webhook(request.params.id));
    const secret = secretBox('New signing secret:', hook.secret, 'Copy it now: it is shown this once. The previous secret keeps signing for 24 hours.');
    return detailPage(reply, session, hook.id, { secret });
  });

  app.post('/webhooks/:id/test', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const session = managerSession(request);
    const id = pathIds.webhook(request.params.id);
    await webhooks.sendTest(session.principal.organizationId, id);
    return reply.redirect(`/admin/webhooks/${id}?done=tested`, 303);
  });

  app.post('/webhooks/:id/delete', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const session = managerSession(request);
    await webhooks.delete(session.principal.organizationId, pathIds.webhook(request.params.id));
    return reply.redirect('/admin/webhooks?done=deleted', 303);
  });

  app.post(
    '/webhooks/:id/deliveries/:deliveryId/resend',
    async (request: FastifyRequest<{ Params: { id: string; deliveryId: string } }>, reply) => {
      const session = managerSession(request);
      const id = pathIds.webhook(request.params.id);
      await webhooks.resend(session.principal.organizationId, id, pathIds.delivery(request.params.deliveryId));
      return reply.redirect(`/admin/webhooks/${id}?done=resent`, 303);
    },
  );
}
