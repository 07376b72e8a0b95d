import type { FastifyRequest } from 'fastify';
import type { LensApp } from '../../app.js';
import { html, when, type Html } from '../../http/html.js';
import type { AdminDeps } from './deps.js';
import { certificateLinks, collectionHref, contextHref, statusBadge, summaryHref } from './enrollment-views.js';
import { none, sendPage } from './layout.js';
import { managerSession } from './requests.js';

/** Seconds as people read them: 1 h 5 min, 3 min 20 s. */
function duration(seconds: number): string {
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${m} min`;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/** The best score of each scored content: "Quiz: 3 / 4". */
function bestScores(contents: { contentId: string; name: string; best: { score: number; max_score: number } | null }[]): Html {
  const scores = contents.flatMap(({ name, best }) => (best ? [html`<li>${name}: ${best.score} / ${best.max_score}</li>`] : []));
  return scores.length ? html`<ul class="plain">${scores}</ul>` : none;
}

/** A learner's record (managers): each enrollment with its contents' status, progress, time and best scores. */
export async function learnersPages(app: LensApp, deps: AdminDeps): Promise<void> {
  app.get('/learners', async (request: FastifyRequest<{ Querystring: { user?: string } }>, reply) => {
    const session = managerSession(request);
    const userId = typeof request.query.user === 'string' ? request.query.user.trim().slice(0, 256) : '';
    const record = userId ? await deps.progress.learnerRecord(session.principal.organizationId, userId) : [];
    const enrollments = record.map(
      (enrollment) => html`<section class="page" aria-labelledby="course-${enrollment.contextId}">
        <h2 id="course-${enrollment.contextId}">${enrollment.collection.name}</h2>
        <dl class="facts">
          <dt>Batch</dt><dd><a href="${contextHref(enrollment.contextId)}"><code>${enrollment.contextId}</code></a></dd>
          <dt>Status</dt><dd>${statusBadge(enrollment.status)} ${enrollment.progress}%</dd>
          <dt>Enrolled</dt><dd>${when(enrollment.enrolledDate)}</dd>
          <dt>Completed</dt><dd>${when(enrollment.completedOn)}</dd>
          <dt>Certificate</dt><dd>${certificateLinks(enrollment.issuedCertificates)}</dd>
        </dl>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Contents of ${enrollment.collection.name}"><table>
          <thead><tr><th scope="col">Content</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col">Time</th><th scope="col">Best score</th></tr></thead>
          <tbody>${enrollment.contents.map(
            (content) => html`<tr>
              <td>${content.name}</td>
              <td>${statusBadge(content.status)}</td>
              <td>${Math.round(content.progress)}%</td>
              <td>${duration(content.timeSpent)}</td>
              <td>${content.best ? `${content.best.score} / ${content.best.max_score} (${content.best.attempts} ${content.best.attempts === 1 ? 'attempt' : 'attempts'})` : '–'}</td>
            </tr>`,
          )}</tbody>
        </table></div>
      </section>`,
    );
    return sendPage(reply, {
      title: 'Learners',
      session,
      section: 'learners',
      body: html`
        <form class="card" method="get" action="/admin/learners" role="search">
          <div class="fields">
            <div><label for="learner-id">Learner id</label><input id="learner-id" name="user" required maxlength="256" value="${userId}"></div>
            <div class="actions"><button type="submit">Show their record</button></div>
          </div>
        </form>
        ${userId && record.length === 0 ? html`<div class="empty"><p>${userId} is enrolled in no course of this organization.</p></div>` : ''}
        ${record.length ? html`<p><a href="${summaryHref(userId)}">Summary of ${userId}</a>: every enrollment in one table.</p>` : ''}
        ${enrollments}`,
    });
  });

  // One row per enrollment, as the summary API lists them.
  app.get('/learners/:userId', async (request: FastifyRequest<{ Params: { userId: string } }>, reply) => {
    const session = managerSession(request);
    const { userId } = request.params;
    const record = await deps.progress.learnerRecord(session.principal.organizationId, userId);
    return sendPage(reply, {
      title: `Summary of ${userId}`,
      session,
      section: 'learners',
      body: html`
        <p><a href="/admin/learners?user=${encodeURIComponent(userId)}">← Record of ${userId}</a>, with each content's time</p>
        ${record.length
          ? html`<div class="table-wrap"><table>
              <caption class="visually-hidden">Enrollments of ${userId}</caption>
              <thead><tr><th scope="col">Collection</th><th scope="col">Context</th><th scope="col">Enrolled</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col">Best scores</th><th scope="col">Certificate</th></tr></thead>
              <tbody>${record.map(
                (enrollment) => html`<tr>
                  <td class="name"><a href="${collectionHref(enrollment.collectionId)}">${enrollment.collection.name}</a></td>
                  <td class="name"><a href="${contextHref(enrollment.contextId)}">${enrollment.contextId}</a></td>
                  <td>${when(enrollment.enrolledDate)}</td>
                  <td>${statusBadge(enrollment.status)}</td>
                  <td>${enrollment.progress}%</td>
                  <td>${bestScores(enrollment.contents)}</td>
                  <td>${certificateLinks(enrollment.issuedCertificates)}</td>
                </tr>`,
              )}</tbody>
            </table></div>`
          : html`<div class="empty"><p>${userId} is enrolled in no course of this organization.</p></div>`}`,
    });
  });
}
