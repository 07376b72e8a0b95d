import type { FastifyReply } from 'fastify';
import type { User } from '../../infra/db/schema.js';
import type { SignedIn } from '../accounts/sessions.js';
import { isManager } from '../accounts/principal.js';
import { html, type Html } from '../../http/html.js';

export type Section = 'files' | 'collections' | 'learners' | 'certificates' | 'keys' | 'users' | 'webhooks';

export interface Notice {
  kind: 'success' | 'error';
  text: string;
}

const SECTIONS: { id: Section; label: string; href: string; managers: boolean }[] = [
  { id: 'files', label: 'Files', href: '/admin/files', managers: false },
  { id: 'collections', label: 'Collections', href: '/admin/collections', managers: false },
  { id: 'learners', label: 'Learners', href: '/admin/learners', managers: true },
  { id: 'certificates', label: 'Certificates', href: '/admin/certificates', managers: true },
  { id: 'keys', label: 'API keys', href: '/admin/keys', managers: true },
  { id: 'users', label: 'Users', href: '/admin/users', managers: true },
  { id: 'webhooks', label: 'Webhooks', href: '/admin/webhooks', managers: true },
];

/** The notice a page shows after a redirect: `?done=<code>` names one of the page's own texts, never text to show. */
export const doneNotice = (done: unknown, notices: Record<string, Notice>): Notice | undefined =>
  typeof done === 'string' ? notices[done] : undefined;

/** The hidden field every state-changing form carries. */
/** What a table cell or fact shows when there is nothing to show. */
export const none = html`<span class="muted">–</span>`;

export const csrfField = (session: SignedIn) => html`<input type="hidden" name="_csrf" value="${session.csrfToken}">`;

export interface PageOptions {
  title: string;
  session?: SignedIn | undefined;
  section?: Section;
  notice?: Notice | undefined;
  body: Html;
  status?: number | undefined;
}

/** Sends a whole page of the panel: header with navigation and account, the title, a notice, the body. */
export function sendPage(reply: FastifyReply, options: PageOptions): FastifyReply {
  return reply.status(options.status ?? 200).type('text/html; charset=utf-8').send(layout(options));
}

function layout(options: PageOptions): string {
  const { title, session, section, notice, body } = options;
  const nav = session
    ? html`<nav aria-label="Main">
        <ul>
          ${SECTIONS.filter((s) => !s.managers || isManager(session.principal)).map(
            (s) => html`<li><a href="${s.href}" ${s.id === section ? html`aria-current="page"` : ''}>${s.label}</a></li>`,
          )}
        </ul>
      </nav>
      <div class="account">
        <span class="who">${session.email} <span class="role">${session.principal.role}</span></span>
        <form method="post" action="/admin/sign-out">${csrfField(session)}<button type="submit" class="link">Sign out</button></form>
      </div>`
    : '';
  const message = notice
    ? html`<div class="notice ${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}">${notice.text}</div>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · SCORM Lens</title>
${session ? html`<meta name="csrf-token" content="${session.csrfToken}">` : ''}
<link rel="icon" href="/admin/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/admin/assets/admin.css">
<script type="module" src="/admin/assets/admin.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/admin/files">SCORM Lens</a>
  ${nav}
</header>
<main id="main" tabindex="-1">
<h1>${title}</h1>
${message}
${body}
</main>
</body>
</html>`.value;
}

/** A button that posts a one-field form (with the CSRF token); `confirm` asks first. */
export function postButton(
  session: SignedIn,
  action: string,
  label: string,
  options: { confirm?: string; kind?: 'danger' | 'secondary'; fields?: Record<string, string> } = {},
): Html {
  return html`<form method="post" action="${action}" class="inline" ${options.confirm ? html`data-confirm="${options.confirm}"` : ''}>
    ${csrfField(session)}${Object.entries(options.fields ?? {}).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
    <button type="submit" class="${options.kind ?? 'secondary'}">${label}</button>
  </form>`;
}

/** Previous / next links that keep the page's other query parameters. */
export function pager(basePath: string, query: Record<string, string | undefined>, page: number, pageSize: number, count: number): Html {
  const pages = Math.max(1, Math.ceil(count / pageSize));
  if (pages === 1) return html``;
  const href = (n: number) => {
    const params = new URLSearchParams(Object.entries({ ...query, page: String(n) }).filter((e): e is [string, string] => Boolean(e[1])));
    return `${basePath}?${params.toString()}`;
  };
  return html`<nav class="pager" aria-label="Pages">
    ${page > 1 ? html`<a href="${href(page - 1)}" rel="prev">Previous</a>` : ''}
    <span>Page ${page} of ${pages}</span>
    ${page < pages ? html`<a href="${href(page + 1)}" rel="next">Next</a>` : ''}
  </nav>`;
}

/** A secret shown this once, with a copy button. */
export function secretBox(label: string, value: string, hint: string): Html {
  return html`<div class="secret" role="status">
    <p><strong>${label}</strong> ${hint}</p>
    <div class="copy-row"><code id="secret-value">${value}</code><button type="button" class="secondary" data-copy="#secret-value">Copy</button></div>
  </div>`;
}

/** The users of the organization as choices of a select, e.g. the owner of a new key. */
export const userOptions = (users: User[], selectedId: number) =>
  users.map((u) => html`<option value="${u.id}" ${u.id === selectedId ? 'selected' : ''}>${u.email} (${u.role})</option>`);
