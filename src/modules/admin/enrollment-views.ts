import { html } from '../../http/html.js';
import { none } from './layout.js';

// How the pages about courses and learners show and link the same things.

const STATUS = ['Not started', 'In progress', 'Completed'];

/** A progress status (0, 1, 2) as a badge. */
export const statusBadge = (status: number) => html`<span class="badge ${status === 2 ? 'completed' : ''}">${STATUS[status] ?? String(status)}</span>`;

export const collectionHref = (identifier: string) => `/admin/collections/${encodeURIComponent(identifier)}`;
export const contextHref = (identifier: string) => `/admin/contexts/${encodeURIComponent(identifier)}`;
export const summaryHref = (userId: string) => `/admin/learners/${encodeURIComponent(userId)}`;

/** A learner, linked to their summary (for managers: reading another learner's record needs the role). */
export const learnerLink = (userId: string, name: string | null) => html`<a href="${summaryHref(userId)}">${name ?? userId}</a>`;

/** A certificate's public verification page. */
export const verificationHref = (token: string) => `/v1/certificates/${token}`;

/** A learner's certificates in an enrollment, each linked to its verification page. */
export const certificateLinks = (certificates: { name: string | null; token: string | null }[]) =>
  certificates.length ? certificates.map((certificate) => html`<a href="${verificationHref(certificate.token ?? '')}">${certificate.name}</a>`) : none;
