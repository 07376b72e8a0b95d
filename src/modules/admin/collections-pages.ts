import type { FastifyRequest } from 'fastify';
import type { LensApp } from '../../app.js';
import { plural } from '../../extraction/content/text.js';
import type { Context } from '../../infra/db/schema.js';
import { readPage } from '../../http/pagination.js';
import { html, when, type Html } from '../../http/html.js';
import { isManager } from '../accounts/principal.js';
import type { AdminDeps } from './deps.js';
import { none, pager, sendPage } from './layout.js';
import { collectionHref, contextHref, learnerLink, statusBadge } from './enrollment-views.js';
import { sessionOf } from './requests.js';

const PAGE_SIZE = 25;

/** A context's certificate rule as people read it. */
function certificateRule(context: Context): Html {
  if (!context.certificate_name) return html`<span class="muted">No certificate</span>`;
  const criteria =
    context.certificate_min_score_percent === null
      ? 'on completion'
      : `on completion with at least ${context.certificate_min_score_percent}% of the best scores of the required contents`;
  return html`<strong>${context.certificate_name}</strong>, ${criteria}`;
}

const ENROLLMENT: Record<Context['enrollment'], string> = {
  open: 'Open: learners join with their first launch',
  invite: 'By invitation only',
};

/**
 * Collections (courses), their contexts (batches) and who is enrolled: read-only, through the
 * service the API reads them with, so every user of the organization sees what the API shows them.
 */
export async function collectionsPages(app: LensApp, deps: AdminDeps): Promise<void> {
  const { collections } = deps;

  app.get('/collections', async (request: FastifyRequest<{ Querystring: { page?: string } }>, reply) => {
    const session = sessionOf(request);
    const page = readPage({ page: request.query.page, page_size: String(PAGE_SIZE) });
    const { count, rows } = await collections.collectionPage(session.principal, page.offset, page.pageSize);
    return sendPage(reply, {
      title: 'Collections',
      session,
      section: 'collections',
      body: html`
        <p>A collection is a course: its contents, played in contexts (batches) that learners are enrolled in. A file's first launch makes one; the API makes others.</p>
        <p class="muted count">${plural(count, 'collection')}</p>
        ${rows.length
          ? html`<div class="table-wrap"><table>
              <caption class="visually-hidden">Collections</caption>
              <thead><tr><th scope="col">Name</th><th scope="col">Identifier</th><th scope="col">Contents</th><th scope="col">Created</th></tr></thead>
              <tbody>${rows.map(
                ({ collection, contents }) => html`<tr>
                  <td class="name"><a href="${collectionHref(collection.identifier)}">${collection.name}</a></td>
                  <td class="break"><code>${collection.identifier}</code></td>
                  <td>${contents.length}</td>
                  <td>${when(collection.created_at)}</td>
                </tr>`,
              )}</tbody>
            </table></div>
            ${pager('/admin/collections', {}, page.page, page.pageSize, count)}`
          : html`<div class="empty"><p>No collections yet.</p><p>Preview or launch a file, or create one with <code>POST /v1/collections</code>.</p></div>`}`,
    });
  });

  app.get('/collections/:identifier', async (request: FastifyRequest<{ Params: { identifier: string }; Querystring: { page?: string } }>, reply) => {
    const session = sessionOf(request);
    const { collection, contents } = await collections.getCollection(session.principal, request.params.identifier);
    const page = readPage({ page: request.query.page, page_size: String(PAGE_SIZE) });
    const contexts = await collections.contextPage(session.principal, collection.identifier, page.offset, page.pageSize);
    return sendPage(reply, {
      title: collection.name,
      session,
      section: 'collections',
      body: html`
        <p><a href="/admin/collections">← All collections</a></p>
        <dl class="facts">
          <dt>Identifier</dt><dd class="break"><code>${collection.identifier}</code></dd>
          <dt>Description</dt><dd>${collection.description ?? '–'}</dd>
          <dt>SCORM file</dt><dd>${collection.scorm_file_id === null ? '–' : html`<a href="/admin/files/${collection.scorm_file_id}">File ${collection.scorm_file_id}</a>`}</dd>
          <dt>Created</dt><dd>${when(collection.created_at)}</dd>
        </dl>
        <h2>Contents</h2>
        ${contents.length
          ? html`<div class="table-wrap" tabindex="0" role="region" aria-label="Contents"><table>
              <thead><tr><th scope="col">#</th><th scope="col">Name</th><th scope="col">Content id</th><th scope="col">Counts towards progress</th></tr></thead>
              <tbody>${contents.map(
                (content) => html`<tr>
                  <td>${content.position + 1}</td>
                  <td>${content.name}</td>
                  <td class="break"><code>${content.content_id}</code></td>
                  <td>${content.optional === 1 ? 'No (optional)' : 'Yes'}</td>
                </tr>`,
              )}</tbody>
            </table></div>`
          : html`<div class="empty"><p>This collection has no contents.</p></div>`}
        <h2>Contexts</h2>
        <p class="muted count">${plural(contexts.count, 'context')}</p>
        ${contexts.rows.length
          ? html`<div class="table-wrap"><table>
              <caption class="visually-hidden">Contexts of ${collection.name}</caption>
              <thead><tr><th scope="col">Name</th><th scope="col">Identifier</th><th scope="col">Starts</th><th scope="col">Ends</th><th scope="col">Certificate</th></tr></thead>
              <tbody>${contexts.rows.map(
                (context) => html`<tr>
                  <td class="name"><a href="${contextHref(context.identifier)}">${context.name}</a></td>
                  <td class="break"><code>${context.identifier}</code></td>
                  <td>${context.start_date === null ? none : when(context.start_date)}</td>
                  <td>${context.end_date === null ? none : when(context.end_date)}</td>
                  <td>${context.certificate_name ?? none}</td>
                </tr>`,
              )}</tbody>
            </table></div>
            ${pager(collectionHref(collection.identifier), {}, page.page, page.pageSize, contexts.count)}`
          : html`<div class="empty"><p>No context plays this collection yet.</p></div>`}`,
    });
  });

  app.get('/contexts/:identifier', async (request: FastifyRequest<{ Params: { identifier: string }; Querystring: { page?: string } }>, reply) => {
    const session = sessionOf(request);
    const context = await collections.getContext(session.principal, request.params.identifier);
    const page = readPage({ page: request.query.page, page_size: String(PAGE_SIZE) });
    const [{ collection }, enrollments] = await Promise.all([
      collections.getCollection(session.principal, context.collection_identifier),
      collections.enrollments(session.principal, context.identifier, page.offset, page.pageSize),
    ]);
    // A learner's record is for managers, as the summary API's is.
    const manager = isManager(session.principal);
    return sendPage(reply, {
      title: context.name,
      session,
      section: 'collections',
      body: html`
        <p><a href="${collectionHref(collection.identifier)}">← ${collection.name}</a></p>
        <dl class="facts">
          <dt>Identifier</dt><dd class="break"><code>${context.identifier}</code></dd>
          <dt>Collection</dt><dd><a href="${collectionHref(collection.identifier)}">${collection.name}</a></dd>
          <dt>Enrollment</dt><dd>${ENROLLMENT[context.enrollment]}</dd>
          <dt>Starts</dt><dd>${context.start_date === null ? 'Open from the start' : when(context.start_date)}</dd>
          <dt>Ends</dt><dd>${context.end_date === null ? 'No end date' : when(context.end_date)}</dd>
          <dt>Certificate</dt><dd>${certificateRule(context)}</dd>
        </dl>
        <h2>Enrollments</h2>
        <p class="muted count">${plural(enrollments.count, 'learner')}</p>
        ${enrollments.rows.length
          ? html`<div class="table-wrap"><table>
              <caption class="visually-hidden">Learners enrolled in ${context.name}</caption>
              <thead><tr><th scope="col">Learner</th><th scope="col">Enrolled</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col">Completed</th><th scope="col">Enrollment</th></tr></thead>
              <tbody>${enrollments.rows.map(
                (enrollment) => html`<tr>
                  <td class="name">${manager ? learnerLink(enrollment.user_id, enrollment.learner_name) : html`${enrollment.learner_name ?? enrollment.user_id}`}${
                    enrollment.learner_name ? html`<br><code class="muted small">${enrollment.user_id}</code>` : ''
                  }</td>
                  <td>${when(enrollment.enrolled_at)}</td>
                  <td>${statusBadge(enrollment.status)}</td>
                  <td>${enrollment.progress}%</td>
                  <td>${enrollment.completed_on === null ? none : when(enrollment.completed_on)}</td>
                  <td>${enrollment.active === 1 ? 'Active' : 'Ended'}</td>
                </tr>`,
              )}</tbody>
            </table></div>
            ${pager(contextHref(context.identifier), {}, page.page, page.pageSize, enrollments.count)}`
          : html`<div class="empty"><p>Nobody is enrolled yet.</p></div>`}`,
    });
  });
}
