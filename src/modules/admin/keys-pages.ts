import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LensApp } from '../../app.js';
import type { AdminDeps } from './deps.js';
import { BadRequestError } from '../../http/errors.js';
import { pathIds } from '../../http/schemas.js';
import type { SignedIn } from '../accounts/sessions.js';
import { html, when, type Html } from '../../http/html.js';
import { csrfField, doneNotice, sendPage, userOptions, postButton, secretBox, type Notice } from './layout.js';
import { formError, formOf, managerSession } from './requests.js';

const DONE: Record<string, Notice> = { revoked: { kind: 'success', text: 'The key was revoked: calls with it are refused from now on.' } };

/** API keys of the organization: create one for an owner (shown once), see when each was used, revoke. */
export async function keysPages(app: LensApp, deps: AdminDeps): Promise<void> {
  const { accounts } = deps;

  async function page(reply: FastifyReply, session: SignedIn, options: { notice?: Notice; created?: Html; status?: number; name?: string }) {
    const organizationId = session.principal.organizationId;
    const [keys, users] = await Promise.all([accounts.listApiKeys(organizationId), accounts.listUsers(organizationId)]);
    return sendPage(reply, {
      status: options.status,
      title: 'API keys',
      session,
      section: 'keys',
      notice: options.notice,
      body: html`
        ${options.created ?? ''}
        <form class="card" method="post" action="/admin/keys">
          <h2>New key</h2>
          ${csrfField(session)}
          <div class="fields">
            <div><label for="key-name">Name</label><input id="key-name" name="name" required maxlength="100" value="${options.name ?? ''}" placeholder="e.g. LMS sync"></div>
            <div><label for="key-owner">Owner</label><select id="key-owner" name="user">
              ${userOptions(users, session.principal.userId)}
            </select></div>
            <div class="actions"><button type="submit">Create key</button></div>
          </div>
          <p class="muted small">A key acts with its owner's role: a member's key sees only that member's files.</p>
        </form>
        ${
          keys.length
            ? html`<div class="table-wrap"><table>
                <thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Owner</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
                <tbody>${keys.map(
                  (key) => html`<tr class="${key.revoked_at !== null ? 'revoked' : ''}">
                    <td>${key.name}</td>
                    <td><code>${key.prefix}…</code></td>
                    <td>${key.owner_email}</td>
                    <td>${when(key.created_at)}</td>
                    <td>${when(key.last_used_at)}</td>
                    <td>${
                      key.revoked_at !== null
                        ? html`<span class="badge failed">Revoked</span>`
                        : postButton(session, `/admin/keys/${key.id}/revoke`, 'Revoke', { kind: 'danger', confirm: `Revoke the key "${key.name}"? Calls with it will be refused.` })
                    }</td>
                  </tr>`,
                )}</tbody>
              </table></div>`
            : html`<div class="empty"><p>No API keys yet. Create one above to call the API.</p></div>`
        }`,
    });
  }

  app.get('/keys', async (request: FastifyRequest<{ Querystring: { done?: string } }>, reply) =>
    page(reply, managerSession(request), { notice: doneNotice(request.query.done, DONE) }),
  );

  app.post('/keys', async (request, reply) => {
    const session = managerSession(request);
    const form = formOf(request);
    const name = (form.name ?? '').trim();
    try {
      if (!name || name.length > 100) throw new BadRequestError('api_key_name_invalid', 'Give the key a name of 1 to 100 characters.');
      const owner = await accounts.getUser(session.principal.organizationId, pathIds.user(form.user ?? ''));
      const { key } = await accounts.createApiKey({ organizationId: session.principal.organizationId, userId: owner.id, name });
      const created = secretBox(`Key "${name}" for ${owner.email}:`, key, 'Copy it now: it is shown this once and only its hash is kept.');
      return await page(reply, session, { created, status: 201 });
    } catch (error) {
      return page(reply, session, { ...formError(error), name });
    }
  });

  app.post('/keys/:id/revoke', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const session = managerSession(request);
    await accounts.revokeApiKey(session.principal.organizationId, pathIds.apiKey(request.params.id));
    return reply.redirect('/admin/keys?done=revoked', 303);
  });
}
