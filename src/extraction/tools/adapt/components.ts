import { blocksToText } from '../../content/blocks.js';
import { asArray, isObject, obj, str, type DataObject, type DataValue } from '../../content/data-values.js';
import { blockText, htmlToBlocks, looksLikeHtml } from '../../content/html.js';
import { isPlaceholderText, isSentenceLike } from '../../content/text.js';
import type { Block, Question } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';
import { addMediaHint } from '../media-hints.js';
import type { MediaHint } from '../tool.js';
import type { Model } from './course-data.js';
import { resultsBlocks } from './assessment.js';
import { choiceItemsOf, questionOf } from './questions.js';
import { authoredTitle, blankOut, BODY_KEY, COMPONENT_OWN_KEYS, HEADING_KEY, IMAGE_KEY, ownTexts, stripTemplates, toBlocks, toText, UI_KEY } from './text.js';

export interface Context {
  view: PackageView;
  language: string | null;
  media: Map<string, MediaHint>;
  /** The player shuffles every ordering question, whose items the data lists in the right order (Evolve). */
  orderingShuffles: boolean;
}

/** A media hint for a file the course names (relative to index.html, the root of the view); its path. */
export function addMedia(ctx: Context, reference: string, hint: Omit<MediaHint, 'path'>): string | null {
  if (!reference.trim()) return null;
  const path = ctx.view.resolve('index.html', reference);
  if (!path) return null;
  addMediaHint(ctx.media, { ...hint, path });
  return path;
}

/** The files Evolve keeps for one uploaded asset, best first: `course/<lang>/assets/<id>/<name>.<ext>`. */
const ASSET_FILES = ['original', 'uploaded', 'file', 'audio', 'video', 'large', 'extraLarge', 'small'];

/**
 * A file the course names: a path, or (Evolve) an asset object `{_id, _extension}` whose files sit
 * in the language's `assets/<id>/` folder. '' when it names none that is there.
 */
export function fileReference(ctx: Context, value: DataValue | undefined): string {
  if (!isObject(value)) return str(value);
  const id = str(value._id);
  const extension = str(value._extension);
  if (!/^[\w-]+$/.test(id) || !/^\w+$/.test(extension)) return '';
  const folder = `course/${ctx.language ? `${ctx.language}/` : ''}assets/${id}/`;
  return ASSET_FILES.map((name) => `${folder}${name}.${extension}`).find((file) => ctx.view.has(file)) ?? '';
}

/** An image block for a `_graphic` object ({src|large|small, alt}) and a media hint for its files. */
export function graphic(ctx: Context, value: DataValue | undefined, blocks: Block[]): void {
  const g = obj(value);
  const alt = toText(g.alt);
  const sources = [g.large, g.src, g.small].map((value) => fileReference(ctx, value)).filter(Boolean);
  let path: string | null = null;
  for (const source of sources) path = addMedia(ctx, source, { altText: alt || null }) ?? path;
  if (alt) blocks.push({ type: 'image', alt, src: path });
  // A caption is printed over or under the picture (Evolve's reveal and hot-graphic items).
  const caption = toText(g.caption);
  if (caption) blocks.push({ type: 'paragraph', text: caption });
}

/** Blocks of an HTML body; images inside it become media hints too. */
export function body(ctx: Context, value: DataValue | undefined, blocks: Block[]): void {
  const raw = str(value);
  if (!raw.trim()) return;
  const extraction = htmlToBlocks(stripTemplates(raw));
  for (const image of extraction.images) addMedia(ctx, image.src, { altText: image.alt || null });
  // Asset paths in course data are relative to index.html, the root of the view.
  blocks.push(
    ...extraction.blocks
      .filter((b) => !isPlaceholderText(blockText(b)))
      .map((b) => (b.type === 'image' && b.src ? { ...b, src: ctx.view.resolve('index.html', b.src) } : b)),
  );
}

export function heading(blocks: Block[], level: number, value: DataValue | undefined): void {
  const text = authoredTitle(value);
  if (text) blocks.push({ type: 'heading', level, text });
}

/** A string of an unknown field: HTML, a body, or plain text that reads like a sentence. */
function looseText(ctx: Context, key: string, value: string, blocks: Block[]): void {
  if (BODY_KEY.test(key) || looksLikeHtml(value)) body(ctx, value, blocks);
  else if (isSentenceLike(toText(value))) blocks.push({ type: 'paragraph', text: toText(value) });
}

/**
 * Text of an item-based or unknown component (accordion, narrative, hotgraphic, tabs, flipcard,
 * reveal, blinds...): titles as headings, bodies, sentence-like strings, images with alt, nested
 * items and other lists of objects; a `src` is a file, never text.
 * Underscore keys are settings; UI keys (button texts, aria labels, instructions) are skipped.
 */
function genericItem(ctx: Context, item: DataObject, blocks: Block[], level: number, skip: ReadonlySet<string> = new Set()): void {
  const fields = Object.entries(item).filter(([key]) => !key.startsWith('_') && !skip.has(key) && !UI_KEY.test(key) && !switchedOff(item, key));
  let titled = false;
  for (const [key, value] of fields) {
    if (typeof value !== 'string' || !HEADING_KEY.test(key)) continue;
    // A narrative item repeats its title as `strapline` for small screens.
    if (key === 'strapline' && titled) continue;
    const text = authoredTitle(value);
    if (text) blocks.push({ type: 'heading', level, text });
    titled = titled || text !== '';
  }
  for (const [key, value] of fields) {
    if (HEADING_KEY.test(key)) continue;
    if (typeof value === 'string') {
      if (IMAGE_KEY.test(key) || key === 'src') addMedia(ctx, value, {});
      else looseText(ctx, key, value, blocks);
    } else if (Array.isArray(value)) {
      for (const entry of value) {
        if (typeof entry === 'string') looseText(ctx, key, entry, blocks);
        else if (isObject(entry)) genericItem(ctx, entry, blocks, Math.min(6, level + 1));
      }
    } else if (isObject(value) && !IMAGE_KEY.test(key)) {
      genericItem(ctx, value, blocks, Math.min(6, level + 1));
    }
  }
  // `_graphic`, or the images of plug-ins such as flipcard (`frontImage`): objects with src and alt.
  for (const [key, value] of Object.entries(item)) {
    if (isObject(value) && IMAGE_KEY.test(key) && ('src' in value || 'large' in value || 'caption' in value)) graphic(ctx, value, blocks);
  }
  for (const nested of asArray(item._items)) {
    if (typeof nested === 'string') looseText(ctx, 'text', nested, blocks);
    else if (isObject(nested)) genericItem(ctx, nested, blocks, Math.min(6, level + 1));
  }
  // Other lists of objects under a setting's key hold text too: the captions of a blinds item (`_captions: [{text}]`).
  for (const [key, value] of Object.entries(item)) {
    if (!key.startsWith('_') || key === '_items' || !Array.isArray(value)) continue;
    for (const entry of value) if (isObject(entry)) genericItem(ctx, entry, blocks, Math.min(6, level + 1));
  }
}

/** A field its own switch turns off: `graphicText` beside `_shouldEnableGraphicText: false` is not shown. */
function switchedOff(item: DataObject, key: string): boolean {
  return item[`_shouldEnable${key.charAt(0).toUpperCase()}${key.slice(1)}`] === false;
}

const SKIPPED_COMPONENTS = new Set(['blank', 'trickle-button']);

/** Appends a component's learner text to `blocks`; returns its question, if it asks one. */
export function renderComponent(ctx: Context, comp: Model, blocks: Block[], source: string): Question | null {
  const data = comp.data;
  const name = str(data._component).toLowerCase();
  if (SKIPPED_COMPONENTS.has(name)) return null;
  heading(blocks, 4, data.displayTitle);
  // Results (assessmentResults, assessmentResultsTotal...): their texts hold the score the player fills in.
  if (Array.isArray(data._bands)) {
    blocks.push(...resultsBlocks(data));
    return null;
  }
  body(ctx, data.body, blocks);
  const question = questionOf(data, comp.id, source, ctx.orderingShuffles);
  const items = asArray(data._items).filter(isObject);

  if (question) {
    for (const text of ownTexts(data)) body(ctx, blankOut(text), blocks);
    // What the learner sees before answering: the choices (or stems and options), not the feedback.
    const options = choiceItemsOf(data);
    const list = (texts: string[]) => {
      const shown = texts.filter(Boolean);
      if (shown.length > 0) blocks.push({ type: 'list', ordered: false, items: shown });
    };
    if (options) {
      // Graphic choices without text or alt have nothing to read.
      list(options.map((item) => toText(item.text) || toText(obj(item._graphic).alt)));
    } else if (question.choices.length > 0) {
      if (question.type === 'matching' || question.type === 'drag_drop') list(items.map((item) => toText(item.text)));
      list(question.choices.map((c) => c.text));
    } else {
      for (const item of items) {
        const line = [toText(item.prefix), toText(item.suffix)].filter(Boolean).join(' … ');
        if (line) blocks.push({ type: 'paragraph', text: line });
      }
      const scale = [toText(data.labelStart), toText(data.labelEnd)].filter(Boolean);
      if (scale.length > 0) blocks.push({ type: 'paragraph', text: scale.join(' … ') });
    }
    for (const item of choiceItemsOf(data) ?? items) if (item._graphic !== undefined) graphic(ctx, item._graphic, []);
    if (data._graphic !== undefined) graphic(ctx, data._graphic, blocks);
    return question;
  }

  if (name === 'media' || isObject(data._media)) {
    renderMedia(ctx, data, blocks);
    return null;
  }
  // Other plug-ins: their own text fields (`bottomText`...), then their items, strings or objects.
  genericItem(ctx, data, blocks, 4, COMPONENT_OWN_KEYS);
  return null;
}

const MEDIA_KEYS = ['mp4', 'webm', 'ogv', 'ogg', 'mp3', 'm4a', 'wav', 'source'];

function renderMedia(ctx: Context, data: DataObject, blocks: Block[]): void {
  const media = obj(data._media);
  const transcript = obj(data._transcript);
  const captions: string[] = [];
  let captionLanguage: string | null = null;
  for (const track of asArray(media.cc).filter(isObject)) {
    const path = ctx.view.resolve('index.html', str(track.src));
    if (path) captions.push(path);
    captionLanguage = captionLanguage ?? (str(track.srclang) || null);
  }
  const transcriptBlocks = toBlocks(transcript.inlineTranscriptBody);
  const transcriptText = blocksToText(transcriptBlocks);
  const hint: Omit<MediaHint, 'path'> = {
    captions,
    transcript: transcriptText ? { language: captionLanguage ?? ctx.language, text: transcriptText, cues: [] } : null,
  };
  let attached = false;
  for (const key of MEDIA_KEYS) {
    if (addMedia(ctx, fileReference(ctx, media[key]), hint)) attached = true;
  }
  // An external video (YouTube, Vimeo) has no file to carry the transcript: it stays on the page.
  if (!attached && transcriptBlocks.length > 0) blocks.push(...transcriptBlocks);
  if (fileReference(ctx, media.poster)) addMedia(ctx, fileReference(ctx, media.poster), {});
  if (str(transcript.transcriptLink)) addMedia(ctx, str(transcript.transcriptLink), {});
}
