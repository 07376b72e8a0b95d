import type { FastifyRequest } from 'fastify';
import type { LensApp } from '../../app.js';
import { plural } from '../../extraction/content/text.js';
import { readPage } from '../../http/pagination.js';
import { html, when } from '../../http/html.js';
import type { AdminDeps } from './deps.js';
import { collectionHref, contextHref, learnerLink, verificationHref } from './enrollment-views.js';
import { pager, sendPage } from './layout.js';
import { managerSession } from './requests.js';

const PAGE_SIZE = 25;

/** The organization's issued certificates (managers), newest first, each with its public verification link. */
export async function certificatesPages(app: LensApp, deps: AdminDeps): Promise<void> {
  app.get('/certificates', async (request: FastifyRequest<{ Querystring: { page?: string } }>, reply) => {
    const session = managerSession(request);
    const page = readPage({ page: request.query.page, page_size: String(PAGE_SIZE) });
    const { count, rows } = await deps.progress.certificatePage(session.principal.organizationId, page.offset, page.pageSize);
    return sendPage(reply, {
      title: 'Certificates',
      session,
      section: 'certificates',
      body: html`
        <p>Certificates are issued when a learner completes a context that has a certificate rule. Anyone with a verification link can check one.</p>
        <p class="muted count">${plural(count, 'certificate')}</p>
        ${rows.length
          ? html`<div class="table-wrap"><table>
              <caption class="visually-hidden">Issued certificates</caption>
              <thead><tr><th scope="col">Learner</th><th scope="col">Certificate</th><th scope="col">Collection</th><th scope="col">Issued</th><th scope="col">Verification</th></tr></thead>
              <tbody>${rows.map(
                (certificate) => html`<tr>
                  <td class="name">${learnerLink(certificate.user_id, certificate.learner_name)}</td>
                  <td>${certificate.name}</td>
                  <td class="name"><a href="${collectionHref(certificate.collection_identifier)}">${certificate.collection_name}</a><br><a class="small" href="${contextHref(certificate.context_identifier)}">${certificate.context_name}</a></td>
                  <td>${when(certificate.issued_at)}</td>
                  <td><a href="${verificationHref(certificate.token)}">Verify<span class="visually-hidden"> the certificate of ${certificate.learner_name ?? certificate.user_id}</span></a></td>
                </tr>`,
              )}</tbody>
            </table></div>
            ${pager('/admin/certificates', {}, page.page, page.pageSize, count)}`
          : html`<div class="empty"><p>No certificate has been issued yet.</p><p>Give a context a certificate rule (<code>certificate</code> in <code>POST /v1/contexts</code>) and learners who complete it get one.</p></div>`}`,
    });
  });
}
