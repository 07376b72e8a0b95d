import path from 'node:path/posix';
import { tidyBlocks } from '../content/blocks.js';
import { htmlToBlocks, htmlToText } from '../content/html.js';
import { cleanText, isSentenceLike, normalizeSpace, wordCount } from '../content/text.js';
import type { Block, Cue, QuestionType } from '../result/extraction-result.js';
import type { PackageView } from '../source/package-view.js';
import { makeQuestion, type QuestionInput } from './question.js';
import type { AssessmentDraft, MediaHint, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from './tool.js';

/*
 * Articulate Storyline (360 and 3) HTML5 output. The player reads its course from data files, each
 * a `globalProvideData('<kind>', '<JSON in a JavaScript string>')` call: `html5/data/js/data.js`
 * holds scenes, slide order, quizzes and question interactions; one file per slide holds its
 * layers and objects, with text in `textLib[].vartext.blocks[].spans[].text`. Nothing is executed.
 */

type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const arr = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);
const str = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

const DATA_FILE = 'html5/data/js/data.js';

/** Decodes the body of a JavaScript string literal (escapes as JavaScript reads them). */
function unescapeJs(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = body[++i] ?? '';
    switch (next) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case '0':
        out += '\0';
        break;
      case 'x': {
        const hex = body.slice(i + 1, i + 3);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 2;
        } else out += 'x';
        break;
      }
      case 'u': {
        const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(body.slice(i + 1));
        const plain = body.slice(i + 1, i + 5);
        if (braced?.[1]) {
          out += String.fromCodePoint(parseInt(braced[1], 16));
          i += braced[0].length;
        } else if (/^[0-9a-fA-F]{4}$/.test(plain)) {
          out += String.fromCharCode(parseInt(plain, 16));
          i += 4;
        } else out += 'u';
        break;
      }
      case '\r':
        if (body[i + 1] === '\n') i++;
        break;
      case '\n':
      case '\u2028':
      case '\u2029':
        break;
      default:
        out += next;
    }
  }
  return out;
}

/**
 * The JSON a Storyline data file provides: `globalProvideData('slide', '<json>')` (or the
 * object written inline, as hand-edited copies have it). Undefined when the file is not one.
 */
export function readProvidedData(source: string, kind?: string): Json | undefined {
  const call = /globalProvideData\(\s*(['"])([\w-]+)\1\s*,\s*/.exec(source);
  if (!call || (kind !== undefined && call[2] !== kind)) return undefined;
  const start = call.index + call[0].length;
  const quote = source[start];
  let json: string | undefined;
  if (quote === "'" || quote === '"') {
    let end = start + 1;
    while (end < source.length && source[end] !== quote) end += source[end] === '\\' ? 2 : 1;
    if (end >= source.length) return undefined;
    json = unescapeJs(source.slice(start + 1, end));
  } else if (quote === '{') {
    const close = source.lastIndexOf('}');
    if (close > start) json = source.slice(start, close + 1);
  }
  if (json === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Json) : undefined;
  } catch {
    return undefined;
  }
}

async function readData(view: PackageView, file: string, kind: string): Promise<Json | undefined> {
  if (!view.has(file)) {
    view.warn('storyline_data_missing', `${file} is missing: its ${kind} cannot be read.`, file);
    return undefined;
  }
  const text = await view.text(file);
  if (text === undefined) return undefined;
  const data = readProvidedData(text, kind);
  if (!data) view.warn('storyline_data_unreadable', `${file} is not a Storyline ${kind} data file that could be read.`, file);
  return data;
}

/** Storyline text may show variables (`%Results.ScorePercent%`); their values are not course text. */
const stripVariables = (text: string) =>
  text
    .replace(/\^%\^/g, '\u0000')
    .replace(/%[A-Za-z_#$][\w.#$]*%/g, ' ')
    .replace(/\u0000/g, '%');

/** Labels a player or navigation button carries; never course text on their own. */
const CHROME_LABEL =
  /^(prev(ious)?|next|back|submit( all)?|continue|ok|okay|close|retry( quiz)?|try again|review( quiz)?|menu|resources|glossary|notes|exit( course)?|finish|play|pause|replay|restart|start|begin|resume|yes|no|cancel|skip|print results|home|(click|tap) (here|to continue))[.!]?$/i;

const isChromeLabel = (text: string) => CHROME_LABEL.test(normalizeSpace(text));

/**
 * Alt text worth keeping: not a file name ("Frame 78.png"), not a default object name
 * ("Rectangle 1", "Picture 32", "Прямоугольник 3"), and reading like words.
 */
export function meaningfulAlt(alt: string): string | null {
  const text = normalizeSpace(alt.replace(/\\[rn]/g, ' '));
  if (!text) return null;
  if (/\.[a-z0-9]{2,4}$/i.test(text) || /^[\w\s-]*\.(png|jpe?g|gif|svg|mp[34]|wav|webp)\b/i.test(text)) return null;
  if (/^\S+(\s+\S+){0,2}\s+\d+$/u.test(text) && wordCount(text) <= 4) return null;
  if (/^(image|picture|photo|graphic|video|audio|shape|group|text ?box|untitled)\b/i.test(text) && wordCount(text) <= 3) return null;
  if (/^(rectangle|rounded rectangle|square|oval|circle|ellipse|triangle|freeform|line|arrow|star|callout|caption|marker|hotspot|button|icon|placeholder)s?$/i.test(text)) return null;
  return isSentenceLike(text) ? text : null;
}

interface Paragraph {
  text: string;
  list: 'none' | 'ordered' | 'unordered';
  heading: number | null;
}

/** Paragraphs of one `vartext`: blocks end with `\n`, `\r` and `\v` break lines inside one. */
function vartextParagraphs(vartext: Json): Paragraph[] {
  const defaults = obj(vartext.defaultBlockStyle);
  const paragraphs: Paragraph[] = [];
  for (const block of arr(vartext.blocks)) {
    const style = obj(block.style);
    const listType = str(obj(style.listStyle).listType) || str(obj(defaults.listStyle).listType) || 'none';
    const list: Paragraph['list'] =
      listType === 'none' ? 'none' : /num|arabic|roman|alpha|letter/i.test(listType) ? 'ordered' : 'unordered';
    const tag = /^H([1-6])$/i.exec(str(style.tagType));
    const raw = arr(block.spans)
      .map((span) => str(span.text))
      .join('');
    for (const part of stripVariables(raw).split('\n')) {
      const text = normalizeSpace(part.replace(/[\r\v\u2028]/g, ' '));
      if (text) paragraphs.push({ text, list, heading: tag?.[1] ? Number(tag[1]) : null });
    }
  }
  return paragraphs;
}

function paragraphsToBlocks(paragraphs: Paragraph[]): Block[] {
  const blocks: Block[] = [];
  for (const p of paragraphs) {
    if (p.list !== 'none') {
      const last = blocks.at(-1);
      if (last?.type === 'list' && last.ordered === (p.list === 'ordered')) last.items.push(p.text);
      else blocks.push({ type: 'list', ordered: p.list === 'ordered', items: [p.text] });
    } else if (p.heading) blocks.push({ type: 'heading', level: p.heading, text: p.text });
    else blocks.push({ type: 'paragraph', text: p.text });
  }
  return blocks;
}

/** The text an object shows in its normal state (its first text with content). */
function objectParagraphs(o: Json): Paragraph[] {
  for (const entry of arr(o.textLib)) {
    const vartext = entry.vartext;
    // Before the block model (Storyline 360 up to about 3.5x), the text was HTML.
    const paragraphs = typeof vartext === 'string' ? htmlParagraphs(vartext) : vartextParagraphs(obj(vartext));
    if (paragraphs.length > 0) return paragraphs;
  }
  return [];
}

function htmlParagraphs(html: string): Paragraph[] {
  return htmlToBlocks(stripVariables(html)).blocks.flatMap((block): Paragraph[] => {
    switch (block.type) {
      case 'heading':
        return [{ text: block.text, list: 'none', heading: block.level }];
      case 'list':
        return block.items.map((text) => ({ text, list: block.ordered ? 'ordered' : 'unordered', heading: null }));
      case 'table':
        return block.rows.map((row) => ({ text: row.filter(Boolean).join(' | '), list: 'none', heading: null }));
      case 'image':
        return [];
      default:
        return [{ text: block.text, list: 'none', heading: null }];
    }
  });
}

interface Asset {
  url: string;
  duration: number | null;
}

interface SlideRead {
  blocks: Block[];
  /** Text of each layer by id, for question feedback. */
  layerText: Map<string, string>;
  /** Text of each object by id, for freeform question choices. */
  objectText: Map<string, string>;
  media: MediaHint[];
}

/** Reads a slide's layers (base layer first) into blocks, with the media its objects play. */
function readSlide(slide: Json, assets: Map<number, Asset>): SlideRead {
  const width = num(slide.width);
  const height = num(slide.height);
  const layerText = new Map<string, string>();
  const objectText = new Map<string, string>();
  const media: MediaHint[] = [];
  const blocks: Block[] = [];
  const assetPath = (id: unknown): Asset | null => {
    const n = num(id);
    const asset = n === null ? undefined : assets.get(n);
    return asset && asset.url && !/^[a-z]+:/i.test(asset.url) ? asset : null;
  };

  const offStage = (o: Json): boolean => {
    const x = num(o.xPos);
    const y = num(o.yPos);
    const w = num(o.width) ?? 0;
    const h = num(o.height) ?? 0;
    if (x === null || y === null || width === null || height === null) return false;
    return x >= width || y >= height || x + w <= 0 || y + h <= 0;
  };

  /** Collects an object's blocks into `out`; returns the text it shows, for question choices. */
  const walk = (o: Json, out: Block[], top: boolean): string => {
    if (top && offStage(o)) return '';
    const kind = str(o.kind);
    const data = obj(o.data);
    if (kind === 'textinput') return '';
    const paragraphs = objectParagraphs(o);
    let text = paragraphs.map((p) => p.text).join(' ');
    const isButton = str(o.accType) === 'button';
    if (paragraphs.length > 0 && !(isButton && wordCount(text) <= 2) && !isChromeLabel(text)) {
      // A button's label is one line however it wraps.
      out.push(...(isButton ? [{ type: 'paragraph' as const, text }] : paragraphsToBlocks(paragraphs)));
    }

    const image = arr(o.imagelib)[0];
    if (image && paragraphs.length === 0) {
      const alt = meaningfulAlt(str(obj(data.vectorData).altText) || str(image.altText));
      text = alt ?? '';
      const src = assetPath(image.assetId)?.url ?? null;
      if (alt) {
        out.push({ type: 'image', alt, src });
        if (src) media.push({ path: src, altText: alt });
      }
    }
    const video = obj(data.videodata);
    const videoAsset = assetPath(video.assetId);
    if (videoAsset) {
      media.push({ path: videoAsset.url, altText: meaningfulAlt(str(video.altText)), durationSeconds: videoAsset.duration });
    }
    for (const audio of arr(o.audiolib)) {
      const asset = assetPath(audio.assetId);
      if (asset) media.push({ path: asset.url, durationSeconds: asset.duration });
    }
    const children = arr(o.objects).map((child) => walk(child, out, false));
    if (!text) text = normalizeSpace([...new Set(children.filter(Boolean))].join(' '));
    const id = str(o.id);
    if (text && id) objectText.set(id, text);
    return text;
  };

  for (const audio of arr(slide.audiolib)) {
    const asset = assetPath(audio.assetId);
    if (asset) media.push({ path: asset.url, durationSeconds: asset.duration });
  }
  const layers = arr(slide.slideLayers);
  const ordered = [...layers.filter((l) => l.isBaseLayer === true), ...layers.filter((l) => l.isBaseLayer !== true)];
  for (const layer of ordered) {
    const own: Block[] = [];
    for (const audio of arr(layer.audiolib)) {
      const asset = assetPath(audio.assetId);
      if (asset) media.push({ path: asset.url, durationSeconds: asset.duration });
    }
    for (const o of arr(layer.objects)) walk(o, own, true);
    const id = str(layer.id);
    if (id) {
      layerText.set(
        id,
        own
          .filter((b) => b.type !== 'image')
          .map((b) => (b.type === 'list' ? b.items.join(' ') : 'text' in b ? b.text : ''))
          .join(' '),
      );
    }
    blocks.push(...own);
  }
  for (const key of ['notes', 'slideNotes', 'notesData']) {
    const notes = slide[key];
    if (typeof notes === 'string' && notes.trim()) {
      const text = htmlToText(notes);
      if (text) blocks.push({ type: 'paragraph', text });
    }
  }
  return { blocks: tidyBlocks(blocks), layerText, objectText, media };
}

const QUESTION_TYPES: [RegExp, QuestionType][] = [
  [/^(multiplechoice|choice|pickone)$/, 'choice'],
  [/^(multipleresponse|pickmany)$/, 'multiple_response'],
  [/^truefalse$/, 'true_false'],
  [/^(fillin|textentry|numeric|longfillin)$/, 'fill_in'],
  [/^matching|dragdrop|^match/, 'matching'],
  [/^(sequencing|sequence|ordering)/, 'sequencing'],
  [/^hotspot/, 'hotspot'],
  [/^likert/, 'likert'],
  [/^(essay|freetext|shortanswer)/, 'essay'],
];

function questionType(interaction: Json): QuestionType {
  const type = str(interaction.type).toLowerCase();
  const lms = str(interaction.lmsId).toLowerCase();
  if (/dragdrop/.test(lms)) return 'drag_drop';
  if (/truefalse/.test(lms)) return 'true_false';
  if (/hotspot/.test(lms)) return 'hotspot';
  if (/essay/.test(lms)) return 'essay';
  if (/likert/.test(lms)) return 'likert';
  for (const [pattern, mapped] of QUESTION_TYPES) if (pattern.test(type)) return mapped;
  return 'other';
}

/**
 * A choice as the learner sees it: the text (or alt text) of its object on the slide. Failing
 * that, its LMS label; freeform questions label choices "<object name> - <object text>".
 */
function choiceLabel(raw: string, shown: string | undefined, freeform: boolean): string {
  if (shown) return shown;
  const label = normalizeSpace(raw.replace(/[\r\n]+/g, ' '));
  const named = freeform ? /^(.+?)\s[-–]\s(.+)$/u.exec(label) : null;
  if (!named?.[1] || !named[2]) return label;
  const [, name, rest] = named;
  if (!/\.[a-z0-9]{2,4}$/i.test(rest)) return rest;
  return /\s\d+$/.test(name) && wordCount(name) <= 3 ? label : name;
}

/** The layers an answer's actions show (feedback layers), by id. */
function shownLayers(actions: unknown, found: string[] = []): string[] {
  for (const action of arr(actions)) {
    if (str(action.kind) === 'show_slidelayer') {
      const ref = obj(action.objRef);
      const id = str(ref.value) || str(action.objRef);
      if (id) found.push(id.split('.').at(-1) ?? id);
    }
    shownLayers(action.thenActions, found);
    shownLayers(action.elseActions, found);
    shownLayers(action.actions, found);
  }
  return found;
}

const idTail = (ref: string) => ref.replace(/^(choices|statements)\./, '').replace(/^(choice|statement)_/, '');

function readQuestion(interaction: Json, slideTitle: string | null, read: SlideRead, source: string): QuestionInput | null {
  const type = questionType(interaction);
  const survey = interaction.issurvey === true;
  const shownText = (ref: string) => read.objectText.get(idTail(ref));
  const freeform = /^freeform/i.test(str(interaction.lmsId));
  const choices = arr(interaction.choices).map((choice) => {
    const id = str(choice.id);
    return { id: idTail(id), ref: id, text: choiceLabel(str(choice.lmstext), shownText(id), freeform) };
  });
  const statements = arr(interaction.statements).map((statement) => {
    const id = str(statement.id);
    return { id: idTail(id), text: choiceLabel(str(statement.lmstext), shownText(id), freeform) };
  });
  const answers = arr(interaction.answers);
  const correct = survey ? undefined : answers.find((a) => str(a.status) === 'correct');
  const correctStatements = arr(obj(correct?.evaluate).statements);
  const correctIds = new Set(correctStatements.filter((s) => str(s.kind) === 'equals').map((s) => idTail(str(s.choiceid))));
  const accepted = correctStatements.map((s) => str(s.value)).filter(Boolean);

  const layerText = (answer: Json | undefined) =>
    shownLayers(answer?.actions)
      .map((id) => read.layerText.get(id) ?? '')
      .find((text) => text.trim() !== '') ?? null;
  const correctFeedback = layerText(correct);
  const incorrect = answers.filter((a) => a !== correct && str(a.status) !== 'correct');
  const incorrectFeedback = incorrect.map(layerText).find((t) => t !== null) ?? null;

  const choiceFeedback = new Map<string, string>();
  for (const answer of answers) {
    const equals = arr(obj(answer.evaluate).statements).filter((s) => str(s.kind) === 'equals' && str(s.choiceid));
    const text = layerText(answer);
    const only = equals.length === 1 ? equals[0] : undefined;
    if (only && text && text !== correctFeedback && text !== incorrectFeedback) choiceFeedback.set(idTail(str(only.choiceid)), text);
  }

  const pairs = correctStatements
    .filter((s) => str(s.kind) === 'pair')
    .map((s) => ({
      choice: choices.find((c) => c.id === idTail(str(s.choiceid)))?.text ?? '',
      statement: statements.find((c) => c.id === idTail(str(s.statementid)))?.text ?? '',
    }))
    .filter((p) => p.choice && p.statement);
  const matches =
    type === 'drag_drop'
      ? pairs.map((p) => ({ source: p.choice, target: p.statement }))
      : pairs.map((p) => ({ source: p.statement, target: p.choice }));

  const sequence = type === 'sequencing' ? correctStatements.map((s) => choices.find((c) => c.id === idTail(str(s.choiceid)))?.text ?? '').filter(Boolean) : [];
  const prompt = normalizeSpace(str(interaction.lmstext).replace(/[\r\n]+/g, ' ')) || slideTitle || '';
  if (!prompt && choices.length === 0) return null;
  const points = num(correct?.points) ?? num(interaction.maxpoints);
  const input: QuestionInput = {
    id: str(interaction.id) || `${source}#question`,
    type,
    prompt,
    source,
    choices: choices.map((c) => ({
      id: c.id,
      text: c.text,
      correct: survey || correct === undefined || type === 'matching' || type === 'drag_drop' ? null : correctIds.has(c.id),
      feedback: choiceFeedback.get(c.id) ?? null,
    })),
    matches,
    feedback: { correct: correctFeedback, incorrect: incorrectFeedback },
    points: survey ? null : points,
  };
  if (accepted.length > 0) input.correctAnswers = accepted;
  else if (sequence.length > 0) input.correctAnswers = sequence;
  else if (type === 'matching' || type === 'drag_drop') input.correctAnswers = [];
  return input;
}

/**
 * Custom navigation built on a slide master ("Menu", "Exit", "Help" in any language) repeats on
 * most slides: short texts found on at least half the slides (and three or more) are dropped.
 */
function dropRepeatedChrome(pages: PageDraft[], keep: Set<string>): void {
  if (pages.length < 4) return;
  // Question texts repeat by nature ("True", "All of the above"): they are kept.
  const short = (b: Block) => (b.type === 'paragraph' || b.type === 'heading') && wordCount(b.text) <= 10 && !keep.has(b.text);
  const counts = new Map<string, number>();
  for (const page of pages) {
    for (const text of new Set(page.blocks.filter(short).map((b) => ('text' in b ? b.text : '')))) {
      counts.set(text, (counts.get(text) ?? 0) + 1);
    }
  }
  const threshold = Math.max(3, Math.ceil(pages.length / 2));
  const chrome = new Set([...counts].filter(([, n]) => n >= threshold).map(([text]) => text));
  if (chrome.size === 0) return;
  for (const page of pages) page.blocks = page.blocks.filter((b) => !(short(b) && 'text' in b && chrome.has(b.text)));
}

interface SlideRef {
  slide: Json;
  sceneIndex: number;
}

/** Slides of the story in reading order: scenes (message scenes aside), then question banks. */
function storySlides(data: Json): SlideRef[] {
  const slides: SlideRef[] = [];
  const seen = new Set<string>();
  const add = (slide: Json, sceneIndex: number) => {
    const key = str(slide.id) || str(slide.html5url);
    if (!str(slide.html5url) || seen.has(key)) return;
    seen.add(key);
    slides.push({ slide, sceneIndex });
  };
  arr(data.scenes).forEach((scene, index) => {
    if (scene.isMessageScene === true) return;
    for (const slide of arr(scene.slides)) add(slide, index);
  });
  const bank = (node: unknown, depth: number) => {
    if (depth > 6) return;
    if (Array.isArray(node)) node.forEach((n) => bank(n, depth + 1));
    else if (node && typeof node === 'object') {
      const o = obj(node);
      if (str(o.kind) === 'slide' && str(o.html5url)) add(o, -1);
      else for (const value of Object.values(o)) bank(value, depth + 1);
    }
  };
  bank(data.slideBank, 0);
  return slides;
}

function slideTitle(raw: unknown): string | null {
  const title = htmlToText(str(raw).replace(/[\r\n\v]+/g, ' '));
  if (!title || /^untitled slide(\s+\d+)?$/i.test(title)) return null;
  return title;
}

const xmlAttribute = (xml: string, element: string, attribute: string): string | null => {
  const tag = new RegExp(`<${element}\\b[^>]*?\\s${attribute}="([^"]*)"`, 'i').exec(xml);
  return tag?.[1] !== undefined ? cleanText(tag[1]) || null : null;
};

async function readMeta(view: PackageView): Promise<string | null> {
  if (!view.has('meta.xml')) return null;
  const xml = await view.text('meta.xml', 1024 * 1024);
  return xml ?? null;
}

/** Cues of a caption data file (`story_content/*captions*.js`), when it holds timed texts. */
function cuesOf(data: unknown): Cue[] {
  const found: Cue[] = [];
  const visit = (node: unknown, depth: number) => {
    if (depth > 8 || found.length > 0) return;
    if (Array.isArray(node)) {
      const cues = node.map(obj).flatMap((c): Cue[] => {
        const text = htmlToText(str(c.text ?? c.caption ?? c.content));
        const start = num(c.start ?? c.startTime ?? c.begin ?? c.in);
        const end = num(c.end ?? c.endTime ?? c.out);
        return text && start !== null && end !== null ? [{ start, end, text }] : [];
      });
      if (cues.length > 0) {
        const milliseconds = cues.some((c) => c.end > 36_000);
        found.push(...cues.map((c) => (milliseconds ? { ...c, start: c.start / 1000, end: c.end / 1000 } : c)));
        return;
      }
      node.forEach((n) => visit(n, depth + 1));
    } else if (node && typeof node === 'object') for (const value of Object.values(node)) visit(value, depth + 1);
  };
  visit(data, 0);
  return found;
}

/** Caption files and caption data of the story, attached to the media they name (or the only one). */
async function attachCaptions(view: PackageView, media: Map<string, MediaHint>): Promise<void> {
  const files = view.files();
  const players = [...media.values()].filter((m) => /\.(mp4|m4v|webm|mov|mp3|m4a|wav|ogg|aac)$/i.test(m.path));
  const target = (file: string): MediaHint | undefined => {
    const tokens = path
      .basename(file)
      .replace(/\.[^.]+$/, '')
      .split(/[_\-.\s]+/)
      .filter((t) => t.length >= 6 && !/^captions?$/i.test(t));
    return players.find((m) => tokens.some((t) => path.basename(m.path).includes(t))) ?? (players.length === 1 ? players[0] : undefined);
  };
  for (const file of files.filter((f) => /\.(vtt|srt)$/i.test(f))) {
    const hint = target(file);
    if (hint) hint.captions = [...(hint.captions ?? []), file];
  }
  for (const file of files.filter((f) => /^story_content\/[^/]*captions?[^/]*\.js$/i.test(f))) {
    const hint = target(file);
    const text = hint ? await view.text(file) : undefined;
    const data = text === undefined ? undefined : readProvidedData(text);
    const cues = data ? cuesOf(data) : [];
    if (hint && cues.length > 0 && !hint.transcript) {
      hint.transcript = { language: null, text: cues.map((c) => c.text).join('\n'), cues };
    }
  }
}

function mergeMedia(into: Map<string, MediaHint>, hints: MediaHint[]): void {
  for (const hint of hints) {
    const known = into.get(hint.path);
    if (!known) into.set(hint.path, { ...hint });
    else {
      known.altText = known.altText ?? hint.altText ?? null;
      known.durationSeconds = known.durationSeconds ?? hint.durationSeconds ?? null;
    }
  }
}

async function detect(view: PackageView): Promise<ToolDetection | null> {
  const files = view.files();
  const hasStoryFolder = files.some((f) => f.startsWith('story_content/'));
  const hasData = view.has(DATA_FILE);
  const hasPlayer = view.has('story.html') || view.has('story_html5.html') || view.has('story_flash.html');
  const meta = await readMeta(view);
  const metaSaysStoryline = meta !== null && /<application\b[^>]*name="Articulate Storyline/i.test(meta);
  if (!hasData && !metaSaysStoryline && !hasPlayer && !(hasStoryFolder && meta !== null)) return null;
  let version = meta ? xmlAttribute(meta, 'application', 'version') : null;
  if (!version) {
    for (const launch of ['story.html', 'story_html5.html']) {
      if (!view.has(launch)) continue;
      const html = await view.text(launch, 256 * 1024);
      const found = html ? /<!--\s*version:\s*([\d.]+)\s*-->/i.exec(html) : null;
      if (found?.[1]) {
        version = found[1];
        break;
      }
    }
  }
  return { version };
}

async function extract(view: PackageView): Promise<ToolOutput> {
  const output: ToolOutput = { pages: [], assessments: [], media: [] };
  const meta = await readMeta(view);
  if (meta) {
    output.title = xmlAttribute(meta, 'project', 'title');
    const description = /<description>([\s\S]*?)<\/description>/i.exec(meta)?.[1];
    output.description = description ? cleanText(description) || null : null;
  }
  const data = await readData(view, DATA_FILE, 'data');
  if (!data) return output;
  const language = str(data.tincanLanguage);
  output.language = language && language !== 'und' ? language : null;

  const assets = new Map<number, Asset>();
  for (const asset of arr(data.assetLib)) {
    const id = num(asset.id);
    const duration = num(asset.duration);
    if (id !== null && str(asset.url)) assets.set(id, { url: str(asset.url), duration: duration && duration > 0 ? duration / 1000 : null });
  }
  const media = new Map<string, MediaHint>();
  const questionsBySlide = new Map<string, { questions: ReturnType<typeof makeQuestion>[]; pageIndex: number; source: string; title: string | null }>();

  for (const { slide: entry } of storySlides(data)) {
    const file = view.resolve(DATA_FILE, path.relative('html5/data/js', str(entry.html5url))) ?? str(entry.html5url);
    const slideData = (await readData(view, file, 'slide')) ?? {};
    const title = slideTitle(entry.title) ?? slideTitle(slideData.title);
    const read = readSlide({ ...slideData, width: slideData.width ?? entry.width, height: slideData.height ?? entry.height }, assets);
    mergeMedia(media, read.media);
    const pageIndex = output.pages.length;
    output.pages.push({ title, kind: 'slide', source: file, blocks: read.blocks });
    const questions = arr(entry.interactions)
      .map((interaction) => readQuestion(interaction, title, read, file))
      .filter((q): q is QuestionInput => q !== null)
      .map(makeQuestion);
    if (questions.length > 0) questionsBySlide.set(str(entry.id), { questions, pageIndex, source: file, title });
  }

  const questionTexts = new Set(
    [...questionsBySlide.values()].flatMap((entry) => entry.questions.flatMap((q) => [q.prompt, ...q.choices.map((c) => c.text), ...q.matches.flatMap((m) => [m.source, m.target])])),
  );
  dropRepeatedChrome(output.pages, questionTexts);

  // Questions grouped by the quiz that scores them; the rest one assessment per slide.
  const assigned = new Set<string>();
  for (const quiz of arr(data.quizzes)) {
    const slides = arr(quiz.sliderefs)
      .map((ref) => str(ref.id).split('.').at(-1) ?? '')
      .filter((id) => questionsBySlide.has(id) && !assigned.has(id));
    if (slides.length === 0) continue;
    const first = questionsBySlide.get(slides[0] ?? '');
    const assessment: AssessmentDraft = {
      title: normalizeSpace(str(quiz.lmstext)) || null,
      source: first?.source ?? DATA_FILE,
      pageIndex: first?.pageIndex ?? null,
      passingScore: quiz.issurvey === true ? null : num(quiz.passPercent),
      questions: [],
    };
    for (const id of slides) {
      assigned.add(id);
      assessment.questions.push(...(questionsBySlide.get(id)?.questions ?? []));
    }
    output.assessments.push(assessment);
  }
  for (const [id, entry] of questionsBySlide) {
    if (assigned.has(id)) continue;
    output.assessments.push({ title: entry.title, source: entry.source, pageIndex: entry.pageIndex, passingScore: null, questions: entry.questions });
  }
  output.assessments.sort((a, b) => (a.pageIndex ?? 0) - (b.pageIndex ?? 0));

  await attachCaptions(view, media);
  output.media = [...media.values()];
  return output;
}

export const storyline: ToolDecoder = { name: 'Articulate Storyline', detect, extract };

/** A decoder's output with every path moved under `prefix` (for a story embedded in another tool). */
export function prefixOutput(output: ToolOutput, prefix: string): ToolOutput {
  const join = (p: string) => path.join(prefix, p);
  const pages: PageDraft[] = output.pages.map((page) => ({
    ...page,
    source: join(page.source),
    blocks: page.blocks.map((b) => (b.type === 'image' && b.src ? { ...b, src: join(b.src) } : b)),
  }));
  return {
    ...output,
    pages,
    assessments: output.assessments.map((a) => ({
      ...a,
      source: join(a.source),
      questions: a.questions.map((q) => ({ ...q, source: join(q.source) })),
    })),
    media: output.media.map((m) => ({ ...m, path: join(m.path), ...(m.captions ? { captions: m.captions.map(join) } : {}) })),
  };
}
