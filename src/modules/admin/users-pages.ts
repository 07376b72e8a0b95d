import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LensApp } from '../../app.js';
import type { AdminDeps } from './deps.js';
import { BadRequestError, ConflictError } from '../../http/errors.js';
import { pathIds } from '../../http/schemas.js';
import type { User, UserRole } from '../../infra/db/schema.js';
import type { SignedIn } from '../accounts/sessions.js';
import { isEmail } from '../accounts/service.js';
import { checkPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../accounts/passwords.js';
import { html, when, type Html } from '../../http/html.js';
import { csrfField, doneNotice, postButton, sendPage, secretBox, type Notice } from './layout.js';
import { formError, formOf, managerSession } from './requests.js';

const ROLES: UserRole[] = ['manager', 'member'];
const DONE: Record<string, Notice> = {
  role: { kind: 'success', text: 'The role was changed; it applies at once, to the user\'s keys too.' },
  deactivated: { kind: 'success', text: 'The user was deactivated: their keys and sessions stopped at once.' },
  reactivated: { kind: 'success', text: 'The user was reactivated: their keys work again.' },
  deleted: { kind: 'success', text: 'The user was deleted; their files stay with the organization.' },
};

function roleOf(raw: string | undefined): UserRole {
  const role = ROLES.find((r) => r === raw);
  if (!role) throw new BadRequestError('role_invalid', 'Choose the role manager or member.');
  return role;
}

/** A user's buttons: a reset link, deactivate or reactivate, delete (which the browser confirms). */
function userActions(session: SignedIn, user: User): Html {
  const active = user.deactivated_at === null;
  return html`${active ? postButton(session, `/admin/users/${user.id}/reset-link`, 'Reset link') : ''}
    ${postButton(session, `/admin/users/${user.id}/active`, active ? 'Deactivate' : 'Reactivate', { fields: { active: String(!active) } })}
    ${postButton(session, `/admin/users/${user.id}/delete`, 'Delete', { kind: 'danger', confirm: `Delete ${user.email}? Their keys stop for good; their files stay.` })}`;
}

const roleOptions = (selected: UserRole) => ROLES.map((r) => html`<option value="${r}" ${r === selected ? 'selected' : ''}>${r}</option>`);

/** Users of the organization: add one with a role (and a password, or one made for them), change roles. */
export async function usersPages(app: LensApp, deps: AdminDeps): Promise<void> {
  const { accounts } = deps;

  async function page(reply: FastifyReply, session: SignedIn, options: { notice?: Notice; created?: Html; status?: number; email?: string }) {
    const users = await accounts.listUsers(session.principal.organizationId);
    return sendPage(reply, {
      status: options.status,
      title: 'Users',
      session,
      section: 'users',
      notice: options.notice,
      body: html`
        ${options.created ?? ''}
        <form class="card" method="post" action="/admin/users">
          <h2>Add a user</h2>
          ${csrfField(session)}
          <div class="fields">
            <div><label for="user-email">E-mail</label><input id="user-email" name="email" type="email" required maxlength="254" value="${options.email ?? ''}"></div>
            <div><label for="user-role">Role</label><select id="user-role" name="role">${roleOptions('member')}</select></div>
            <div><label for="user-password">Password (optional)</label><input id="user-password" name="password" type="password" minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}" autocomplete="new-password" aria-describedby="password-hint"></div>
            <div class="actions"><button type="submit">Add user</button></div>
          </div>
          <p class="muted small" id="password-hint">${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters. Leave it empty and a password is made and shown once, to pass on.
          Managers see and manage everything in the organization; members see only their own files.</p>
        </form>
        <div class="table-wrap"><table>
          <thead><tr><th scope="col">E-mail</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Added</th><th scope="col">Actions</th></tr></thead>
          <tbody>${users.map(
            (user) => html`<tr>
              <td>${user.email}${user.id === session.principal.userId ? html` <span class="muted">(you)</span>` : ''}</td>
              <td>${
                user.id === session.principal.userId
                  ? user.role
                  : html`<form method="post" action="/admin/users/${user.id}/role" class="inline">
                      ${csrfField(session)}
                      <label class="visually-hidden" for="role-${user.id}">Role of ${user.email}</label>
                      <select id="role-${user.id}" name="role">${roleOptions(user.role)}</select>
                      <button type="submit" class="secondary">Save</button>
                    </form>`
              }</td>
              <td>${user.deactivated_at === null ? 'active' : html`<span class="badge">deactivated</span>`}</td>
              <td>${when(user.created_at)}</td>
              <td>${user.id === session.principal.userId ? '' : userActions(session, user)}</td>
            </tr>`,
          )}</tbody>
        </table></div>`,
    });
  }

  app.get('/users', async (request: FastifyRequest<{ Querystring: { done?: string } }>, reply) =>
    page(reply, managerSession(request), { notice: doneNotice(request.query.done, DONE) }),
  );

  app.post('/users', async (request, reply) => {
    const session = managerSession(request);
    const form = formOf(request);
    const email = (form.email ?? '').trim().toLowerCase();
    try {
      if (!isEmail(email)) throw new BadRequestError('email_invalid', 'Enter a valid e-mail address.');
      const role = roleOf(form.role);
      const given = form.password ?? '';
      if (given) checkPassword(given);
      const password = given || randomBytes(12).toString('base64url');
      const user = await accounts.createUser({ organizationId: session.principal.organizationId, email, role, password });
      const created = given
        ? html`<div class="notice success" role="status">${user.email} was added as ${user.role}.</div>`
        : secretBox(`Password for ${user.email}:`, password, 'Pass it on now: it is shown this once.');
      return await page(reply, session, { created, status: 201 });
    } catch (error) {
      return page(reply, session, { ...formError(error), email });
    }
  });

  app.post('/users/:id/role', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const session = managerSession(request);
    const userId = pathIds.user(request.params.id);
    // A manager who demoted themselves could leave the organization without one.
    if (userId === session.principal.userId) throw new ConflictError('own_role', 'You cannot change your own role.');
    await accounts.updateUserRole(session.principal.organizationId, userId, roleOf(formOf(request).role));
    return reply.redirect('/admin/users?done=role', 303);
  });

  /** Another user of the organization, by the id in the path: a manager acts on others, not on themselves. */
  const otherUser = (request: FastifyRequest<{ Params: { id: string } }>, session: SignedIn) => {
    const userId = pathIds.user(request.params.id);
    if (userId === session.principal.userId) throw new ConflictError('own_account', 'You cannot do this to your own account.');
    return userId;
  };

  app.post('/users/:id/active', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const session = managerSession(request);
    const active = formOf(request).active === 'true';
    await accounts.updateUser(session.principal.organizationId, otherUser(request, session), { active });
    return reply.redirect(`/admin/users?done=${active ? 'reactivated' : 'deactivated'}`, 303);
  });

  app.post('/users/:id/reset-link', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const session = managerSession(request);
    const reset = await deps.passwordResets.issue(session.principal.organizationId, otherUser(request, session));
    const created = secretBox(`Password-reset link for ${reset.user.email}:`, reset.url, `Pass it on now: it works once, until ${new Date(reset.expiresAt).toISOString()}.`);
    return page(reply, session, { created });
  });

  app.post('/users/:id/delete', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const session = managerSession(request);
    await accounts.deleteUser(session.principal.organizationId, otherUser(request, session));
    return reply.redirect('/admin/users?done=deleted', 303);
  });
}
