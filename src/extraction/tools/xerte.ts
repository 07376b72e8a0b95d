import { Parser } from 'htmlparser2';
import { blockText, htmlToBlocks, htmlToText } from '../content/html.js';
import { tidyBlocks } from '../content/blocks.js';
import { looksLikeBase64, looksLikeCode, normalizeSpace } from '../content/text.js';
import { attr, children, decodeText, parseXml, type XmlNode } from '../manifest/xml.js';
import type { Block, Question } from '../result/extraction-result.js';
import type { PackageView } from '../source/package-view.js';
import { makeQuestion, type QuestionInput } from './question.js';
import type { AssessmentDraft, MediaHint, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from './tool.js';

/**
 * Xerte Online Toolkits learning objects: `template.xml` is the whole project. Its root
 * `<learningObject>` holds one element per page, named after the page model (`text`, `mcq`,
 * `quiz`, `gapFill`, `hotspotImage`...); learner text is in CDATA and in attributes, as HTML
 * escaped once more (`&amp;aacute;`); media are `FileLocation + 'media/file'` references.
 */

const TEMPLATE = 'template.xml';
const MAX_TEMPLATE_BYTES = 64 * 1024 * 1024;
const DETECT_BYTES = 1024 * 1024;

/** Attributes holding learner text, in the order a page shows them. */
const TEXT_BEFORE = ['textTop', 'intro', 'introduction', 'pageIntro', 'text', 'instruction', 'instructions', 'textIntro'];
const TEXT_QUESTION = ['prompt', 'question', 'passage', 'side1', 'side2', 'p1', 'p2', 'term', 'definition', 'caption', 'hint'];
const TEXT_AFTER = ['textBottom', 'summary', 'conclusion'];
const TEXT_ATTRIBUTES = [...TEXT_BEFORE, ...TEXT_QUESTION, ...TEXT_AFTER];
/** Attributes naming a media file, with the attributes that describe it. */
const MEDIA_ATTRIBUTES = ['url', 'img', 'image', 'media', 'media1', 'media2', 'sound', 'video', 'audio', 'file', 'audioFB', 'soundFile', 'imageFile'];
const ALT_ATTRIBUTES = ['tip', 'alt', 'alttext', 'wcagAlt', 'tip1', 'tip2', 'imageTip', 'audioImageTip'];
const TRANSCRIPT_ATTRIBUTES = ['transcript', 'transcript1', 'transcript2', 'soundTranscript', 'audioTranscript', 'narrationTranscript'];
const CAPTION_ATTRIBUTES = ['subtitles', 'subtitle', 'captions', 'vtt', 'srt'];
/** Answer options of a question. */
const OPTION = /^(option|cOption|opinionOption|synchMCQOption)$/;
/** Elements whose `name` is an authoring label (results pages, tracking), never shown as a heading. */
const LABELLED_ONLY = /^(option|cOption|opinionOption|synchMCQOption|question|opinionQuestion|sentence|dialogStep|QHotSpot|cHotspot|synch\w*|classFeedback)$/;
/** Defaults the editor puts in new pages and that authors leave in place. */
const PLACEHOLDER =
  /^(enter\b.*|description for the hotspot|feedback for (the|this) \w+|content for the pane|here is an option|option text|tooltip hotspot|nested page name|clear panel|subtitle holder|text area|new page|untitled)$/i;

// ---------------------------------------------------------------------------------------------
// XML in document order. parseXml groups an element's children by name; Xerte's page order is
// the order of mixed siblings, so a second, streaming pass records each element's child names and
// the two are walked together.

interface Shape {
  name: string;
  children: Shape[];
}

function documentShape(xml: string): Shape {
  const root: Shape = { name: '#document', children: [] };
  const stack: Shape[] = [root];
  const parser = new Parser(
    {
      onopentag(name) {
        const shape: Shape = { name: name.replace(/^.*:/, ''), children: [] };
        stack.at(-1)?.children.push(shape);
        stack.push(shape);
      },
      onclosetag() {
        if (stack.length > 1) stack.pop();
      },
    },
    { xmlMode: true, recognizeCDATA: true },
  );
  parser.write(xml);
  parser.end();
  return root;
}

interface OrderedNode {
  tag: string;
  node: XmlNode;
  children: OrderedNode[];
}

function ordered(node: XmlNode, shape: Shape | undefined): OrderedNode[] {
  const names = Object.keys(node).filter((k) => !k.startsWith('@_') && k !== '#text');
  const agrees =
    shape !== undefined &&
    names.every((name) => children(node, name).length === shape.children.filter((c) => c.name === name).length);
  if (!shape || !agrees) {
    // The two readings disagree: keep parseXml's grouping rather than guess.
    return names.flatMap((tag) => children(node, tag).map((child) => ({ tag, node: child, children: ordered(child, undefined) })));
  }
  const used = new Map<string, number>();
  const result: OrderedNode[] = [];
  for (const childShape of shape.children) {
    const index = used.get(childShape.name) ?? 0;
    used.set(childShape.name, index + 1);
    const child = children(node, childShape.name)[index];
    if (child) result.push({ tag: childShape.name, node: child, children: ordered(child, childShape) });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Values.

const textOf = (node: XmlNode): string => {
  const own = node['#text'];
  return typeof own === 'string' ? own : '';
};

/** `FileLocation + 'media/x.png'` (in attributes and inside HTML) becomes `media/x.png`. */
const fileReference = (value: string): string => value.replace(/FileLocation\s*\+\s*(['"])([^'"]*)\1/g, '$2');

function plain(value: string | undefined): string {
  if (!value) return '';
  const text = htmlToText(fileReference(value));
  return PLACEHOLDER.test(text) ? '' : text;
}

function htmlBlocks(value: string | undefined): Block[] {
  if (!value || !value.trim()) return [];
  const html = fileReference(value);
  // Bullet pages keep one bullet a line, without markup.
  if (!/[<&]/.test(html) && html.includes('\n')) {
    const lines = html.split(/\r?\n/).map(normalizeSpace).filter(Boolean);
    if (lines.length > 1) return [{ type: 'list', ordered: false, items: lines }];
  }
  return htmlToBlocks(html).blocks.filter((b) => !PLACEHOLDER.test(blockText(b)));
}

const isTrue = (value: string | undefined): boolean => value?.toLowerCase() === 'true';

// ---------------------------------------------------------------------------------------------
// Questions.

interface Built {
  questions: Question[];
  /** Learner text the page shows instead of the raw attribute (gap fills show blanks). */
  replacements: Map<string, Block[]>;
}

function gapParts(passage: string, delimiter: string): { text: string; gaps: string[] } {
  const gaps: string[] = [];
  const escaped = delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const text = passage.replace(new RegExp(`${escaped}([^${escaped}]*?)${escaped}`, 'g'), (_m, gap: string) => {
    gaps.push(htmlToText(gap));
    return ' ____ ';
  });
  return { text, gaps };
}

function choiceQuestion(id: string, node: XmlNode, optionTag: RegExp, items: OrderedNode[], generalFeedback: string | undefined): QuestionInput {
  const options = items.filter((c) => optionTag.test(c.tag));
  const marked = attr(node, 'markFeedback') !== 'false' && options.some((o) => isTrue(attr(o.node, 'correct')));
  const multiple = /multi/i.test(attr(node, 'type') ?? '') || /multi/i.test(attr(node, 'answerType') ?? '');
  return {
    id,
    type: multiple ? 'multiple_response' : 'choice',
    prompt: fileReference(attr(node, 'prompt') ?? attr(node, 'text') ?? attr(node, 'question') ?? ''),
    source: TEMPLATE,
    choices: options.map((o, i) => ({
      id: attr(o.node, 'linkID') ?? String(i + 1),
      text: fileReference(attr(o.node, 'text') ?? textOf(o.node) ?? ''),
      correct: marked ? isTrue(attr(o.node, 'correct')) : null,
      feedback: attr(o.node, 'feedback') ? fileReference(attr(o.node, 'feedback') as string) : null,
    })),
    feedback: generalFeedback ? { correct: generalFeedback, incorrect: generalFeedback } : undefined,
  };
}

function buildQuestions(page: OrderedNode): Built {
  const questions: Question[] = [];
  const replacements = new Map<string, Block[]>();
  const pageId = attr(page.node, 'linkID') ?? page.tag;
  const visit = (item: OrderedNode, index: string) => {
    const node = item.node;
    const id = attr(node, 'linkID') ?? `${pageId}-${index}`;
    const feedback = attr(node, 'feedback');
    const add = (input: QuestionInput) => {
      const question = makeQuestion(input);
      if (question.prompt || question.choices.length > 0) questions.push(question);
    };
    switch (item.tag) {
      case 'mcq':
      case 'synchMCQ':
      case 'question':
        add(choiceQuestion(id, node, /^(option|synchMCQOption)$/, item.children, feedback));
        return;
      case 'quiz':
        item.children.filter((c) => c.tag === 'question').forEach((q, i) => visit(q, `${index}.${i + 1}`));
        return;
      case 'cMcq':
        // A connector question: each answer leads to another page; none is marked correct.
        add({ ...choiceQuestion(id, node, /^cOption$/, item.children, undefined), type: 'choice' });
        return;
      case 'opinion':
        for (const [i, q] of item.children.filter((c) => c.tag === 'opinionQuestion').entries()) {
          add({
            id: attr(q.node, 'linkID') ?? `${id}.${i + 1}`,
            type: 'likert',
            prompt: fileReference(attr(q.node, 'prompt') ?? ''),
            source: TEMPLATE,
            choices: q.children.filter((c) => c.tag === 'opinionOption').map((o) => ({ text: attr(o.node, 'text') ?? '', correct: null })),
          });
        }
        return;
      case 'gapFill': {
        const passage = attr(node, 'passage') ?? '';
        const { text, gaps } = gapParts(fileReference(passage), attr(node, 'mainDelimiter') || '|');
        if (gaps.length === 0) return;
        replacements.set(`${id}:passage`, htmlToBlocks(text).blocks);
        const separator = attr(node, 'answerDelimiter') || ',';
        add({
          id,
          type: 'fill_in',
          prompt: text,
          source: TEMPLATE,
          correctAnswers: gaps.map((g) => g.split(separator).map((s) => s.trim()).filter(Boolean).join(' / ')),
          feedback: feedback ? { correct: feedback, incorrect: feedback } : undefined,
        });
        return;
      }
      case 'textMatch': {
        const sentences = item.children.filter((c) => c.tag === 'sentence');
        if (sentences.length === 0) return;
        add({
          id,
          type: 'matching',
          prompt: attr(node, 'text') ?? textOf(node),
          source: TEMPLATE,
          matches: sentences.map((s) => ({ source: attr(s.node, 'p1') ?? '', target: attr(s.node, 'p2') ?? '' })),
        });
        return;
      }
      case 'hotSpotQuestion': {
        const spots = item.children.filter((c) => c.tag === 'QHotSpot');
        if (spots.length === 0) return;
        add({
          id,
          type: 'hotspot',
          prompt: attr(node, 'text') ?? textOf(node),
          source: TEMPLATE,
          choices: spots.map((s) => ({
            text: plain(attr(s.node, 'name')) || plain(attr(s.node, 'text')),
            correct: isTrue(attr(s.node, 'truth')),
            feedback: attr(s.node, 'Feedback') ?? attr(s.node, 'feedback') ?? null,
          })),
          feedback: attr(node, 'generalFeedback') ? { correct: attr(node, 'generalFeedback'), incorrect: attr(node, 'generalFeedback') } : undefined,
        });
        return;
      }
      case 'dialog':
        for (const [i, step] of item.children.filter((c) => c.tag === 'dialogStep').entries()) {
          const answer = attr(step.node, 'answer') ?? '';
          add({
            id: attr(step.node, 'linkID') ?? `${id}.${i + 1}`,
            type: 'fill_in',
            prompt: attr(step.node, 'question') ?? '',
            source: TEMPLATE,
            correctAnswers: answer.split(attr(node, 'answerDelimeter') || attr(node, 'delim') || ',').map((a) => a.trim()),
          });
        }
        return;
      case 'categories': {
        const matches = item.children
          .filter((c) => c.tag === 'category')
          .flatMap((category) =>
            category.children
              .filter((c) => c.tag === 'item')
              .map((i) => ({ source: attr(i.node, 'name') ?? '', target: attr(category.node, 'name') ?? '' })),
          );
        if (matches.length > 0) {
          add({ id, type: 'matching', prompt: attr(node, 'text') ?? textOf(node), source: TEMPLATE, matches });
        }
        return;
      }
      default:
        item.children.forEach((c, i) => visit(c, `${index}.${i + 1}`));
    }
  };
  visit(page, '1');
  return { questions, replacements };
}

// ---------------------------------------------------------------------------------------------
// Page text and media.

/** Script or encoded data that slipped into a text block (tables and lists keep their symbols). */
function isJunk(block: Block): boolean {
  if (block.type !== 'paragraph' && block.type !== 'heading' && block.type !== 'quote') return false;
  return looksLikeBase64(block.text) || (block.text.length > 40 && looksLikeCode(block.text));
}

function pageBlocks(page: OrderedNode, replacements: Map<string, Block[]>): Block[] {
  const blocks: Block[] = [];
  const pageId = attr(page.node, 'linkID') ?? page.tag;
  const addAttribute = (item: OrderedNode, name: string) => {
    const id = attr(item.node, 'linkID') ?? (item === page ? pageId : '');
    const replaced = replacements.get(`${id}:${name}`);
    if (replaced) blocks.push(...replaced);
    else blocks.push(...htmlBlocks(attr(item.node, name)));
  };
  const walk = (item: OrderedNode, depth: number) => {
    const node = item.node;
    if (depth > 0 && !LABELLED_ONLY.test(item.tag)) {
      // A nested page, tab, panel or hotspot shows its name as a heading above its own text.
      const name = plain(attr(node, 'name') ?? attr(node, 'title'));
      const hasText = TEXT_ATTRIBUTES.some((a) => plain(attr(node, a))) || plain(textOf(node)) !== '';
      if (name && (hasText || item.children.length > 0)) blocks.push({ type: 'heading', level: Math.min(6, depth + 1), text: name });
      else if (name && /^(item|category|label|hotspot|card|step|term|word)$/i.test(item.tag)) blocks.push({ type: 'paragraph', text: name });
    }
    for (const name of TEXT_BEFORE) addAttribute(item, name);
    if (item.tag === 'embedDiv') {
      // An embedded page: HTML written by the author, or the address of a site (no text).
      const src = attr(node, 'src') ?? '';
      if (/^\s*</.test(src)) blocks.push(...htmlBlocks(src));
    }
    blocks.push(...htmlBlocks(textOf(node)));
    for (const name of TEXT_QUESTION) addAttribute(item, name);
    // Answer options read as a list under their question.
    let options: string[] = [];
    const flush = () => {
      if (options.length > 0) blocks.push({ type: 'list', ordered: false, items: options });
      options = [];
    };
    for (const child of item.children) {
      if (OPTION.test(child.tag)) {
        const text = plain(attr(child.node, 'text') ?? textOf(child.node));
        if (text) options.push(text);
        continue;
      }
      flush();
      walk(child, depth + 1);
    }
    flush();
    for (const name of TEXT_AFTER) addAttribute(item, name);
  };
  walk(page, 0);
  return tidyBlocks(blocks.filter((b) => !isJunk(b)));
}

function collectMedia(view: PackageView, root: OrderedNode, media: Map<string, MediaHint>): void {
  const local = (reference: string | undefined): string | null => {
    if (!reference) return null;
    const cleaned = fileReference(reference).trim();
    if (!cleaned || /^(https?:)?\/\//i.test(cleaned) || !/\.\w{2,5}$/.test(cleaned.replace(/[?#].*$/, ''))) return null;
    return view.resolve(TEMPLATE, cleaned);
  };
  const merge = (path: string, hint: Partial<MediaHint>) => {
    const previous = media.get(path) ?? { path };
    media.set(path, {
      ...previous,
      ...(hint.altText && !previous.altText ? { altText: hint.altText } : {}),
      ...(hint.transcript && !previous.transcript ? { transcript: hint.transcript } : {}),
      ...(hint.captions?.length ? { captions: [...new Set([...(previous.captions ?? []), ...hint.captions])] } : {}),
    });
  };
  const walk = (item: OrderedNode) => {
    const node = item.node;
    const alt = ALT_ATTRIBUTES.map((a) => plain(attr(node, a))).find(Boolean);
    const transcript = TRANSCRIPT_ATTRIBUTES.map((a) => htmlBlocks(attr(node, a)).map(blockText).join('\n')).find(Boolean);
    const captions = CAPTION_ATTRIBUTES.map((a) => local(attr(node, a))).filter((c): c is string => !!c && /\.(vtt|srt)$/i.test(c));
    for (const name of MEDIA_ATTRIBUTES) {
      const path = local(attr(node, name));
      if (!path) continue;
      const isImage = /\.(png|jpe?g|gif|svg|webp|bmp)$/i.test(path);
      merge(path, {
        altText: isImage ? alt : undefined,
        transcript: !isImage && transcript ? { language: null, cues: [], text: transcript } : undefined,
        captions: isImage ? [] : captions,
      });
    }
    // Images and media inside the HTML of the page.
    for (const value of [...Object.keys(node).filter((k) => k.startsWith('@_')).map((k) => node[k]), node['#text']]) {
      if (typeof value !== 'string' || !/<(img|video|audio|source|track)\b/i.test(value)) continue;
      const html = fileReference(value);
      for (const image of htmlToBlocks(html).images) {
        const path = local(image.src);
        if (path) merge(path, { altText: image.alt && !PLACEHOLDER.test(image.alt) ? image.alt : undefined });
      }
      for (const m of html.matchAll(/<(?:video|audio|source)\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)) {
        const path = local(m[1]);
        if (path) merge(path, {});
      }
    }
    item.children.forEach(walk);
  };
  walk(root);
}

async function readTemplate(view: PackageView): Promise<{ root: OrderedNode; raw: string } | null> {
  let bytes: Buffer;
  try {
    bytes = await view.bytes(TEMPLATE, MAX_TEMPLATE_BYTES);
  } catch (error) {
    view.warn('file_unreadable', `${TEMPLATE} could not be read: ${(error as Error).message}`, TEMPLATE);
    return null;
  }
  let tree: XmlNode;
  try {
    tree = parseXml(bytes, view.base + TEMPLATE, view.warnings);
  } catch (error) {
    view.warn('xerte_template_invalid', `${TEMPLATE} cannot be read: ${(error as Error).message}`, TEMPLATE);
    return null;
  }
  const raw = decodeText(bytes);
  const shape = documentShape(raw).children.find((s) => s.name === 'learningObject');
  const node = children(tree, 'learningObject')[0];
  if (!node) return null;
  return { root: { tag: 'learningObject', node, children: ordered(node, shape) }, raw };
}

function passingScore(root: XmlNode): number | null {
  const value = attr(root, 'trackingPassed');
  const n = value ? Number.parseFloat(value) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

async function detect(view: PackageView): Promise<ToolDetection | null> {
  if (!view.has(TEMPLATE)) return null;
  const files = view.files();
  // The SCORM launchers and the HTML5 player ("xenith") are Xerte's own names.
  const launcher = files.some((f) => /^scorm(2004)?[\w.]*RLO\.html?$/i.test(f));
  const engine = files.some((f) => /(^|\/)(xenith|xerte)[\w.-]*\.js$/i.test(f) || /^(models_html5|common_html5)\//.test(f));
  if (launcher || engine) return { version: null };
  // Otherwise the project itself must say so; only a small head of it is read.
  const size = view.size(TEMPLATE);
  if (size === null || size > DETECT_BYTES) return null;
  try {
    const head = decodeText(await view.bytes(TEMPLATE, DETECT_BYTES)).slice(0, 4096);
    return /<learningObject\b[^>]*\b(editorVersion|targetFolder)=/.test(head) ? { version: null } : null;
  } catch {
    return null;
  }
}

async function extract(view: PackageView): Promise<ToolOutput> {
  const template = await readTemplate(view);
  if (!template) return { pages: [], assessments: [], media: [] };
  const { root } = template;
  const items = view.items.filter((i) => i.launch);
  const itemId = items.length === 1 ? (items[0] as { identifier: string }).identifier : (items.find((i) => /RLO\.html?$|index\.html?$/i.test(i.launch ?? ''))?.identifier ?? null);

  const pages: PageDraft[] = [];
  const assessments: AssessmentDraft[] = [];
  const media = new Map<string, MediaHint>();
  for (const page of root.children) {
    if (isTrue(attr(page.node, 'hidePage'))) continue;
    const { questions, replacements } = buildQuestions(page);
    const title = plain(attr(page.node, 'name')) || null;
    const pageIndex = pages.length;
    pages.push({ title, kind: 'page', source: TEMPLATE, itemId, blocks: pageBlocks(page, replacements) });
    if (questions.length > 0) {
      assessments.push({ title, source: TEMPLATE, itemId, pageIndex, passingScore: passingScore(root.node), questions });
    }
    collectMedia(view, page, media);
  }
  return {
    title: plain(attr(root.node, 'name')) || null,
    language: attr(root.node, 'language') || null,
    pages,
    assessments,
    media: [...media.values()],
  };
}

export const xerte: ToolDecoder = { name: 'Xerte Online Toolkits', detect, extract };
