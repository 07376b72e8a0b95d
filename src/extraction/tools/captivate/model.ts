import { asArray, asNumber, asObject, asString, isObject, type DataObject, type DataValue } from '../../content/data-values.js';
import { htmlToBlocks } from '../../content/html.js';
import { literalAfter } from '../../content/js-literals.js';
import { hasLetters, normalizeSpace } from '../../content/text.js';
import type { Cue } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';

/*
 * The Captivate model: `cp.D` (or `cp.model.data`) in assets/js/CPM.js, one object literal whose
 * keys name every slide, item, question and audio of the project, read without running the player.
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
  /^(next|back|prev|previous|submit|submit all|continue|clear|skip|retake|retake quiz|review|review quiz|reset|undo|ok|cancel|close|exit|play|pause|replay|rewind|menu|home|restart|<<|>>|<|>|click to continue|click anywhere to continue)$/i;

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

export interface CaptivateModel {
  data: DataObject;
  /** Audio and video files the runtime preloads (its images are sprites in dr/*.json, not files). */
  audios: string[];
  videos: string[];
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
    const responsive = asObject(item?.rpvt);
    if (responsive) {
      for (const entry of Object.values(responsive)) {
        const paragraphs = richParagraphs(asString(asObject(entry)?.vt));
        if (paragraphs.length) return paragraphs;
      }
    }
    const accessible = clean(asString(display?.accstr) ?? '');
    return hasLetters(accessible) ? [accessible] : [];
  }

  itemText(name: string | undefined): string | null {
    if (!name) return null;
    const text = this.itemParagraphs(name).join(' ');
    return text || null;
  }

  slideNames(): string[] {
    const listed = (asString(asObject(this.D.project_main)?.slides) ?? '')
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
    return listed;
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
    if (alt === asString(display?.dn) || alt === name || /^(image|button|btn|shape)[_ ]?\d*$/i.test(alt)) return null;
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
