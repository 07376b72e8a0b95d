import type { FastifyRequest } from 'fastify';
import type { LensApp } from '../../app.js';
import type { AppContext } from '../../context.js';
import type { Assessment, Block, ExtractionResult, Item, Media, Page } from '../../extraction/result/extraction-result.js';
import { attachment } from '../../http/attachment.js';
import { pathIds } from '../../http/schemas.js';
import { readResult, resultPath } from '../content-extractions/result.js';
import { bytes, html, type Html } from './html.js';
import { sendPage } from './layout.js';
import { sessionOf } from './requests.js';

const anchor = (kind: string, id: string) => `${kind}-${id}`;

function block(b: Block): Html {
  switch (b.type) {
    case 'heading':
      // Page titles are h3: the page's own headings sit below them.
      return b.level <= 1 ? html`<h4>${b.text}</h4>` : b.level === 2 ? html`<h5>${b.text}</h5>` : html`<h6>${b.text}</h6>`;
    case 'paragraph':
      return html`<p>${b.text}</p>`;
    case 'list': {
      const items = b.items.map((item) => html`<li>${item}</li>`);
      return b.ordered ? html`<ol>${items}</ol>` : html`<ul>${items}</ul>`;
    }
    case 'table':
      return html`<div class="table-wrap"><table class="content">${b.rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</table></div>`;
    case 'quote':
      return html`<blockquote>${b.text}</blockquote>`;
    case 'image':
      return html`<p class="image-ref">Image${b.src ? html` <code>${b.src}</code>` : ''}${b.alt ? html`: ${b.alt}` : ''}</p>`;
  }
}

function tree(items: Item[], pagesByItem: Map<string, Page[]>): Html {
  if (items.length === 0) return html``;
  return html`<ul class="tree">${items.map((item) => {
    const pages = pagesByItem.get(item.identifier) ?? [];
    return html`<li>
      <span class="item-title">${item.title || item.identifier}</span>
      ${item.launch ? html` <code class="muted">${item.launch}</code>` : ''}
      ${item.mastery_score !== null ? html` <span class="muted">· mastery ${item.mastery_score}</span>` : ''}
      ${pages.length ? html` · <a href="#${anchor('page', pages[0]!.id)}">${pages.length} page${pages.length === 1 ? '' : 's'}</a>` : ''}
      ${tree(item.children, pagesByItem)}
    </li>`;
  })}</ul>`;
}

const pageSection = (page: Page) => html`<section class="page" id="${anchor('page', page.id)}" aria-labelledby="${anchor('title', page.id)}">
  <h3 id="${anchor('title', page.id)}">${page.title || 'Untitled page'}</h3>
  <p class="muted small">${page.kind}${page.page_number !== null ? ` ${page.page_number}` : ''} · <code>${page.source}</code> · ${page.word_count} words</p>
  ${page.blocks.map(block)}
</section>`;

function assessmentSection(assessment: Assessment): Html {
  return html`<section class="assessment" id="${anchor('assessment', assessment.id)}">
    <h3>${assessment.title || 'Questions'}</h3>
    <p class="muted small"><code>${assessment.source}</code>${assessment.passing_score !== null ? ` · passing score ${assessment.passing_score}` : ''}</p>
    <ol class="questions">${assessment.questions.map(
      (q) => html`<li class="question">
        <p class="prompt">${q.prompt}</p>
        <p class="muted small">${q.type.replace('_', ' ')}${q.points !== null ? ` · ${q.points} points` : ''}</p>
        ${q.choices.length ? html`<ul class="choices">${q.choices.map(
          (c) => html`<li class="${c.correct ? 'correct' : ''}">${c.text}${c.correct ? html` <strong class="tag">Correct</strong>` : ''}${c.feedback ? html`<br><span class="muted small">${c.feedback}</span>` : ''}</li>`,
        )}</ul>` : ''}
        ${!q.choices.length && q.correct_answers.length ? html`<p>Accepted answers: ${q.correct_answers.map((a, i) => html`${i ? ', ' : ''}<strong>${a}</strong>`)}</p>` : ''}
        ${q.matches.length ? html`<ul class="choices">${q.matches.map((m) => html`<li>${m.source} → <strong>${m.target}</strong></li>`)}</ul>` : ''}
        ${q.feedback.correct ? html`<p class="small">If correct: ${q.feedback.correct}</p>` : ''}
        ${q.feedback.incorrect ? html`<p class="small">If incorrect: ${q.feedback.incorrect}</p>` : ''}
      </li>`,
    )}</ol>
  </section>`;
}

const mediaRow = (m: Media) => html`<tr>
  <td class="break"><code>${m.path}</code>${m.missing ? html` <span class="badge failed">missing</span>` : ''}</td>
  <td>${m.kind}</td>
  <td>${bytes(m.size_bytes)}</td>
  <td>${m.duration_seconds !== null ? `${Math.round(m.duration_seconds)} s` : '–'}</td>
  <td>${m.alt_text ?? ''}${m.transcripts.map(
    (t) => html`<details><summary>Transcript${t.language ? ` (${t.language})` : ''}</summary><p>${t.text}</p></details>`,
  )}</td>
</tr>`;

function view(result: ExtractionResult): Html {
  const facts = result.package;
  const stats = result.statistics;
  const pagesByItem = new Map<string, Page[]>();
  for (const page of result.pages) if (page.item_id) pagesByItem.set(page.item_id, [...(pagesByItem.get(page.item_id) ?? []), page]);
  const questions = result.assessments.reduce((n, a) => n + a.questions.length, 0);
  return html`
    <dl class="facts">
      <dt>Standard</dt><dd>${facts.standard.toUpperCase()}${facts.version ? ` ${facts.version}` : ''}</dd>
      <dt>Authoring tool</dt><dd>${facts.tool ? `${facts.tool.name}${facts.tool.version ? ` ${facts.tool.version}` : ''}` : 'Not recognised'}</dd>
      ${facts.language ? html`<dt>Language</dt><dd>${facts.language}</dd>` : ''}
      ${facts.description ? html`<dt>Description</dt><dd>${facts.description}</dd>` : ''}
      <dt>Contents</dt><dd>${stats.items} items · ${stats.pages} pages · ${stats.words} words · ${stats.questions} questions · ${stats.media} media · about ${stats.reading_time_minutes} min of reading</dd>
      <dt>Package</dt><dd>${bytes(facts.size_bytes)} · ${facts.entry_count} files · sha256 <code>${facts.sha256.slice(0, 16)}…</code></dd>
    </dl>
    <nav class="toc" aria-label="On this page"><ul>
      <li><a href="#tree">Course tree</a></li>
      <li><a href="#pages">Pages (${result.pages.length})</a></li>
      <li><a href="#questions">Questions (${questions})</a></li>
      <li><a href="#media">Media (${result.media.length})</a></li>
      <li><a href="#warnings">Warnings (${result.warnings.length})</a></li>
    </ul></nav>
    <h2 id="tree">Course tree</h2>
    ${result.organizations.length ? result.organizations.map((o) => html`<h3>${o.title || o.identifier}</h3>${tree(o.items, pagesByItem)}`) : html`<p class="empty">The package has no organization tree.</p>`}
    <h2 id="pages">Pages</h2>
    ${result.pages.length ? result.pages.map(pageSection) : html`<p class="empty">No learner text was found.</p>`}
    <h2 id="questions">Questions</h2>
    ${result.assessments.length ? result.assessments.map(assessmentSection) : html`<p class="empty">No questions were found.</p>`}
    <h2 id="media">Media</h2>
    ${result.media.length
      ? html`<div class="table-wrap"><table>
          <thead><tr><th scope="col">File</th><th scope="col">Kind</th><th scope="col">Size</th><th scope="col">Duration</th><th scope="col">Alt text and transcripts</th></tr></thead>
          <tbody>${result.media.map(mediaRow)}</tbody>
        </table></div>`
      : html`<p class="empty">No media.</p>`}
    <h2 id="warnings">Warnings</h2>
    ${result.warnings.length
      ? html`<ul class="warnings">${result.warnings.map((w) => html`<li><code>${w.code}</code> ${w.message}${w.path ? html` <span class="muted">(${w.path})</span>` : ''}</li>`)}</ul>`
      : html`<p class="empty">None: the package is well-formed.</p>`}`;
}

/** An extraction's result, readable; its Markdown as a download; restarting it. */
export async function extractionPages(app: LensApp, context: AppContext): Promise<void> {
  const { contentExtractions, storage } = context;

  app.get('/extractions/:id', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const session = sessionOf(request);
    const { extraction, file } = await contentExtractions.get(session.principal, pathIds.contentExtraction(request.params.id));
    const result = await readResult(storage, extraction);
    return sendPage(reply, {
      title: result.package.title || file.file_name,
      session,
      section: 'files',
      body: html`<p><a href="/admin/files/${file.id}">← ${file.file_name}</a> · extraction ${extraction.id} · <a href="/admin/extractions/${extraction.id}/markdown" download>Markdown</a></p>${view(result)}`,
    });
  });

  app.get('/extractions/:id/markdown', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const { extraction, file } = await contentExtractions.get(sessionOf(request).principal, pathIds.contentExtraction(request.params.id));
    const stream = await storage.read(resultPath(extraction, 'markdown'));
    return reply
      .type('text/markdown; charset=utf-8')
      .header('content-disposition', attachment(`${file.file_name.replace(/\.zip$/i, '')}.md`))
      .send(stream);
  });

  app.post('/extractions/:id/restart', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const restarted = await contentExtractions.restart(sessionOf(request).principal, pathIds.contentExtraction(request.params.id));
    return reply.redirect(`/admin/files/${restarted.file.id}?done=restarted`, 303);
  });
}
