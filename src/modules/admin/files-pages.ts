import type { FastifyRequest } from 'fastify';
import type { LensApp } from '../../app.js';
import type { AdminDeps } from './deps.js';
import { readPage } from '../../http/pagination.js';
import { pathIds } from '../../http/schemas.js';
import { scormFileStatuses, type ContentExtraction, type ScormFile, type ScormFileStatus } from '../../infra/db/schema.js';
import { isManager } from '../accounts/principal.js';
import { latestCompletedOf } from '../scorm-files/extractions-service.js';
import { NEWEST_FIRST, scormFileSortKeys, type ScormFileSort } from '../scorm-files/files-repository.js';
import { uploadMultipart } from '../scorm-files/multipart-upload.js';
import { bytes, html, when, type Html } from '../../http/html.js';
import { csrfField, doneNotice, none, pager, postButton, sendPage, type Notice } from './layout.js';
import { checkCsrf, sessionOf } from './requests.js';

const PAGE_SIZE = 25;

/** What each file status means to a person, and whether it can still change by itself. */
const FILE_STATUS: Record<ScormFileStatus, { label: string; final: boolean }> = {
  processing: { label: 'Preparing', final: false },
  processed: { label: 'Extracting', final: false },
  content_extraction_completed: { label: 'Extracted', final: true },
  failed: { label: 'Failed', final: true },
  extraction_stalled: { label: 'Stalled', final: true },
};

/** A status badge; badges of files still moving are refreshed by the page's script. */
export const fileBadge = (file: ScormFile) =>
  html`<span class="badge ${file.status}" data-file-id="${file.id}" data-final="${String(FILE_STATUS[file.status].final)}">${FILE_STATUS[file.status].label}</span>`;

const extractionBadge = (extraction: ContentExtraction) => html`<span class="badge ${extraction.status}">${extraction.status.replace('_', ' ')}</span>`;

const DONE: Record<string, Notice> = {
  uploaded: { kind: 'success', text: 'Uploaded. Extraction starts by itself; the status updates on this page.' },
  deleted: { kind: 'success', text: 'The file was deleted.' },
  restarted: { kind: 'success', text: 'The extraction was restarted.' },
};

interface ListQuery {
  status?: string;
  batch?: string;
  q?: string;
  page?: string;
  done?: string;
  sort?: string;
  dir?: string;
}

/** The list's columns, and what each sorts by when its header is chosen (the date starts newest first). */
const COLUMNS: { label: string; sort?: ScormFileSort['by'] }[] = [
  { label: 'Name', sort: 'name' },
  { label: 'Title', sort: 'title' },
  { label: 'Standard', sort: 'standard' },
  { label: 'Tool', sort: 'tool' },
  { label: 'Batch' },
  { label: 'Status' },
  { label: 'Size' },
  { label: 'Uploaded', sort: 'date' },
];

/** The sort a list asks for, and the query parameters that keep it on other links (none for the default). */
function sortOf(query: ListQuery): { sort: ScormFileSort; params: Record<string, string> } {
  const by = scormFileSortKeys.find((key) => key === query.sort);
  if (!by) return { sort: NEWEST_FIRST, params: {} };
  const direction = query.dir === 'asc' || query.dir === 'desc' ? query.dir : by === 'date' ? 'desc' : 'asc';
  return { sort: { by, direction }, params: { sort: by, dir: direction } };
}

/** A column's header: a link that sorts by it (the other way when it is the sort already), keeping the filters. */
function columnHeader(column: (typeof COLUMNS)[number], sort: ScormFileSort, filters: Record<string, string | undefined>): Html {
  if (!column.sort) return html`<th scope="col">${column.label}</th>`;
  const current = column.sort === sort.by;
  const direction = current ? (sort.direction === 'asc' ? 'desc' : 'asc') : column.sort === 'date' ? 'desc' : 'asc';
  const params = new URLSearchParams(Object.entries({ ...filters, sort: column.sort, dir: direction }).filter((e): e is [string, string] => Boolean(e[1])));
  return html`<th scope="col" ${current ? html`aria-sort="${sort.direction === 'asc' ? 'ascending' : 'descending'}"` : ''}><a class="sort" href="/admin/files?${params.toString()}">${column.label}${
    current ? html`<span aria-hidden="true">${sort.direction === 'asc' ? ' ▲' : ' ▼'}</span>` : ''
  }</a></th>`;
}

/** The files a user may see, with upload, live status, filters and search; each file's page. */
export async function filesPages(app: LensApp, deps: AdminDeps): Promise<void> {
  const { files: scormFiles, presenter } = deps;

  app.get('/files', async (request: FastifyRequest<{ Querystring: ListQuery }>, reply) => {
    const session = sessionOf(request);
    const query = request.query;
    const status = scormFileStatuses.find((s) => s === query.status);
    const batch = query.batch || undefined;
    const search = query.q?.trim().slice(0, 200) || undefined;
    const page = readPage({ page: query.page, page_size: String(PAGE_SIZE) });
    const { sort, params: sortParams } = sortOf(query);
    const [{ count, rows }, batches] = await Promise.all([
      scormFiles.page(session.principal, { status, batchName: batch, search }, page.offset, page.pageSize, sort),
      scormFiles.batchNames(session.principal),
    ]);
    const filtered = Boolean(status || batch || search);
    const table = rows.length
      ? html`<div class="table-wrap"><table>
          <caption class="visually-hidden">SCORM files</caption>
          <thead><tr>${COLUMNS.map((column) => columnHeader(column, sort, { status, batch, q: search }))}</tr></thead>
          <tbody>
            ${rows.map(({ file, extractions }) => {
              const facts = latestCompletedOf(extractions);
              return html`<tr>
                <td class="name"><a href="/admin/files/${file.id}">${file.file_name}</a></td>
                <td>${facts?.package_title ?? none}</td>
                <td>${facts?.package_standard ?? none}</td>
                <td>${facts?.package_tool ?? none}</td>
                <td>${file.batch_name ?? none}</td>
                <td>${fileBadge(file)}</td>
                <td>${bytes(file.file_size_bytes)}</td>
                <td>${when(file.created_at)}</td>
              </tr>`;
            })}
          </tbody>
        </table></div>
        ${pager('/admin/files', { status, batch, q: search, ...sortParams }, page.page, page.pageSize, count)}`
      : html`<div class="empty">${
          filtered
            ? html`<p>No file matches these filters.</p><p><a href="/admin/files">Show all files</a></p>`
            : html`<p>No SCORM files yet.</p><p>Drop a package (.zip) above, or upload one through the API.</p>`
        }</div>`;
    return sendPage(reply, {
      title: 'SCORM files',
      session,
      section: 'files',
      notice: doneNotice(query.done, DONE),
      body: html`
        <form id="upload" class="card dropzone" method="post" action="/admin/files/upload" enctype="multipart/form-data">
          ${csrfField(session)}
          <p class="drop-hint"><strong>Drop packages here</strong> or choose them. SCORM 1.2/2004, cmi5, xAPI and AICC zips.</p>
          <div class="fields">
            <div><label for="upload-file">Package</label><input id="upload-file" name="file" type="file" accept=".zip,application/zip" required></div>
            <div><label for="upload-batch">Batch name (optional)</label><input id="upload-batch" name="batch_name" maxlength="255"></div>
            <div class="actions"><button type="submit">Upload</button></div>
          </div>
          <ul class="uploads" aria-live="polite"></ul>
        </form>
        <form class="filters" method="get" action="/admin/files" role="search">
          <div><label for="q">Search by name</label><input id="q" name="q" type="search" value="${search ?? ''}"></div>
          <div><label for="status">Status</label><select id="status" name="status">
            <option value="">Any status</option>
            ${scormFileStatuses.map((s) => html`<option value="${s}" ${s === status ? 'selected' : ''}>${FILE_STATUS[s].label}</option>`)}
          </select></div>
          <div><label for="batch">Batch</label><select id="batch" name="batch">
            <option value="">Any batch</option>
            ${batches.map((b) => html`<option value="${b}" ${b === batch ? 'selected' : ''}>${b}</option>`)}
          </select></div>
          ${Object.entries(sortParams).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
          <div class="actions"><button type="submit" class="secondary">Filter</button></div>
        </form>
        <p class="muted count">${count} file${count === 1 ? '' : 's'}</p>
        ${table}`,
    });
  });

  // Uploads stream to storage like the API's; the page's script sends them and shows the progress.
  app.post('/files/upload', async (request, reply) => {
    const file = await uploadMultipart(request, deps.upload, sessionOf(request).principal, (fields) => checkCsrf(request, fields));
    if (request.headers.accept === 'application/json') return reply.send({ id: file.id, url: `/admin/files/${file.id}` });
    return reply.redirect('/admin/files?done=uploaded', 303);
  });

  // Polled by the page's script while extractions run.
  app.get('/files/status', async (request: FastifyRequest<{ Querystring: { ids?: string } }>) => {
    const ids = (request.query.ids ?? '').split(',').slice(0, 100).map(Number).filter((id) => Number.isSafeInteger(id) && id > 0);
    const files = await scormFiles.visibleMany(sessionOf(request).principal, ids);
    return { files: files.map((file) => ({ id: file.id, status: file.status, ...FILE_STATUS[file.status] })) };
  });

  app.get('/files/:id', async (request: FastifyRequest<{ Params: { id: string }; Querystring: { done?: string } }>, reply) => {
    const session = sessionOf(request);
    const { file, extractions } = await scormFiles.get(session.principal, pathIds.scormFile(request.params.id));
    const links = await Promise.all(extractions.map((e) => presenter.extraction(e, file)));
    const uploader = file.api_key_name ? `API key "${file.api_key_name}"` : file.public_url ? 'Public URL' : 'Admin panel';
    const extractionRows = extractions.map((extraction, i) => {
      const completed = extraction.status === 'completed';
      return html`<tr>
        <td>${extraction.id}</td>
        <td>${extractionBadge(extraction)}</td>
        <td>${when(extraction.started_at)}</td>
        <td>${extraction.finished_at === null ? none : when(extraction.finished_at)}</td>
        <td class="remarks">${extraction.remarks ?? ''}</td>
        <td class="row-actions">
          ${completed ? html`<a class="button" href="/admin/extractions/${extraction.id}">View</a>` : ''}
          ${completed && links[i]?.download_link ? html`<a class="button secondary" href="${links[i].download_link}" download>JSON</a>` : ''}
          ${completed ? html`<a class="button secondary" href="/admin/extractions/${extraction.id}/markdown" download>Markdown</a>` : ''}
          ${postButton(session, `/admin/extractions/${extraction.id}/restart`, 'Restart')}
        </td>
      </tr>`;
    });
    return sendPage(reply, {
      title: file.file_name,
      session,
      section: 'files',
      notice: doneNotice(request.query.done, DONE),
      body: html`
        <p><a href="/admin/files">← All files</a></p>
        <dl class="facts" data-reload-when-final>
          <dt>Status</dt><dd>${fileBadge(file)}</dd>
          <dt>Remark</dt><dd>${file.remark ?? '–'}</dd>
          <dt>Batch</dt><dd>${file.batch_name ?? '–'}</dd>
          <dt>Size</dt><dd>${bytes(file.file_size_bytes)}</dd>
          <dt>Uploaded</dt><dd>${when(file.created_at)} · ${uploader}${isManager(session.principal) ? html` · user ${file.user_id}` : ''}</dd>
          ${file.public_url ? html`<dt>Public URL</dt><dd class="break">${file.public_url}</dd>` : ''}
          <dt>Storage path</dt><dd class="break"><code>${file.storage_path ?? '–'}</code></dd>
        </dl>
        ${
          file.status === 'content_extraction_completed'
            ? html`<h2>Preview</h2>
                <p>Play the course as a learner would. A preview is kept apart from the learners' records.</p>
                ${postButton(session, `/admin/files/${file.id}/preview`, 'Preview')}`
            : ''
        }
        <h2>Extractions</h2>
        ${
          extractions.length
            ? html`<div class="table-wrap"><table>
                <thead><tr><th scope="col">#</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Finished</th><th scope="col">Remarks</th><th scope="col">Actions</th></tr></thead>
                <tbody>${extractionRows}</tbody>
              </table></div>`
            : html`<div class="empty"><p>No extraction yet: it starts once the file is prepared.</p></div>`
        }
        <h2>Delete</h2>
        <p>Deleting hides the file and its extractions from the panel and the API.</p>
        ${postButton(session, `/admin/files/${file.id}/delete`, 'Delete this file', { kind: 'danger', confirm: `Delete ${file.file_name}?` })}`,
    });
  });

  app.post('/files/:id/preview', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const { principal, email } = sessionOf(request);
    const launch = await deps.launches.create(principal, {
      scormFileId: pathIds.scormFile(request.params.id),
      learner: { userId: `panel-user-${principal.userId}`, name: email },
      preview: true,
    });
    return reply.redirect(launch.launch_url, 303);
  });

  app.post('/files/:id/delete', async (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    await scormFiles.delete(sessionOf(request).principal, pathIds.scormFile(request.params.id));
    return reply.redirect('/admin/files?done=deleted', 303);
  });
}
