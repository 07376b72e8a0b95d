import type { FastifyRequest } from 'fastify';
import type { LensApp } from '../../app.js';
import type { AdminDeps } from './deps.js';
import { plural } from '../../extraction/content/text.js';
import type { Assessment, Block, Media, Page, Warning } from '../../extraction/result/extraction-result.js';
import type { OutlineRow, ResultIndex } from '../../extraction/result/result-files.js';
import { attachment } from '../../http/attachment.js';
import { pathIds } from '../../http/schemas.js';
import { bytes, html, type Html } from '../../http/html.js';
import { standardLabel, toolLabel } from '../scorm-files/package-labels.js';
import { sendPage } from './layout.js';
import { sessionOf } from './requests.js';

const anchor = (kind: string, id: string) => `${kind}-${id}`;

/**
 * The levels a page's own headings get below its title (an h3): by how deep each sits among the
 * headings before it, so none skips a level whatever the package's markup used (h3 right after h1).
 */
function headingLevels(blocks: Block[]): Map<Block, number> {
  const levels = new Map<Block, number>();
  const open: number[] = [];
  for (const b of blocks) {
    if (b.type !== 'heading') continue;
    while (open.length && open.at(-1)! >= b.level) open.pop();
    levels.set(b, Math.min(6, 4 + open.length));
    open.push(b.level);
  }
  return levels;
}

function block(b: Block, headingLevel: number | undefined): Html {
  switch (b.type) {
    case 'heading':
      return headingLevel === 4 ? html`<h4>${b.text}</h4>` : headingLevel === 5 ? html`<h5>${b.text}</h5>` : html`<h6>${b.text}</h6>`;
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

/** The outline rows (depth first, with their depth) as nested lists. */
function outline(rows: OutlineRow[], from = 0, depth = 0): { list: Html; next: number } {
  const items: Html[] = [];
  let i = from;
  while (i < rows.length && rows[i]!.depth >= depth) {
    const row = rows[i]!;
    const children = outline(rows, i + 1, depth + 1);
    items.push(html`<li>
      <span class="item-title">${row.title || row.identifier}</span>
      ${row.launch ? html` <code class="muted">${row.launch}</code>` : ''}
      ${row.mastery_score !== null ? html` <span class="muted">· mastery ${row.mastery_score}</span>` : ''}
      ${children.list}
    </li>`);
    i = children.next;
  }
  return { list: items.length ? html`<ul class="tree">${items}</ul>` : html``, next: i };
}

function blocksOf(page: Page): Html[] {
  const levels = headingLevels(page.blocks);
  return page.blocks.map((b) => block(b, levels.get(b)));
}

const pageSection = (page: Page) => html`<section class="page" id="${anchor('page', page.id)}" aria-labelledby="${anchor('title', page.id)}">
  <h3 id="${anchor('title', page.id)}">${page.title || 'Untitled page'}</h3>
  <p class="muted small">${page.kind}${page.page_number !== null ? ` ${page.page_number}` : ''} · <code>${page.source}</code> · ${page.word_count} words</p>
  ${blocksOf(page)}
</section>`;

function assessmentSection(assessment: Assessment): Html {
  return html`<section class="assessment" id="${anchor('assessment', assessment.id)}">
    <h3>${assessment.title || 'Questions'}</h3>
    <p class="muted small"><code>${assessment.source}</code>${assessment.passing_score !== null ? ` · passing score ${assessment.passing_score}` : ''}${
      // Results written before format 1.1 have no questions_per_attempt.
      typeof assessment.questions_per_attempt === 'number' ? ` · asks ${assessment.questions_per_attempt} of ${assessment.questions.length} per attempt` : ''
    }</p>
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

/** Which slice of each long section the page shows: `?pages=2&questions=0`. */
type SliceQuery = Partial<Record<'pages' | 'questions' | 'media' | 'warnings', string>>;
const SECTION_OF = { pages: 'pages', questions: 'assessments', media: 'media', warnings: 'warnings' } as const;

const sliceNumber = (raw: string | undefined) => (raw && /^\d{1,9}$/.test(raw) ? Number(raw) : 0);

/** "Pages 26–50 of 4,012" with links to the slices before and after. */
function slicePager(index: ResultIndex, query: SliceQuery, key: keyof typeof SECTION_OF, shown: number, what: string): Html {
  const { total, slices } = index.sections[SECTION_OF[key]];
  const number = sliceNumber(query[key]);
  const slice = slices[number];
  if (slices.length <= 1 || !slice) return html``;
  const href = (n: number) => `?${new URLSearchParams({ ...query, [key]: String(n) }).toString()}#${key}`;
  return html`<nav class="pager" aria-label="${what}">
    ${number > 0 ? html`<a href="${href(number - 1)}" rel="prev">Previous</a>` : ''}
    <span>${what} ${slice.first + 1}–${slice.first + shown} of ${total.toLocaleString('en')}</span>
    ${number < slices.length - 1 ? html`<a href="${href(number + 1)}" rel="next">Next</a>` : ''}
  </nav>`;
}

interface Shown {
  pages: Page[];
  assessments: Assessment[];
  media: Media[];
  warnings: Warning[];
}

function view(index: ResultIndex, shown: Shown, query: SliceQuery): Html {
  const facts = index.package;
  const stats = index.statistics;
  const sections = index.sections;
  return html`
    <dl class="facts">
      <dt>Standard</dt><dd>${standardLabel(facts)}</dd>
      <dt>Authoring tool</dt><dd>${toolLabel(facts) ?? 'Not recognised'}</dd>
      ${facts.language ? html`<dt>Language</dt><dd>${facts.language}</dd>` : ''}
      ${facts.description ? html`<dt>Description</dt><dd>${facts.description}</dd>` : ''}
      <dt>Contents</dt><dd>${plural(stats.items, 'item')} · ${plural(stats.pages, 'page')} · ${plural(stats.words, 'word')} · ${plural(stats.questions, 'question')} · ${stats.media} media · about ${stats.reading_time_minutes} min of reading</dd>
      <dt>Package</dt><dd>${bytes(facts.size_bytes)} · ${facts.entry_count} files · sha256 <code>${facts.sha256.slice(0, 16)}…</code></dd>
    </dl>
    <nav class="toc" aria-label="On this page"><ul>
      <li><a href="#tree">Course tree</a></li>
      <li><a href="#pages">Pages (${sections.pages.total})</a></li>
      <li><a href="#questions">Questions (${stats.questions})</a></li>
      <li><a href="#media">Media (${sections.media.total})</a></li>
      <li><a href="#warnings">Warnings (${sections.warnings.total})</a></li>
    </ul></nav>
    <h2 id="tree">Course tree</h2>
    ${index.outline.length ? outline(index.outline).list : html`<p class="empty">The package has no organization tree.</p>`}
    ${index.outline_total > index.outline.length ? html`<p class="muted">The first ${index.outline.length} of ${index.outline_total} items; the JSON result has them all.</p>` : ''}
    <h2 id="pages">Pages</h2>
    ${shown.pages.length ? shown.pages.map(pageSection) : html`<p class="empty">No learner text was found.</p>`}
    ${slicePager(index, query, 'pages', shown.pages.length, 'Pages')}
    <h2 id="questions">Questions</h2>
    ${shown.assessments.length ? shown.assessments.map(assessmentSection) : html`<p class="empty">No questions were found.</p>`}
    ${slicePager(index, query, 'questions', shown.assessments.length, 'Assessments')}
    <h2 id="media">Media</h2>
    ${shown.media.length
      ? html`<div class="table-wrap"><table>
          <thead><tr><th scope="col">File</th><th scope="col">Kind</th><th scope="col">Size</th><th scope="col">Duration</th><th scope="col">Alt text and transcripts</th></tr></thead>
          <tbody>${shown.media.map(mediaRow)}</tbody>
        </table></div>`
      : html`<p class="empty">No media.</p>`}
    ${slicePager(index, query, 'media', shown.media.length, 'Media')}
    <h2 id="warnings">Warnings</h2>
    ${shown.warnings.length
      ? html`<ul class="warnings">${shown.warnings.map((w) => html`<li><code>${w.code}</code> ${w.message}${w.path ? html` <span class="muted">(${w.path})</span>` : ''}</li>`)}</ul>`
      : html`<p class="empty">None: the package is well-formed.</p>`}
    ${slicePager(index, query, 'warnings', shown.warnings.length, 'Warnings')}`;
}

/** An extraction's result, readable; its Markdown as a download; restarting it. */
export async function extractionPages(app: LensApp, deps: AdminDeps): Promise<void> {
  const { extractions: contentExtractions, results } = deps;

  // However large the result, a page reads its index and one slice of each section.
  app.get('/extractions/:id', async (request: FastifyRequest<{ Params: { id: string }; Querystring: SliceQuery }>, reply) => {
    const session = sessionOf(request);
    const { extraction, file } = await contentExtractions.get(session.principal, pathIds.contentExtraction(request.params.id));
    const index = await results.index(extraction);
    const query: SliceQuery = {};
    for (const key of Object.keys(SECTION_OF) as (keyof typeof SECTION_OF)[]) if (request.query[key]) query[key] = String(sliceNumber(request.query[key]));
    const slice = <T>(key: keyof typeof SECTION_OF) => results.sectionSlice<T>(extraction, index, SECTION_OF[key], sliceNumber(query[key]));
    const [pages, assessments, media, warnings] = await Promise.all([
      slice<Page>('pages'),
      slice<Assessment>('questions'),
      slice<Media>('media'),
      slice<Warning>('warnings'),
    ]);
    return sendPage(reply, {
      title: index.package.title || file.file_name,
      session,
      section: 'files',
      body: html`<p><a href="/admin/files/${file.id}">← ${file.file_name}</a> · extraction ${extraction.id} · <a href="/admin/extractions/${extraction.id}/markdown" download>Markdown</a></p>${view(index, { pages, assessments, media, warnings }, query)}`,
    });
  });

  app.get('/extractions/:id/markdown', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const { extraction, file } = await contentExtractions.get(sessionOf(request).principal, pathIds.contentExtraction(request.params.id));
    const stream = await results.markdown(extraction);
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
