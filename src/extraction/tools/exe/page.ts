import { DomUtils } from 'htmlparser2';
import { parseHtml } from '../../content/html.js';
import { tidyBlocks } from '../../content/blocks.js';
import { normalizeSpace } from '../../content/text.js';
import type { Block, Question } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';
import type { MediaHint } from '../tool.js';
import { activityQuestions } from './activities.js';
import { all, byId, first, fragmentBlocks, hasClass, isElement, isInside, text, type Document, type Element } from './dom.js';

/** Media files a page links or plays. */
export const MEDIA_FILE = /\.(mp4|m4v|webm|ogv|ogg|mov|flv|mp3|m4a|wav|oga|aac)$/i;

export interface PageResult {
  title: string | null;
  language: string | null;
  description: string | null;
  blocks: Block[];
  assessments: { title: string | null; questions: Question[]; passingScore: number | null }[];
  media: MediaHint[];
}

function iDevices(doc: Document): Element[] {
  const eXe2 = all(doc.children, (e) => hasClass(e, 'iDevice_wrapper'));
  if (eXe2.length > 0) return eXe2.filter((e) => !eXe2.some((outer) => outer !== e && isInside(e, outer)));
  const boxes = all(doc.children, (e) => e.name === 'article' && hasClass(e, 'box'));
  if (boxes.length > 0) return boxes;
  return all(doc.children, (e) => hasClass(e, 'idevice_node'));
}

/** Whether an element sits in another iDevice of the box. */
function insideNode(element: Element, box: Element): boolean {
  for (let parent = element.parent; parent && parent !== box; parent = parent.parent) {
    if (isElement(parent) && hasClass(parent, 'idevice_node')) return true;
  }
  return false;
}

export function readPage(view: PackageView, file: string, html: string): PageResult {
  const doc = parseHtml(html, { decodeEntities: true, lowerCaseAttributeNames: true });
  const htmlElement = first(doc.children, (e) => e.name === 'html');
  const titleElement = byId(doc.children, 'nodeTitle') ?? first(doc.children, (e) => hasClass(e, 'page-title'));
  const docTitle = text(first(doc.children, (e) => e.name === 'title')).split(' | ')[0] ?? '';
  const description = first(doc.children, (e) => e.name === 'meta' && e.attribs.name === 'description')?.attribs.content;
  const scripts = all(doc.children, (e) => e.name === 'script').map((s) => DomUtils.textContent(s)).join('\n');

  const blocks: Block[] = [];
  const assessments: PageResult['assessments'] = [];
  const media = new Map<string, MediaHint>();
  const devices = iDevices(doc);
  const containers = devices.length > 0 ? devices : [byId(doc.children, 'main') ?? first(doc.children, (e) => e.name === 'main' || e.name === 'body')].filter((e): e is Element => !!e);

  for (const device of containers) {
    const titleNode = first(device, (e) => hasClass(e, 'iDeviceTitle') || hasClass(e, 'box-title'));
    const deviceTitle = text(titleNode);
    if (deviceTitle) blocks.push({ type: 'heading', level: 2, text: deviceTitle });
    // An eXe 3 box holds iDevices: each is an activity or text of its own.
    const nodes = hasClass(device, 'box') ? all(device, (e) => hasClass(e, 'idevice_node') && !insideNode(e, device)) : [];
    const parts = nodes.length > 0 ? nodes : [device];
    const questions: Question[] = [];
    let passingScore: number | null = null;
    for (const part of parts) {
      const activity = activityQuestions(part, file, scripts);
      // In an activity the feedback is the answer's, not more page text.
      const isActivity = activity.questions.length > 0;
      blocks.push(
        ...fragmentBlocks(part, (e) =>
          e === titleNode ||
          (devices.length === 0 && (e.name === 'header' || e.name === 'footer')) ||
          (isActivity && (hasClass(e, 'feedback') || hasClass(e, 'js-feedback') || hasClass(e, 'iDevice_feedbacks') || hasClass(e, 'js-hidden'))),
        ),
        ...activity.blocks,
      );
      questions.push(...activity.questions);
      passingScore ??= activity.passingScore;
    }
    if (questions.length > 0) assessments.push({ title: deviceTitle || null, questions, passingScore });

    for (const image of all(device, (e) => e.name === 'img')) {
      const path = view.resolve(file, image.attribs.src ?? '');
      const alt = normalizeSpace(image.attribs.alt ?? '');
      if (path) media.set(path, { ...media.get(path), path, ...(alt ? { altText: alt } : {}) });
    }
    for (const player of all(device, (e) => e.name === 'video' || e.name === 'audio')) {
      const sources = [player.attribs.src, ...all(player, (e) => e.name === 'source').map((s) => s.attribs.src)]
        .map((s) => (s ? view.resolve(file, s) : null))
        .filter((s): s is string => !!s);
      const captions = all(player, (e) => e.name === 'track' && /captions|subtitles|^$/.test(e.attribs.kind ?? ''))
        .map((t) => (t.attribs.src ? view.resolve(file, t.attribs.src) : null))
        .filter((s): s is string => !!s);
      for (const path of sources) {
        const previous = media.get(path);
        media.set(path, { ...previous, path, ...(captions.length ? { captions: [...new Set([...(previous?.captions ?? []), ...captions])] } : {}) });
      }
    }
    // Media linked rather than embedded (flash-era players, lightbox links, downloads).
    for (const link of all(device, (e) => (e.name === 'a' && MEDIA_FILE.test(e.attribs.href ?? '')) || (e.name === 'embed' && MEDIA_FILE.test(e.attribs.src ?? '')))) {
      const path = view.resolve(file, link.attribs.href ?? link.attribs.src ?? '');
      if (path && !media.has(path)) media.set(path, { path });
    }
  }

  return {
    title: text(titleElement) || normalizeSpace(docTitle) || null,
    language: htmlElement?.attribs.lang?.trim() || htmlElement?.attribs['xml:lang']?.trim() || null,
    description: description ? normalizeSpace(description) || null : null,
    blocks: tidyBlocks(blocks),
    assessments,
    media: [...media.values()],
  };
}
