import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LensApp } from '../../app.js';
import { BadRequestError } from '../../http/errors.js';
import { html } from '../../http/html.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../accounts/passwords.js';
import { ResetLinkInvalidError } from '../accounts/password-resets.js';
import type { AdminDeps } from './deps.js';
import { sendPage, type Notice } from './layout.js';
import { formError, formOf } from './requests.js';

type TokenRequest = FastifyRequest<{ Params: { token: string } }>;

const invalidPage = (reply: FastifyReply) =>
  sendPage(reply, {
    status: 410,
    title: 'Link expired',
    body: html`<p>${new ResetLinkInvalidError().message}</p><p><a href="/admin/sign-in">Sign in</a></p>`,
  });

function resetPage(reply: FastifyReply, options: { token: string; email: string; notice?: Notice; status?: number }) {
  return sendPage(reply, {
    status: options.status,
    title: 'Choose a new password',
    notice: options.notice,
    body: html`<form method="post" action="/admin/reset-password/${options.token}" class="card narrow">
      <label for="email">E-mail</label>
      <input id="email" name="email" type="email" autocomplete="username" value="${options.email}" readonly>
      <label for="password">New password</label>
      <input id="password" name="password" type="password" autocomplete="new-password" required minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}" aria-describedby="password-hint" autofocus>
      <p id="password-hint" class="muted">${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.</p>
      <label for="confirmation">New password again</label>
      <input id="confirmation" name="confirmation" type="password" autocomplete="new-password" required minlength="${PASSWORD_MIN_LENGTH}" maxlength="${PASSWORD_MAX_LENGTH}">
      <button type="submit">Set the password</button>
    </form>`,
  });
}

/**
 * The page a password-reset link opens. The token in the path is the credential (no session, no
 * CSRF token needed: a forged form would have to know it); opening the page does not use it up.
 */
export async function resetPasswordPages(app: LensApp, deps: AdminDeps): Promise<void> {
  app.get('/reset-password/:token', async (request: TokenRequest, reply) => {
    void reply.header('cache-control', 'no-store');
    const reset = await deps.passwordResets.find(request.params.token);
    if (!reset) return invalidPage(reply);
    return resetPage(reply, { token: request.params.token, email: reset.email });
  });

  app.post('/reset-password/:token', async (request: TokenRequest, reply) => {
    void reply.header('cache-control', 'no-store');
    const { token } = request.params;
    const form = formOf(request);
    const password = form.password ?? '';
    try {
      if (password !== form.confirmation) throw new BadRequestError('password_mismatch', 'The two passwords differ. Type the same password twice.');
      const { email } = await deps.passwordResets.redeem(token, password);
      return sendPage(reply, {
        title: 'Password set',
        notice: { kind: 'success', text: `The password of ${email} is set.` },
        body: html`<p><a href="/admin/sign-in">Sign in</a> with it.</p>`,
      });
    } catch (error) {
      if (error instanceof ResetLinkInvalidError) return invalidPage(reply);
      const reset = await deps.passwordResets.find(token);
      if (!reset) return invalidPage(reply);
      return resetPage(reply, { token, email: reset.email, ...formError(error) });
    }
  });
}
