import { blocksToText, tidyBlocks } from '../content/blocks.js';
import { htmlToBlocks, htmlToText } from '../content/html.js';
import { isSentenceLike } from '../content/text.js';
import type { Block, Question, QuestionType } from '../result/extraction-result.js';
import type { PackageView } from '../source/package-view.js';
import { makeQuestion, type QuestionInput } from './question.js';
import type { AssessmentDraft, MediaHint, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from './tool.js';

/*
 * Adapt Framework builds keep the whole course as JSON in `course/<lang>/`: course.json,
 * contentObjects.json (menus and pages), articles.json, blocks.json and components.json, linked by
 * `_parentId`. Newer builds list their data files in `language_data_manifest.js` (any file name,
 * each model typed by `_type`) and may use another extension than `.json` (`jsonext` in
 * adapt/js/build.min.js). The player's own strings live in course.json `_globals`, `_buttons` and in
 * each component's `_buttons`/`instruction`: none of those is read.
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (value: Json | undefined): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const obj = (value: Json | undefined): Obj => (isObj(value) ? value : {});
const arr = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);
const str = (value: Json | undefined): string => (typeof value === 'string' ? value : '');
const num = (value: Json | undefined): number | null => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
};

/** Handlebars expressions (`{{{score}}}`, `{{#if _isRadio}}`) are filled in by the player: never text. */
const stripTemplates = (value: string): string => value.replace(/\{\{\{?[^{}]*\}?\}\}/g, ' ');
const toText = (value: Json | undefined): string => {
  const raw = str(value);
  return raw.trim() ? htmlToText(stripTemplates(raw)) : '';
};
const toBlocks = (value: Json | undefined): Block[] => {
  const raw = str(value);
  return raw.trim() ? htmlToBlocks(stripTemplates(raw)).blocks : [];
};

const TRADITIONAL_FILES = ['course', 'contentObjects', 'articles', 'blocks', 'components'];
const TYPE_BY_FILE: Record<string, string> = {
  course: 'course',
  contentobjects: 'page',
  articles: 'article',
  blocks: 'block',
  components: 'component',
};

interface Layout {
  /** Folder holding the course data, e.g. `course/`. */
  courseDir: string;
  /** Language folders found (`en`), or [''] when the data sits directly in the course folder. */
  languages: string[];
}

interface Model {
  id: string;
  type: string;
  parentId: string | null;
  data: Obj;
  file: string;
  order: number;
}

function findLayout(view: PackageView): Layout | null {
  const files = view.files();
  if (!files.some((f) => f.startsWith('adapt/js/'))) return null;
  const languages = new Set<string>();
  let flat = false;
  for (const file of files) {
    const m = /^course\/(?:([^/]+)\/)?(course|contentObjects|language_data_manifest)\.[a-z]+$/i.exec(file);
    if (!m) continue;
    if (m[1] === undefined) flat = true;
    else languages.add(m[1]);
  }
  if (languages.size === 0 && !flat) return null;
  return { courseDir: 'course/', languages: languages.size > 0 ? [...languages].sort() : [''] };
}

interface BuildInfo {
  version: string | null;
  jsonext: string | null;
}

async function readBuild(view: PackageView): Promise<BuildInfo> {
  for (const file of ['adapt/js/build.min.js', 'adapt/js/build.js']) {
    if (!view.has(file)) continue;
    const text = (await view.text(file, 1024 * 1024)) ?? '';
    let data: Obj = {};
    try {
      const parsed = JSON.parse(text) as Json;
      data = obj(parsed);
    } catch {
      // Some builds wrap the object in script; read the two fields we need by pattern.
      const version = /"name"\s*:\s*"adapt_framework"[^}]*?"version"\s*:\s*"([^"]+)"/.exec(text)?.[1] ?? null;
      const jsonext = /"jsonext"\s*:\s*"([a-z]+)"/i.exec(text)?.[1] ?? null;
      return { version, jsonext };
    }
    const pkg = obj(data.package);
    return { version: str(pkg.version) || null, jsonext: str(data.jsonext) || null };
  }
  return { version: null, jsonext: null };
}

async function readConfig(view: PackageView, layout: Layout, ext: string): Promise<Obj> {
  for (const file of [`${layout.courseDir}config.${ext}`, `${layout.courseDir}config.json`]) {
    if (view.has(file)) return obj(await view.json<Json>(file));
  }
  return {};
}

function pickLanguage(layout: Layout, config: Obj): string {
  const preferred = str(config._defaultLanguage);
  if (preferred && layout.languages.includes(preferred)) return preferred;
  if (layout.languages.length === 1) return layout.languages[0] ?? '';
  return layout.languages.find((l) => l === 'en') ?? layout.languages[0] ?? '';
}

async function loadModels(view: PackageView, folder: string, ext: string): Promise<Model[]> {
  let manifest: string[] | null = null;
  const manifestFile = `${folder}language_data_manifest.js`;
  if (view.has(manifestFile)) {
    try {
      const parsed = JSON.parse((await view.text(manifestFile, 1024 * 1024)) ?? '') as Json;
      manifest = arr(parsed).filter((f): f is string => typeof f === 'string');
    } catch {
      manifest = null;
    }
  }
  if (!manifest || manifest.length === 0) {
    manifest = TRADITIONAL_FILES.map((name) => `${name}.${ext}`).filter((f) => view.has(folder + f));
    if (manifest.length === 0) manifest = TRADITIONAL_FILES.map((name) => `${name}.json`).filter((f) => view.has(folder + f));
  }
  const models: Model[] = [];
  for (const name of manifest) {
    if (/^assets\./i.test(name) || /\.js$/i.test(name)) continue;
    const file = folder + name;
    if (!view.has(file)) {
      view.warn('adapt_file_missing', `${file} is listed by the Adapt language manifest but absent`, file);
      continue;
    }
    const data = await view.json<Json>(file);
    if (data === undefined) continue;
    const base = name.replace(/\.[^.]+$/, '').toLowerCase();
    for (const entry of Array.isArray(data) ? data : [data]) {
      if (!isObj(entry)) continue;
      const type = str(entry._type) || TYPE_BY_FILE[base] || (entry._component !== undefined ? 'component' : '');
      if (!type) continue;
      const id = str(entry._id) || (type === 'course' ? 'course' : `${base}-${models.length}`);
      models.push({ id, type, parentId: str(entry._parentId) || null, data: entry, file, order: models.length });
    }
  }
  return models;
}

interface Context {
  view: PackageView;
  language: string | null;
  media: Map<string, MediaHint>;
}

function addMedia(ctx: Context, reference: string, hint: Omit<MediaHint, 'path'>): string | null {
  if (!reference.trim()) return null;
  const path = ctx.view.resolve('index.html', reference);
  if (!path) return null;
  const existing = ctx.media.get(path) ?? { path };
  if (hint.altText && !existing.altText) existing.altText = hint.altText;
  if (hint.captions?.length) existing.captions = [...new Set([...(existing.captions ?? []), ...hint.captions])];
  if (hint.transcript && !existing.transcript) existing.transcript = hint.transcript;
  ctx.media.set(path, existing);
  return path;
}

/** An image block for a `_graphic` object ({src|large|small, alt}) and a media hint for its files. */
function graphic(ctx: Context, value: Json | undefined, blocks: Block[]): void {
  const g = obj(value);
  const alt = toText(g.alt);
  const sources = [str(g.large), str(g.src), str(g.small)].filter(Boolean);
  let path: string | null = null;
  for (const source of sources) path = addMedia(ctx, source, { altText: alt || null }) ?? path;
  if (alt) blocks.push({ type: 'image', alt, src: path });
}

/** Blocks of an HTML body; images inside it become media hints too. */
function body(ctx: Context, value: Json | undefined, blocks: Block[]): void {
  const raw = str(value);
  if (!raw.trim()) return;
  const extraction = htmlToBlocks(stripTemplates(raw));
  for (const image of extraction.images) addMedia(ctx, image.src, { altText: image.alt || null });
  // Asset paths in course data are relative to index.html, the root of the view.
  blocks.push(...extraction.blocks.map((b) => (b.type === 'image' && b.src ? { ...b, src: ctx.view.resolve('index.html', b.src) } : b)));
}

function heading(blocks: Block[], level: number, value: Json | undefined): void {
  const text = authoredTitle(value);
  if (text) blocks.push({ type: 'heading', level, text });
}

const UI_KEY = /^(aria|button|link|alt|placeholder|instruction|mobile|next|prev|previous|close|back|done|start|continue|retry|submit|reset)/i;
const HEADING_KEY = /^(title|tabTitle|heading|header|strapline)$|.Title$/;
const BODY_KEY = /^(body|text|description|content|front|back)$|.(Body|Text|Description|Content|Block)$/;
const IMAGE_KEY = /^_?graphic$|image$/i;

/** A string of an unknown field: HTML, a body, or plain text that reads like a sentence. */
function looseText(ctx: Context, key: string, value: string, blocks: Block[]): void {
  if (BODY_KEY.test(key) || /<[a-z][^>]*>/i.test(value)) body(ctx, value, blocks);
  else if (isSentenceLike(toText(value))) blocks.push({ type: 'paragraph', text: toText(value) });
}

/**
 * Text of an item-based or unknown component (accordion, narrative, hotgraphic, tabs, flipcard,
 * reveal...): titles as headings, bodies, sentence-like strings, images with alt, nested items.
 * Underscore keys are settings; UI keys (button texts, aria labels, instructions) are skipped.
 */
function genericItem(ctx: Context, item: Obj, blocks: Block[], level: number, skip: ReadonlySet<string> = new Set()): void {
  const fields = Object.entries(item).filter(([key]) => !key.startsWith('_') && !skip.has(key) && !UI_KEY.test(key));
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
      if (IMAGE_KEY.test(key)) addMedia(ctx, value, {});
      else looseText(ctx, key, value, blocks);
    } else if (Array.isArray(value)) {
      for (const entry of value) {
        if (typeof entry === 'string') looseText(ctx, key, entry, blocks);
        else if (isObj(entry)) genericItem(ctx, entry, blocks, Math.min(6, level + 1));
      }
    } else if (isObj(value) && !IMAGE_KEY.test(key)) {
      genericItem(ctx, value, blocks, Math.min(6, level + 1));
    }
  }
  // `_graphic`, or the images of plug-ins such as flipcard (`frontImage`): objects with src and alt.
  for (const [key, value] of Object.entries(item)) {
    if (isObj(value) && IMAGE_KEY.test(key) && ('src' in value || 'large' in value)) graphic(ctx, value, blocks);
  }
  for (const nested of arr(item._items)) {
    if (typeof nested === 'string') looseText(ctx, 'text', nested, blocks);
    else if (isObj(nested)) genericItem(ctx, nested, blocks, Math.min(6, level + 1));
  }
}

function feedbackOf(comp: Obj): { correct: string | null; incorrect: string | null } {
  const feedback = obj(comp._feedback);
  const correct = str(feedback.correct) || str(obj(feedback._correct).body) || str(feedback._correct);
  const incorrect = obj(feedback._incorrect);
  const wrong =
    str(incorrect.final) || str(incorrect.body) || str(incorrect.notFinal) || str(feedback.incorrect) || str(feedback._incorrect);
  return {
    correct: correct ? stripTemplates(correct) : null,
    incorrect: wrong ? stripTemplates(wrong) : null,
  };
}

/** Gaps of fill-in plug-ins (`%?%`), shown to the learner as a line. */
const blankOut = (text: string): string => text.replace(/%\?%/g, '_____');

/** Body-like texts a plug-in adds beside body (`textBlock`, `bottomText`...). */
const ownTexts = (comp: Obj): string[] =>
  Object.entries(comp)
    .filter(([key, value]) => typeof value === 'string' && !key.startsWith('_') && !COMPONENT_OWN_KEYS.has(key) && !UI_KEY.test(key) && BODY_KEY.test(key))
    .map(([, value]) => str(value))
    .filter((value) => toText(value) !== '');

/** The options of mcq, gmcq and look-alikes (yes/no image sets keep theirs in `_images`). */
const choiceItemsOf = (comp: Obj): Obj[] | undefined =>
  [arr(comp._items), ...Object.entries(comp).filter(([k]) => k.startsWith('_') && k !== '_items').map(([, v]) => arr(v))]
    .map((list) => list.filter(isObj))
    .find((list) => list.some((item) => typeof item._shouldBeSelected === 'boolean'));

const listOf = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

const choiceText = (item: Obj, index: number): string => {
  const text = toText(item.text);
  if (text) return text;
  const alt = toText(obj(item._graphic).alt);
  return alt || `Image ${index + 1}`;
};

/** The question a component asks, read from the shape of its data (any mcq-like or matching plug-in too). */
function questionOf(comp: Obj, id: string, source: string): Question | null {
  const name = str(comp._component).toLowerCase();
  const items = arr(comp._items).filter(isObj);
  // `title` is the author's internal name ("comp-mc", "Question 01"): only body and displayTitle are
  // shown, with any text a plug-in adds (a fill-in's `textBlock`). The instruction is boilerplate
  // ("Choose one option then select Submit.") unless it is all the question says.
  const stem = toText(comp.body) ? str(comp.body) : str(comp.displayTitle);
  const extra = ownTexts(comp).map(blankOut);
  const asked = [stem, ...extra].filter((t) => toText(t));
  const prompt = stripTemplates(asked.length > 0 ? asked.join('\n') : str(comp.instruction));
  const base: Pick<QuestionInput, 'id' | 'prompt' | 'source' | 'feedback' | 'points'> = {
    id,
    prompt,
    source,
    feedback: feedbackOf(comp),
    points: num(comp._questionWeight),
  };

  const choiceItems = choiceItemsOf(comp);
  if (choiceItems) {
    const choices = choiceItems.map((item, i) => ({
      id: String(i + 1),
      text: choiceText(item, i),
      correct: item._shouldBeSelected === true,
      feedback: str(item.feedback) ? stripTemplates(str(item.feedback)) : null,
    }));
    const correctCount = choices.filter((c) => c.correct).length;
    const selectable = num(comp._selectable) ?? 1;
    const type: QuestionType = correctCount > 1 || selectable > 1 ? 'multiple_response' : 'choice';
    return makeQuestion({ ...base, type, choices });
  }

  // matching: each item (a stem) picks one of its `_options`; without stems (stacker) the items are
  // positions, and the correct options in item order are the expected sequence.
  if (items.some((item) => Array.isArray(item._options))) {
    const matches: { source: string; target: string }[] = [];
    const options = new Set<string>();
    const correct: string[] = [];
    for (const item of items) {
      const itemStem = toText(item.text);
      for (const option of arr(item._options).filter(isObj)) {
        const text = toText(option.text) || toText(option.alt);
        if (!text) continue;
        options.add(text);
        if (option._isCorrect !== true) continue;
        correct.push(text);
        if (itemStem) matches.push({ source: itemStem, target: text });
      }
    }
    return makeQuestion({
      ...base,
      type: matches.length > 0 || items.some((item) => toText(item.text)) ? 'matching' : 'sequencing',
      choices: [...options].map((text, i) => ({ id: String(i + 1), text, correct: null })),
      matches,
      correctAnswers: correct,
    });
  }

  if (name.includes('slider') || (comp._scaleStart !== undefined && comp._scaleEnd !== undefined)) {
    const range = obj(comp._correctRange);
    const exact = num(comp._correctAnswer);
    const bottom = num(range._bottom);
    const top = num(range._top);
    const hasRange = bottom !== null && top !== null && (bottom !== 0 || top !== 0);
    const answers = exact !== null ? [String(exact)] : hasRange ? [`${bottom}–${top}`] : [];
    return makeQuestion({ ...base, type: answers.length > 0 ? 'other' : 'likert', correctAnswers: answers });
  }

  const topAnswers = arr(comp._answers);
  if (name.includes('textinput') || topAnswers.length > 0 || items.some((item) => Array.isArray(item._answers))) {
    // Accepted answers per input: on the item, or (for `_allowsAnyOrder`) in a top-level list of lists.
    const perItem =
      items.length > 0
        ? items.map((item, i) => (arr(item._answers).length > 0 ? arr(item._answers) : listOf(topAnswers[i])))
        : topAnswers.map((a) => listOf(a));
    // An answer is a string, or (fill-in-the-blanks plug-ins) `{_answer, _isCorrect}`.
    const answerText = (a: Json): string =>
      typeof a === 'number' ? String(a) : isObj(a) ? (a._isCorrect === false ? '' : toText(a._answer) || toText(a.text)) : toText(a);
    const accepted = perItem.map((answers) => answers.map(answerText).filter(Boolean));
    const correctAnswers = accepted.length === 1 ? (accepted[0] ?? []) : accepted.filter((a) => a.length > 0).map((a) => a.join(' / '));
    return makeQuestion({ ...base, type: 'fill_in', correctAnswers });
  }

  if (/opentextinput|openinput|essay|textarea|reflection/.test(name)) {
    const model = str(comp.modelAnswer) || str(comp._modelAnswer);
    return makeQuestion({ ...base, type: 'essay', correctAnswers: model ? [model] : [] });
  }

  // Drag-and-drop plug-ins: each item's text takes the `_accepted` answer(s).
  if (items.some((item) => item._accepted !== undefined)) {
    const matches = items.flatMap((item) => {
      const stem = toText(item.text);
      const accepted = listOf(item._accepted).map((a) => toText(a)).filter(Boolean);
      return stem && accepted.length > 0 ? [{ source: stem, target: accepted.join(' / ') }] : [];
    });
    const options = [...new Set([...items.flatMap((item) => listOf(item._accepted)), ...arr(comp.dummyAnswers)].map((a) => toText(a)).filter(Boolean))];
    return makeQuestion({
      ...base,
      type: 'drag_drop',
      choices: options.map((text) => ({ text, correct: null })),
      matches,
      correctAnswers: matches.map((m) => m.target),
    });
  }

  // Any other scored plug-in (sortable, hotspot...). An ordering plug-in that shuffles its items
  // (`_isRandom`) keeps them in the right order; otherwise the answer key is not in the data.
  if (comp._questionWeight !== undefined || isObj(comp._feedback)) {
    const choices = items.map((item, i) => ({ id: String(i + 1), text: toText(item.text) || toText(item.title), correct: null }));
    const ordering = /sort|sequenc|order|rank/.test(name);
    const correctAnswers = ordering && comp._isRandom === true ? choices.map((c) => c.text).filter(Boolean) : [];
    return makeQuestion({ ...base, type: ordering ? 'sequencing' : 'other', choices, correctAnswers });
  }
  return null;
}

const SKIPPED_COMPONENTS = new Set(['blank', 'assessmentresults', 'assessmentresultstotal', 'assessmentsummary', 'trickle-button']);

/** Appends a component's learner text to `blocks`; returns its question, if it asks one. */
function renderComponent(ctx: Context, comp: Model, blocks: Block[], source: string): Question | null {
  const data = comp.data;
  const name = str(data._component).toLowerCase();
  if (SKIPPED_COMPONENTS.has(name)) return null;
  heading(blocks, 4, data.displayTitle);
  body(ctx, data.body, blocks);
  const question = questionOf(data, comp.id, source);
  const items = arr(data._items).filter(isObj);

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

  if (name === 'media' || isObj(data._media)) {
    renderMedia(ctx, data, blocks);
    return null;
  }
  // Other plug-ins: their own text fields (`bottomText`...), then their items, strings or objects.
  genericItem(ctx, data, blocks, 4, COMPONENT_OWN_KEYS);
  return null;
}

/** Component keys read above, or that are not shown (`title` is the author's internal name). */
const COMPONENT_OWN_KEYS: ReadonlySet<string> = new Set(['title', 'displayTitle', 'body']);

const MEDIA_KEYS = ['mp4', 'webm', 'ogv', 'ogg', 'mp3', 'm4a', 'wav', 'source'];

function renderMedia(ctx: Context, data: Obj, blocks: Block[]): void {
  const media = obj(data._media);
  const transcript = obj(data._transcript);
  const captions: string[] = [];
  let captionLanguage: string | null = null;
  for (const track of arr(media.cc).filter(isObj)) {
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
    if (addMedia(ctx, str(media[key]), hint)) attached = true;
  }
  // An external video (YouTube, Vimeo) has no file to carry the transcript: it stays on the page.
  if (!attached && transcriptBlocks.length > 0) blocks.push(...transcriptBlocks);
  if (str(media.poster)) addMedia(ctx, str(media.poster), {});
  if (str(transcript.transcriptLink)) addMedia(ctx, str(transcript.transcriptLink), {});
}

/** A `title` the author chose, not the authoring tool's placeholder ("New Article Title"). */
const authoredTitle = (value: Json | undefined): string => {
  const text = toText(value);
  return /^(new\s+)?(course|menu|page|article|block|component)?\s*title$|^untitled\b/i.test(text) ? '' : text;
};

const available = (model: Model): boolean => model.data._isAvailable !== false;

export const adapt: ToolDecoder = {
  name: 'Adapt Framework',

  async detect(view: PackageView): Promise<ToolDetection | null> {
    if (!findLayout(view)) return null;
    return { version: (await readBuild(view)).version };
  },

  async extract(view: PackageView): Promise<ToolOutput> {
    const layout = findLayout(view);
    const empty: ToolOutput = { pages: [], assessments: [], media: [] };
    if (!layout) return empty;
    const build = await readBuild(view);
    const ext = build.jsonext ?? 'json';
    const config = await readConfig(view, layout, ext);
    const language = pickLanguage(layout, config);
    const folder = language ? `${layout.courseDir}${language}/` : layout.courseDir;
    const models = await loadModels(view, folder, ext);
    if (models.length === 0) {
      view.warn('adapt_no_data', `No Adapt course data could be read in ${folder}`);
      return empty;
    }

    const children = new Map<string, Model[]>();
    for (const model of models) {
      if (model.parentId === null) continue;
      const list = children.get(model.parentId) ?? [];
      list.push(model);
      children.set(model.parentId, list);
    }
    for (const list of children.values()) {
      list.sort((a, b) => (num(a.data._sortOrder) ?? a.order) - (num(b.data._sortOrder) ?? b.order) || a.order - b.order);
    }
    const childrenOf = (model: Model, types?: string[]) =>
      (children.get(model.id) ?? []).filter((c) => available(c) && (!types || types.includes(c.type)));

    const course = models.find((m) => m.type === 'course');
    const ctx: Context = { view, language: language || null, media: new Map() };
    const itemId = view.items.length === 1 ? (view.items[0]?.identifier ?? null) : null;
    const pages: PageDraft[] = [];
    const assessments: AssessmentDraft[] = [];
    const isContentObject = (m: Model) => m.type === 'page' || m.type === 'menu' || m.type === 'contentobject';

    // Content objects hanging off the course, or (for data with a course id we cannot match) off nothing known.
    const ids = new Set(models.map((m) => m.id));
    const roots = course
      ? childrenOf(course).filter(isContentObject)
      : models.filter((m) => isContentObject(m) && available(m) && (m.parentId === null || !ids.has(m.parentId)));
    const visited = new Set<string>();

    const visitPage = (page: Model) => {
      const blocks: Block[] = [];
      const title = toText(page.data.displayTitle) || toText(page.data.title) || null;
      if (title) blocks.push({ type: 'heading', level: 1, text: title });
      const subtitle = toText(page.data.subtitle);
      if (subtitle) blocks.push({ type: 'paragraph', text: subtitle });
      body(ctx, str(page.data.pageBody) ? page.data.pageBody : page.data.body, blocks);
      if (page.data._graphic !== undefined) graphic(ctx, page.data._graphic, []);
      const pageIndex = pages.length;
      const groups = new Map<string, AssessmentDraft>();
      const pageQuestions: Question[] = [];

      for (const article of childrenOf(page, ['article'])) {
        heading(blocks, 2, article.data.displayTitle);
        body(ctx, article.data.body, blocks);
        const settings = obj(article.data._assessment);
        const isAssessment = settings._isEnabled === true;
        const articleQuestions: Question[] = [];
        for (const block of childrenOf(article, ['block'])) {
          heading(blocks, 3, block.data.displayTitle);
          body(ctx, block.data.body, blocks);
          for (const comp of childrenOf(block, ['component'])) {
            const question = renderComponent(ctx, comp, blocks, comp.file);
            if (question) (isAssessment ? articleQuestions : pageQuestions).push(question);
          }
        }
        if (isAssessment && articleQuestions.length > 0) {
          const total = articleQuestions.reduce((sum, q) => sum + (q.points ?? 1), 0);
          const toPass = num(settings._scoreToPass);
          const passingScore =
            toPass === null ? null : settings._isPercentageBased === false ? (total > 0 ? Math.round((toPass / total) * 100) : null) : toPass;
          groups.set(article.id, {
            title: toText(article.data.displayTitle) || authoredTitle(article.data.title) || title || str(settings._id) || null,
            source: article.file,
            itemId,
            pageIndex,
            passingScore,
            questions: articleQuestions,
          });
        }
      }
      pages.push({ title, kind: 'page', source: page.file, itemId, blocks: tidyBlocks(blocks) });
      if (pageQuestions.length > 0) {
        assessments.push({ title, source: page.file, itemId, pageIndex, passingScore: null, questions: pageQuestions });
      }
      assessments.push(...groups.values());
    };

    const visit = (co: Model) => {
      if (visited.has(co.id)) return;
      visited.add(co.id);
      if (co.type === 'menu') {
        const blocks: Block[] = [];
        heading(blocks, 1, co.data.displayTitle || co.data.title);
        body(ctx, co.data.body, blocks);
        if (co.data._graphic !== undefined) graphic(ctx, co.data._graphic, []);
        // A sub-menu with an introduction of its own; a bare menu title adds nothing to read.
        if (blocks.some((b) => b.type !== 'heading')) {
          pages.push({ title: toText(co.data.displayTitle) || toText(co.data.title) || null, kind: 'section', source: co.file, itemId, blocks: tidyBlocks(blocks) });
        }
        for (const child of childrenOf(co).filter(isContentObject)) visit(child);
      } else {
        visitPage(co);
      }
    };
    for (const root of roots) visit(root);

    const courseData = course?.data ?? {};
    const description = toText(courseData.description) || blocksToText(toBlocks(courseData.body)) || null;
    if (courseData._graphic !== undefined) graphic(ctx, courseData._graphic, []);
    // Files offered in the resources drawer (PDFs, handouts) are part of the course too.
    for (const resource of arr(obj(courseData._resources)._resourcesItems).filter(isObj)) addMedia(ctx, str(resource._link), {});
    return {
      title: toText(courseData.displayTitle) || toText(courseData.title) || null,
      description,
      language: language || str(config._defaultLanguage) || null,
      pages,
      assessments,
      media: [...ctx.media.values()],
    };
  },
};
