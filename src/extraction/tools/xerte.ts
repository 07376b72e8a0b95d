import { blockText, htmlToBlocks, htmlToText } from '../content/html.js';
import { isJunkBlock, tidyBlocks } from '../content/blocks.js';
import { normalizeSpace } from '../content/text.js';
import { decodeText, parseXmlOrdered, type OrderedElement } from '../manifest/xml.js';
import type { Block, Question } from '../result/extraction-result.js';
import type { PackageView } from '../source/package-view.js';
import { makeQuestion, type QuestionInput } from './question.js';
import { addMediaHint } from './media-hints.js';
import { soleLaunchingItem } from './items.js';
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
// Values.

const attr = (element: OrderedElement, name: string): string | undefined =>
  Object.hasOwn(element.attributes, name) ? element.attributes[name]?.trim() : undefined;

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

function choiceQuestion(id: string, question: OrderedElement, optionTag: RegExp, generalFeedback: string | undefined): QuestionInput {
  const options = question.children.filter((c) => optionTag.test(c.name));
  const marked = attr(question, 'markFeedback') !== 'false' && options.some((o) => isTrue(attr(o, 'correct')));
  const multiple = /multi/i.test(attr(question, 'type') ?? '') || /multi/i.test(attr(question, 'answerType') ?? '');
  return {
    id,
    type: multiple ? 'multiple_response' : 'choice',
    prompt: fileReference(attr(question, 'prompt') ?? attr(question, 'text') ?? attr(question, 'question') ?? ''),
    source: TEMPLATE,
    choices: options.map((o, i) => ({
      id: attr(o, 'linkID') ?? String(i + 1),
      text: fileReference(attr(o, 'text') ?? o.text),
      correct: marked ? isTrue(attr(o, 'correct')) : null,
      feedback: attr(o, 'feedback') ? fileReference(attr(o, 'feedback') as string) : null,
    })),
    feedback: generalFeedback ? { correct: generalFeedback, incorrect: generalFeedback } : undefined,
  };
}

function buildQuestions(page: OrderedElement): Built {
  const questions: Question[] = [];
  const replacements = new Map<string, Block[]>();
  const pageId = attr(page, 'linkID') ?? page.name;
  const visit = (item: OrderedElement, index: string) => {
    const id = attr(item, 'linkID') ?? `${pageId}-${index}`;
    const feedback = attr(item, 'feedback');
    const add = (input: QuestionInput) => {
      const question = makeQuestion(input);
      if (question.prompt || question.choices.length > 0) questions.push(question);
    };
    switch (item.name) {
      case 'mcq':
      case 'synchMCQ':
      case 'question':
        add(choiceQuestion(id, item, /^(option|synchMCQOption)$/, feedback));
        return;
      case 'quiz':
        item.children.filter((c) => c.name === 'question').forEach((q, i) => visit(q, `${index}.${i + 1}`));
        return;
      case 'cMcq':
        // A connector question: each answer leads to another page; none is marked correct.
        add({ ...choiceQuestion(id, item, /^cOption$/, undefined), type: 'choice' });
        return;
      case 'opinion':
        for (const [i, q] of item.children.filter((c) => c.name === 'opinionQuestion').entries()) {
          add({
            id: attr(q, 'linkID') ?? `${id}.${i + 1}`,
            type: 'likert',
            prompt: fileReference(attr(q, 'prompt') ?? ''),
            source: TEMPLATE,
            choices: q.children.filter((c) => c.name === 'opinionOption').map((o) => ({ text: attr(o, 'text') ?? '', correct: null })),
          });
        }
        return;
      case 'gapFill': {
        const passage = attr(item, 'passage') ?? '';
        const { text, gaps } = gapParts(fileReference(passage), attr(item, 'mainDelimiter') || '|');
        if (gaps.length === 0) return;
        replacements.set(`${id}:passage`, htmlToBlocks(text).blocks);
        const separator = attr(item, 'answerDelimiter') || ',';
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
        const sentences = item.children.filter((c) => c.name === 'sentence');
        if (sentences.length === 0) return;
        add({
          id,
          type: 'matching',
          prompt: attr(item, 'text') ?? item.text,
          source: TEMPLATE,
          matches: sentences.map((s) => ({ source: attr(s, 'p1') ?? '', target: attr(s, 'p2') ?? '' })),
        });
        return;
      }
      case 'hotSpotQuestion': {
        const spots = item.children.filter((c) => c.name === 'QHotSpot');
        if (spots.length === 0) return;
        add({
          id,
          type: 'hotspot',
          prompt: attr(item, 'text') ?? item.text,
          source: TEMPLATE,
          choices: spots.map((s) => ({
            text: plain(attr(s, 'name')) || plain(attr(s, 'text')),
            correct: isTrue(attr(s, 'truth')),
            feedback: attr(s, 'Feedback') ?? attr(s, 'feedback') ?? null,
          })),
          feedback: attr(item, 'generalFeedback') ? { correct: attr(item, 'generalFeedback'), incorrect: attr(item, 'generalFeedback') } : undefined,
        });
        return;
      }
      case 'dialog':
        for (const [i, step] of item.children.filter((c) => c.name === 'dialogStep').entries()) {
          const answer = attr(step, 'answer') ?? '';
          add({
            id: attr(step, 'linkID') ?? `${id}.${i + 1}`,
            type: 'fill_in',
            prompt: attr(step, 'question') ?? '',
            source: TEMPLATE,
            correctAnswers: answer.split(attr(item, 'answerDelimeter') || attr(item, 'delim') || ',').map((a) => a.trim()),
          });
        }
        return;
      case 'categories': {
        const matches = item.children
          .filter((c) => c.name === 'category')
          .flatMap((category) =>
            category.children
              .filter((c) => c.name === 'item')
              .map((i) => ({ source: attr(i, 'name') ?? '', target: attr(category, 'name') ?? '' })),
          );
        if (matches.length > 0) {
          add({ id, type: 'matching', prompt: attr(item, 'text') ?? item.text, source: TEMPLATE, matches });
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

function pageBlocks(page: OrderedElement, replacements: Map<string, Block[]>): Block[] {
  const blocks: Block[] = [];
  const pageId = attr(page, 'linkID') ?? page.name;
  const addAttribute = (item: OrderedElement, name: string) => {
    const id = attr(item, 'linkID') ?? (item === page ? pageId : '');
    const replaced = replacements.get(`${id}:${name}`);
    if (replaced) blocks.push(...replaced);
    else blocks.push(...htmlBlocks(attr(item, name)));
  };
  const walk = (item: OrderedElement, depth: number) => {
    if (depth > 0 && !LABELLED_ONLY.test(item.name)) {
      // A nested page, tab, panel or hotspot shows its name as a heading above its own text.
      const name = plain(attr(item, 'name') ?? attr(item, 'title'));
      const hasText = TEXT_ATTRIBUTES.some((a) => plain(attr(item, a))) || plain(item.text) !== '';
      if (name && (hasText || item.children.length > 0)) blocks.push({ type: 'heading', level: Math.min(6, depth + 1), text: name });
      else if (name && /^(item|category|label|hotspot|card|step|term|word)$/i.test(item.name)) blocks.push({ type: 'paragraph', text: name });
    }
    for (const name of TEXT_BEFORE) addAttribute(item, name);
    if (item.name === 'embedDiv') {
      // An embedded page: HTML written by the author, or the address of a site (no text).
      const src = attr(item, 'src') ?? '';
      if (/^\s*</.test(src)) blocks.push(...htmlBlocks(src));
    }
    blocks.push(...htmlBlocks(item.text));
    for (const name of TEXT_QUESTION) addAttribute(item, name);
    // Answer options read as a list under their question.
    let options: string[] = [];
    const flush = () => {
      if (options.length > 0) blocks.push({ type: 'list', ordered: false, items: options });
      options = [];
    };
    for (const child of item.children) {
      if (OPTION.test(child.name)) {
        const text = plain(attr(child, 'text') ?? child.text);
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
  return tidyBlocks(blocks.filter((b) => !isJunkBlock(b)));
}

function collectMedia(view: PackageView, root: OrderedElement, media: Map<string, MediaHint>): void {
  const local = (reference: string | undefined): string | null => {
    if (!reference) return null;
    const cleaned = fileReference(reference).trim();
    if (!cleaned || /^(https?:)?\/\//i.test(cleaned) || !/\.\w{2,5}$/.test(cleaned.replace(/[?#].*$/, ''))) return null;
    return view.resolve(TEMPLATE, cleaned);
  };
  const walk = (item: OrderedElement) => {
    const alt = ALT_ATTRIBUTES.map((a) => plain(attr(item, a))).find(Boolean);
    const transcript = TRANSCRIPT_ATTRIBUTES.map((a) => htmlBlocks(attr(item, a)).map(blockText).join('\n')).find(Boolean);
    const captions = CAPTION_ATTRIBUTES.map((a) => local(attr(item, a))).filter((c): c is string => !!c && /\.(vtt|srt)$/i.test(c));
    for (const name of MEDIA_ATTRIBUTES) {
      const path = local(attr(item, name));
      if (!path) continue;
      const isImage = /\.(png|jpe?g|gif|svg|webp|bmp)$/i.test(path);
      addMediaHint(media, {
        path,
        altText: isImage ? alt : undefined,
        transcript: !isImage && transcript ? { language: null, cues: [], text: transcript } : undefined,
        captions: isImage ? [] : captions,
      });
    }
    // Images and media inside the HTML of the page.
    for (const value of [...Object.values(item.attributes), item.text]) {
      if (!/<(img|video|audio|source|track)\b/i.test(value)) continue;
      const html = fileReference(value);
      for (const image of htmlToBlocks(html).images) {
        const path = local(image.src);
        if (path) addMediaHint(media, { path, altText: image.alt && !PLACEHOLDER.test(image.alt) ? image.alt : undefined });
      }
      for (const m of html.matchAll(/<(?:video|audio|source)\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)) {
        const path = local(m[1]);
        if (path) addMediaHint(media, { path });
      }
    }
    item.children.forEach(walk);
  };
  walk(root);
}

/** The project's `<learningObject>`, its pages in document order (which is the course's page order). */
async function readTemplate(view: PackageView): Promise<OrderedElement | null> {
  let bytes: Buffer;
  try {
    bytes = await view.bytes(TEMPLATE, MAX_TEMPLATE_BYTES);
  } catch (error) {
    view.warn('file_unreadable', `${TEMPLATE} could not be read: ${(error as Error).message}`, TEMPLATE);
    return null;
  }
  try {
    return parseXmlOrdered(bytes, view.base + TEMPLATE, view.warnings).find((e) => e.name === 'learningObject') ?? null;
  } catch (error) {
    view.warn('xerte_template_invalid', `${TEMPLATE} cannot be read: ${(error as Error).message}`, TEMPLATE);
    return null;
  }
}

function passingScore(root: OrderedElement): number | null {
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
  const root = await readTemplate(view);
  if (!root) return { pages: [], assessments: [], media: [] };
  const itemId = soleLaunchingItem(view) ?? view.items.find((i) => /RLO\.html?$|index\.html?$/i.test(i.launch ?? ''))?.identifier ?? null;

  const pages: PageDraft[] = [];
  const assessments: AssessmentDraft[] = [];
  const media = new Map<string, MediaHint>();
  for (const page of root.children) {
    if (isTrue(attr(page, 'hidePage'))) continue;
    const { questions, replacements } = buildQuestions(page);
    const title = plain(attr(page, 'name')) || null;
    const pageIndex = pages.length;
    pages.push({ title, kind: 'page', source: TEMPLATE, itemId, blocks: pageBlocks(page, replacements) });
    if (questions.length > 0) {
      assessments.push({ title, source: TEMPLATE, itemId, pageIndex, passingScore: passingScore(root), questions });
    }
    collectMedia(view, page, media);
  }
  return {
    title: plain(attr(root, 'name')) || null,
    language: attr(root, 'language') || null,
    pages,
    assessments,
    media: [...media.values()],
  };
}

export const xerte: ToolDecoder = { name: 'Xerte Online Toolkits', detect, extract };
