import { parseHtml } from '../../content/html.js';
import type { PackageView } from '../../source/package-view.js';
import { launchInView, soleLaunchingItem } from '../items.js';
import type { AssessmentDraft, MediaHint, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from '../tool.js';
import { all, byId, first } from './dom.js';
import { MEDIA_FILE, readPage } from './page.js';

/**
 * eXeLearning exports: one HTML page per node of the project tree (the manifest's items launch
 * them), with the project itself in `contentv3.xml` / `content.data` (eXe 2) or `content.xml`
 * (eXe 3). Learner text is the iDevices of a page (`.iDevice_wrapper` in eXe 2, `article.box` /
 * `.idevice_node` in eXe 3); the header, menu, pagination and licence around them are chrome.
 * Activities keep their answers in the page: radio feedback blocks and a solution list
 * (multi-choice), `class="right|wrong"` (true-false), `value="True|False"` (multi-select),
 * XOR-obfuscated `clozeAnswer` spans (cloze), a scrambled list in its right order; eXe 3 forms
 * keep theirs as JSON (json-activities.ts), games and interactive videos in hidden data
 * (games.ts, interactive-video.ts).
 */

const MAX_PAGE_BYTES = 16 * 1024 * 1024;

const EXE_PAGE = /iDevice_wrapper|idevice_node|<meta[^>]+name="generator"[^>]+content="eXe|exe_jquery\.js|class="exe-(?:web-site|scorm|ims|epub|single-page)/i;

async function pageOrder(view: PackageView): Promise<{ file: string; itemId: string | null }[]> {
  const order: { file: string; itemId: string | null }[] = [];
  const seen = new Set<string>();
  const push = (file: string, itemId: string | null) => {
    if (seen.has(file) || !view.has(file) || !/\.html?$/i.test(file)) return;
    seen.add(file);
    order.push({ file, itemId });
  };
  for (const item of view.items) {
    const launch = launchInView(view, item);
    if (launch) push(launch, item.identifier);
  }
  // A single-SCO export launches one page; every other node page belongs to the same SCO.
  const onlyItem = soleLaunchingItem(view);
  // Web and IMS exports: the menu of the first page lists every node in tree order.
  const index = ['index.html', 'index.htm'].find((f) => view.has(f) && (view.size(f) ?? 0) <= MAX_PAGE_BYTES);
  if (index) {
    const doc = parseHtml((await view.text(index, MAX_PAGE_BYTES)) ?? '');
    const nav = byId(doc.children, 'siteNav') ?? first(doc.children, (e) => e.name === 'nav');
    push(index, onlyItem);
    for (const link of nav ? all(nav, (e) => e.name === 'a' && !!e.attribs.href) : []) {
      const target = view.resolve(index, link.attribs.href as string);
      if (target) push(target, onlyItem);
    }
  }
  // Pages the tree and the menu did not reach (a package without items, a stray node page).
  // (eXe 3 keeps every page but the first in html/.)
  for (const file of view.files().filter((f) => /^(html\/)?[^/]+\.html?$/i.test(f))) push(file, onlyItem);
  return order;
}

async function detect(view: PackageView): Promise<ToolDetection | null> {
  const files = new Set(view.files());
  const project = ['contentv3.xml', 'content.data', 'content.elp', 'content.xml'].some((f) => files.has(f));
  const index = ['index.html', 'index.htm'].find((f) => files.has(f)) ?? view.items.find((i) => i.launch && files.has(i.launch))?.launch;
  const head = index && (view.size(index) ?? 0) < MAX_PAGE_BYTES ? ((await view.text(index)) ?? '').slice(0, 256 * 1024) : '';
  const marked = EXE_PAGE.test(head) || /eXeLearning|exelearning\.net/i.test(head);
  const projectIsExe = files.has('contentv3.xml') || files.has('content.data') || files.has('content.elp');
  if (!projectIsExe && !(project && marked) && !(marked && /iDevice_wrapper|idevice_node/.test(head))) return null;
  const version = head.match(/name="generator"\s+content="eXe(?:Learning)?\s*v?(\d+(?:\.\d+)*)/i);
  return { version: version ? (version[1] as string) : null };
}

async function extract(view: PackageView): Promise<ToolOutput> {
  const order = await pageOrder(view);
  const pages: PageDraft[] = [];
  const assessments: AssessmentDraft[] = [];
  const media = new Map<string, MediaHint>();
  let language: string | null = null;
  let description: string | null = null;
  for (const { file, itemId } of order) {
    if ((view.size(file) ?? 0) > MAX_PAGE_BYTES) continue;
    const html = await view.text(file, MAX_PAGE_BYTES);
    if (!html || !EXE_PAGE.test(html)) continue;
    const page = readPage(view, file, html);
    language ??= page.language;
    description ??= page.description;
    const pageIndex = pages.length;
    pages.push({ title: page.title, kind: 'page', source: file, itemId, blocks: page.blocks });
    for (const activity of page.assessments) {
      assessments.push({
        title: activity.title ?? page.title,
        source: file,
        itemId,
        pageIndex,
        passingScore: activity.passingScore,
        questions: activity.questions,
      });
    }
    for (const hint of page.media) {
      const previous = media.get(hint.path);
      media.set(hint.path, { ...previous, ...hint, ...(previous?.altText && !hint.altText ? { altText: previous.altText } : {}) });
    }
  }
  return {
    language,
    description,
    pages,
    assessments,
    media: [...media.values()].filter((m) => m.altText || m.captions?.length || MEDIA_FILE.test(m.path)),
  };
}

export const exe: ToolDecoder = { name: 'eXeLearning', detect, extract };
