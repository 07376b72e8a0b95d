import { asArray, asNumber, asObject, asString, isObject, parseJson, type DataObject, type DataValue } from '../../content/data-values.js';
import { htmlToBlocks } from '../../content/html.js';
import { literalAfter } from '../../content/js-literals.js';
import { hasLetters, normalizeSpace } from '../../content/text.js';
import type { Cue } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';

/*
 * The Captivate model: `cp.D` (or `cp.model.data`), one object literal whose keys name every slide,
 * item, question and audio of the project, read without running the player. Captivate 8 to 2019
 * write it to assets/js/CPM.js with rich text in `vt`; Captivate 12 and later write it to
 * assets/js/project.js with Draft.js text (`text`, or `widgetProps.normal.editorState` of buttons
 * and answers), items nested in containers (`si` of an item), and the slides of each question
 * pool in `pools/<id>/<id>.js` as `cp.model['<id>Data'] = {...}`.
 */

/** Captivate object types (cp.kCPOT* constants of its runtime). */
export const T = {
  clickBox: 13,
  imageBox: 15,
  successCaption: 21,
  failureCaption: 22,
  hintCaption: 23,
  textEntryBox: 24,
  textEntryButton: 75,
  questionText: 79,
  answer: 80,
  retryFeedback: 81,
  questionClear: 84,
  questionBack: 85,
  questionTitle: 86,
  matchingColumnHeader: 87,
  questionSubmit: 91,
  progress: 92,
  review: 94,
  incompleteFeedback: 97,
  scoringReview: 103,
  scoringResult: 111,
  scoringResultItem: 112,
  timeoutFeedback: 174,
  scorableButton: 177,
  undo: 639,
  reset: 640,
  ddSubmit: 641,
  successShape: 661,
  failureShape: 663,
  hintShape: 665,
  fillBlankField: 10011,
  answerMulti: 10081,
  answerSingle: 10082,
  stageCorrect: 10086,
  stageIncorrect: 10087,
  answerLabel: 10088,
  shortAnswer: 10094,
  sequenceAnswer: 10096,
  matchingAnswer: 10097,
  matchingEntry: 10098,
  fillBlankCaption: 10106,
  matchingQuestion: 10110,
  likertQuestion: 10112,
  scoringContinue: 10119,
  partialFeedback: 10139,
  answerArea: 10142,
  matchingQuestionArea: 10143,
  matchingAnswerArea: 10144,
  submitAll: 10149,
  correctShape: 10166,
  incorrectShape: 10168,
  retryShape: 10172,
  incompleteShape: 10174,
  answerFeedbackShape: 10176,
  timeoutShape: 10178,
  reviewNext: 10180,
  reviewBack: 10182,
} as const;

/** Labels of player and quiz controls, dropped wherever they appear as a whole text. */
export const CHROME_LABEL =
  /^(next|back|prev|previous|submit|submit all|continue|clear|skip|retake|retake quiz|review|review quiz|reset|undo|ok|cancel|close|exit|play|pause|replay|rewind|menu|home|restart|next question|previous question|(start|begin|finish) (the )?quiz|<<|>>|<|>|click to continue|click anywhere to continue)$/i;

/**
 * The accessible names Captivate gives new objects: their kind, at most numbered ("Image 3",
 * "Video"), or its sentence for a vector image ("This is a Scalable Vector Graphics").
 */
const DEFAULT_ACCESSIBLE_NAME = /^(image|button|btn|shape|video|audio|animation|text caption|smart ?shape)[_ ]?\d*$|^this is a scalable vector graphics?$/i;

export const isMeaningful = (text: string) => /[\p{L}\p{N}]/u.test(text);

/** Text with Captivate variables (`$$name$$`) shown as `[name]`; its line-break marks (U+0003) are spaces. */
export function clean(text: string): string {
  const spaced = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ' ');
  return normalizeSpace(spaced.replace(/\$\$([\w.]+)\$\$/g, ' [$1] ')).replace(/\] ([.,;:!?])/g, ']$1');
}

/** Captivate's default instruction on feedback captions ("Correct - Click anywhere or press 'y' to continue."). */
const DEFAULT_INSTRUCTION = /\s*[-–—]?\s*Click anywhere or press ['‘’]?y['‘’]? to continue\.?/g;

/** A feedback text without the player's default instruction: "Correct - Click anywhere…" is "Correct". */
export function withoutDefaultInstruction(text: string | null): string | null {
  if (!text) return null;
  const stripped = text.replace(DEFAULT_INSTRUCTION, ' ');
  return stripped === text ? text : normalizeSpace(stripped).replace(/\s*[-–—,]$/, '') || null;
}

/** Paragraphs of a Captivate rich text (`vt`): its `<br>`s end paragraphs. */
export function richParagraphs(html: string | undefined, keep: (text: string) => boolean = hasLetters): string[] {
  if (!html || !html.trim()) return [];
  const blocks = htmlToBlocks(html.replace(/<br\s*\/?>/gi, '<div></div>')).blocks;
  const out: string[] = [];
  for (const block of blocks) {
    const texts = block.type === 'list' ? block.items : block.type === 'table' ? block.rows.map((r) => r.join(' | ')) : [block.type === 'image' ? '' : block.text];
    for (const text of texts) {
      const value = clean(text);
      if (keep(value)) out.push(value);
    }
  }
  return out;
}

/** Paragraphs of Captivate 12 Draft.js text (`{"blocks": [{"text": ...}]}`), as JSON text or parsed. */
export function draftParagraphs(value: DataValue | undefined): string[] {
  const state = typeof value === 'string' ? (value.trimStart().startsWith('{') ? asObject(parseJson(value)) : undefined) : asObject(value);
  return asArray(state?.blocks)
    .map((block) => clean(asString(asObject(block)?.text) ?? ''))
    .filter(isMeaningful);
}

/** The parsed `widgetProps` of a Captivate 12 item. */
export function widgetProps(item: DataObject | undefined): DataObject | undefined {
  const props = item?.widgetProps;
  return typeof props === 'string' && props.trimStart().startsWith('{') ? asObject(parseJson(props)) : asObject(props);
}

/** The label a Captivate 12 button or answer shows in its normal state. */
function widgetLabel(item: DataObject | undefined): string[] {
  const normal = asObject(widgetProps(item)?.normal);
  return normal && normal.textEnabled !== false ? draftParagraphs(normal.editorState) : [];
}

/** A tag without the index Captivate 12 appends to repeated items (`tab-button3` is a `tab-button`). */
const tagBase = (tag: string) => tag.replace(/\d+$/, '');

/** How many of its repeated parts a Captivate 12 widget shows (`numberOfTabs: {value: 3}`, `numberOfCards: 4`). */
function shownCount(props: DataObject | undefined): number | null {
  for (const [key, value] of Object.entries(props ?? {})) {
    const count = asNumber(value) ?? asNumber(asObject(value)?.value);
    if (/^numberOf[A-Z]/.test(key) && count !== undefined && count >= 0) return count;
  }
  return null;
}

export interface SlideItem {
  name: string;
  type: number | undefined;
  tag: string;
}

const MAX_DEPTH = 32;
const MAX_ITEMS = 100_000;

export interface CaptivateModel {
  data: DataObject;
  /** Audio and video files the runtime preloads (its images are sprites in dr/*.json, not files). */
  audios: string[];
  videos: string[];
}

const MODEL_FILES = ['assets/js/CPM.js', 'assets/js/project.js'];
const MAX_POOL_BYTES = 16 * 1024 * 1024;

/** The file holding the model: CPM.js, else a project.js that builds the Captivate model. */
export async function findModelFile(view: PackageView): Promise<string | undefined> {
  for (const name of MODEL_FILES) {
    const file = findFile(view, name);
    if (!file) continue;
    const head = (await view.head(file, 4096)).toString('utf8');
    if (/cp\.CPProjInit|cp\.(D|model\.data)\s*=/.test(head)) return file;
  }
  return undefined;
}

/** Slides and questions of the question pools (`pools/<id>/<id>.js`), added to the model's own objects. */
export async function addPools(view: PackageView, model: CaptivateModel): Promise<void> {
  const files = view.files().filter((f) => /(^|\/)pools\/[^/]+\/[^/]+\.js$/i.test(f) && (view.size(f) ?? 0) <= MAX_POOL_BYTES);
  for (const file of files) {
    const source = await view.text(file);
    const pool = source ? asObject(literalAfter(source, /cp\.model\[\s*['"][\w-]+Data['"]\s*\]\s*=\s*(?=\{)/)) : undefined;
    for (const [key, value] of Object.entries(pool ?? {})) {
      if (!(key in model.data)) model.data[key] = value;
    }
  }
}

export function readModel(source: string): CaptivateModel | null {
  const data =
    literalAfter(source, /cp\.(?:D|model\.data)\s*=\s*(?:cp\.(?:D|model\.data)\s*=\s*)?(?=\{)/) ??
    literalAfter(source, /\bcp\.D\s*=\s*(?=\{)/);
  if (!isObject(data)) return null;
  const list = (name: string) =>
    asArray(literalAfter(source, new RegExp(`cp\\.model\\.${name}\\s*=\\s*(?=\\[)`)))
      .map((entry) => asString(entry) ?? asString(asObject(entry)?.ip) ?? asString(asObject(entry)?.src))
      .filter((entry): entry is string => !!entry);
  return { data, audios: list('audios'), videos: list('videos') };
}

/** Case-insensitive file lookup, so `Assets/JS/cpm.js` is found too. */
export function findFile(view: PackageView, file: string): string | undefined {
  if (view.has(file)) return file;
  const lower = file.toLowerCase();
  return view.files().find((f) => f.toLowerCase() === lower);
}

/** The objects of the model: slides, their items and texts, questions, slide audio and captions. */
export class ModelReader {
  readonly D: DataObject;
  readonly fps: number;
  private readonly questionKeyBySlide = new Map<string, string>();

  constructor(
    readonly view: PackageView,
    readonly model: CaptivateModel,
    /** The model file, as the package spells it. */
    readonly file: string,
  ) {
    this.D = model.data;
    const project = asObject(this.D.project);
    this.fps = asNumber(project?.fps) ?? asNumber(asObject(this.D.project_main)?.fps) ?? 30;
    for (const key of this.questionKeys()) {
      const slide = asString(asObject(this.D[key])?.sn);
      if (slide && !this.questionKeyBySlide.has(slide)) this.questionKeyBySlide.set(slide, key);
    }
  }

  obj(name: string | undefined): DataObject | undefined {
    return name ? asObject(this.D[name]) : undefined;
  }

  /** The display ('c') object of a slide item: its accessibility text, bounds, image. */
  display(name: string): DataObject | undefined {
    const item = this.obj(name);
    return this.obj(asString(item?.mdi)) ?? this.obj(`${name}c`);
  }

  /** An item from its own name or from the name of its display object. */
  itemOf(name: string): { item: DataObject | undefined; display: DataObject | undefined; name: string } {
    const own = this.obj(name);
    if (own && own.type !== undefined) return { item: own, display: this.display(name), name };
    const base = name.endsWith('c') ? name.slice(0, -1) : name;
    const item = this.obj(base);
    return { item, display: own ?? this.display(base), name: base };
  }

  /** Paragraphs an item shows: its rich text, else its accessibility text. */
  itemParagraphs(name: string): string[] {
    const { item, display } = this.itemOf(name);
    const rich = richParagraphs(asString(item?.vt));
    if (rich.length) return rich;
    const draft = draftParagraphs(item?.text);
    if (draft.length) return draft;
    const label = widgetLabel(item);
    if (label.length) return label;
    const responsive = asObject(item?.rpvt);
    if (responsive) {
      for (const entry of Object.values(responsive)) {
        const paragraphs = richParagraphs(asString(asObject(entry)?.vt));
        if (paragraphs.length) return paragraphs;
      }
    }
    // A media object or shape left with its default accessible name ("Video", "Audio") says nothing.
    const accessible = clean(asString(display?.accstr) ?? '');
    return hasLetters(accessible) && !DEFAULT_ACCESSIBLE_NAME.test(accessible) && accessible !== asString(display?.dn) ? [accessible] : [];
  }

  itemText(name: string | undefined): string | null {
    if (!name) return null;
    const text = this.itemParagraphs(name).join(' ');
    return text || null;
  }

  /** The slides in order, then the overlay slides an interactive video shows over itself. */
  slideNames(): string[] {
    const main = asObject(this.D.project_main);
    const listed = [asString(main?.slides) ?? '', asString(main?.overlayslides) ?? '']
      .join(',')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => isObject(this.D[s]));
    if (listed.length) return listed;
    return Object.keys(this.D)
      .filter((k) => {
        const v = asObject(this.D[k]);
        return !!v && Array.isArray(v.si) && typeof v.from === 'number' && /slide/i.test(asString(v.st) ?? 'slide');
      })
      .sort((a, b) => (asNumber(asObject(this.D[a])?.from) ?? 0) - (asNumber(asObject(this.D[b])?.from) ?? 0));
  }

  /**
   * The items of a slide in order, with the items nested in Captivate 12 containers after their
   * container, minus what a container hides: parts its `visibilityInfo` turns off, repeated parts
   * beyond the number its widget shows (`numberOfTabs`), and copies holding another item's states.
   */
  slideItems(slide: DataObject): SlideItem[] {
    const out: SlideItem[] = [];
    const visit = (holder: DataObject, limit: number | null, depth: number) => {
      const props = widgetProps(holder);
      const hidden = asObject(props?.visibilityInfo);
      const count = shownCount(props) ?? limit;
      const children = asArray(holder.si).flatMap((entry) => {
        const name = asString(asObject(entry)?.n);
        const item = this.obj(name);
        if (!name || (asNumber(item?.baseItemIdForPropertyFlow) ?? -1) >= 0) return [];
        return [{ name, item, type: asNumber(item?.type) ?? asNumber(asObject(entry)?.t), tag: asString(item?.tag) ?? '' }];
      });
      const repeats = new Map<string, number>();
      for (const child of children) repeats.set(tagBase(child.tag), (repeats.get(tagBase(child.tag)) ?? 0) + 1);
      const index = new Map<string, number>();
      for (const child of children) {
        const base = tagBase(child.tag);
        const position = index.get(base) ?? 0;
        index.set(base, position + 1);
        if (out.length >= MAX_ITEMS || (base && hidden?.[base] === false)) continue;
        if (count !== null && base && (repeats.get(base) ?? 0) > count && position >= count) continue;
        out.push({ name: child.name, type: child.type, tag: child.tag });
        if (child.item && depth < MAX_DEPTH) visit(child.item, count, depth + 1);
      }
    };
    visit(slide, null, 0);
    return out;
  }

  /** The quiz questions; Captivate 12 also lists the buttons and fields that report to the LMS, which ask nothing. */
  questionKeys(): string[] {
    const listed = (asString(asObject(this.D.project_main)?.questions) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => isObject(this.D[s]));
    const seen = new Set(listed);
    for (const [key, value] of Object.entries(this.D)) {
      const v = asObject(value);
      if (!seen.has(key) && v && typeof v.qtp === 'string' && (Array.isArray(v.ao) || typeof v.qt === 'string')) {
        listed.push(key);
        seen.add(key);
      }
    }
    return listed.filter((key) => asString(this.obj(key)?.qtp) !== 'InteractiveItemQuestion');
  }

  questionOfSlide(slide: string): string | undefined {
    const own = asString(this.obj(slide)?.qs);
    if (own && this.obj(own)) return own;
    return this.questionKeyBySlide.get(slide);
  }

  /** An image with a real description; `file` when the picture is a file of the package. */
  image(name: string): { alt: string; file: string | null } | null {
    const item = this.obj(name);
    const display = this.display(name);
    const alt = clean(asString(display?.accstr) ?? '');
    if (!isMeaningful(alt) || alt.length < 3) return null;
    // Buttons (they act on click) and alt texts that are only the object's name are not descriptions.
    if (item && (asString(item.oca) ?? '').includes('jumpTo')) return null;
    if (alt === asString(display?.dn) || alt === name || DEFAULT_ACCESSIBLE_NAME.test(alt)) return null;
    if (CHROME_LABEL.test(alt) || /\.(png|jpe?g|gif|svg|bmp)$/i.test(alt)) return null;
    const ip = asString(display?.ip);
    return { alt, file: (ip && findFile(this.view, ip)) ?? null };
  }


  captionCues(entries: DataValue[], offsetSeconds: number): Cue[] {
    const cues: Cue[] = [];
    for (const entry of entries) {
      const cc = asObject(entry);
      if (!cc) continue;
      const texts = asObject(cc.t);
      const html = texts ? Object.values(texts).map((v) => asString(v)).find((v) => !!v) : asString(cc.t);
      const text = richParagraphs(html).join(' ');
      if (!text) continue;
      const start = Math.max(0, ((asNumber(cc.sf) ?? 1) - 1) / this.fps - offsetSeconds);
      const end = Math.max(start, (asNumber(cc.ef) ?? asNumber(cc.sf) ?? 1) / this.fps - offsetSeconds);
      cues.push({ start: Math.round(start * 1000) / 1000, end: Math.round(end * 1000) / 1000, text });
    }
    return cues;
  }

  /** The slide's own audio (`StAd*`): the audio object whose frames start within the slide. */
  slideAudio(slideName: string): { name: string; audio: DataObject } | undefined {
    const slide = this.obj(slideName);
    const from = asNumber(slide?.from);
    const to = asNumber(slide?.to);
    if (from === undefined || to === undefined) return undefined;
    const names = (asString(asObject(this.D.project_main)?.slideAudios) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    for (const name of names) {
      const audio = this.obj(name);
      const start = asNumber(audio?.from);
      if (audio && asString(audio.src) && start !== undefined && start >= from && start <= to) return { name, audio };
    }
    return undefined;
  }
}
