import { blocksToText, tidyBlocks } from '../content/blocks.js';
import { htmlToBlocks, htmlToText } from '../content/html.js';
import { normalizeSpace } from '../content/text.js';
import type { Block, Question, QuestionType } from '../result/extraction-result.js';
import type { PackageView } from '../source/package-view.js';
import { makeQuestion, type QuestionInput } from './question.js';
import type { AssessmentDraft, MediaHint, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from './tool.js';

/*
 * An H5P package (often wrapped for SCORM by h5p-standalone / Lumi) has `h5p.json` (title,
 * mainLibrary, dependencies) and `content/content.json`, the params of the main library. Params nest
 * other content types as `{library: "H5P.Name 1.2", params, subContentId, metadata}`. Known content
 * types are read field by field; any other is walked generically, guided by the library's
 * semantics.json when the package ships it (fields marked `common` are the player's UI strings).
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
const toText = (value: Json | undefined): string => {
  const raw = str(value);
  return raw.trim() ? htmlToText(raw) : '';
};

interface Layout {
  /** Folder of h5p.json ('' or e.g. 'workspace/'). */
  root: string;
  contentJson: string;
}

function findLayout(view: PackageView): Layout | null {
  let best: Layout | null = null;
  for (const file of view.files()) {
    const m = /^((?:[^/]+\/){0,2})h5p\.json$/.exec(file);
    if (!m) continue;
    const root = m[1] ?? '';
    const contentJson = `${root}content/content.json`;
    if (!view.has(contentJson)) continue;
    if (!best || root.length < best.root.length) best = { root, contentJson };
  }
  return best;
}

interface SemanticField {
  name?: string;
  type?: string;
  widget?: string;
  common?: boolean;
  fields?: SemanticField[];
  field?: SemanticField;
}

/** A block of text with its images, as content types produce them, and the questions they ask. */
interface Sink {
  blocks: Block[];
  questions: Question[];
  /** Blocks added by the last element that produced text (the prompt of a text area below it). */
  lastText: Block[];
  passingScore: number | null;
}

const newSink = (): Sink => ({ blocks: [], questions: [], lastText: [], passingScore: null });

/** Keys of UI strings and settings; never walked for learner text. */
const UI_SUBTREE = /^(l10n|ui|i18n|texts|a11y|behaviou?r|override|metadata|copyright|confirm\w*|uiElements|labels|translations?|localization|buttons?|settings?|scoreBar|endGame|successScreenOptions)$/i;
const UI_KEY =
  /(Label|Button|Text$)|^(aria|a11y|check|submit|retry|tryAgain|show|hide|next|prev|previous|close|cancel|confirm|continue|finish|restart|reset|play|pause|mute|unmute|fullscreen|exit|score|correct|incorrect|wrong|missed|solution|progress|round|cards?Left|slide|current|total|loading|no[A-Z]|error|placeholder|contentName|expandImage|minimizeImage|audioNotSupported|empty|contains|dropZoneIndex|grabbed|cancelled|feedbackHeader|resetDrop|tip$)/;
/** Keys of authored text in params; answers are left out (a crossword's solutions are not read before solving). */
const CONTENT_KEY =
  /^(text|title|question|description|introduction|intro|taskDescription|header|headline|heading|caption|summary|statement|body|subtitle|content|clue|notes?)$|.(Title|Subtitle|Description|Question|Heading|Header|Headline|Introduction|Caption)$/;
const TITLE_KEY = /^(title|header|heading|headline)$|.(Title|Header|Heading|Headline)$/;
const HTML_MARKUP = /<(p|h[1-6]|ul|ol|li|div|strong|em|b|i|u|span|br|table|blockquote|a)\b/i;
/** Texts H5P fills in at run time: `@score`, `:num`, `%current`. */
const TEMPLATED = /(^|\s)[@%]\w+|:num\b|:total\b/;

class Walker {
  readonly media = new Map<string, MediaHint>();
  private readonly ids = new Set<string>();
  private readonly semantics = new Map<string, string>();
  private readonly semanticsCache = new Map<string, SemanticField[] | null>();
  private counter = 0;

  constructor(
    readonly view: PackageView,
    readonly layout: Layout,
  ) {
    for (const file of view.files()) {
      const m = /(?:^|\/)([A-Za-z0-9._]+)-(\d+)\.(\d+)\/semantics\.json$/.exec(file);
      if (m) this.semantics.set(`${m[1]} ${m[2]}.${m[3]}`, file);
    }
  }

  private addMedia(reference: string, hint: Omit<MediaHint, 'path'> = {}): string | null {
    if (!reference.trim()) return null;
    const path = this.view.resolve(this.layout.contentJson, reference);
    if (!path) return null;
    const existing = this.media.get(path) ?? { path };
    if (hint.altText && !existing.altText) existing.altText = hint.altText;
    if (hint.captions?.length) existing.captions = [...new Set([...(existing.captions ?? []), ...hint.captions])];
    this.media.set(path, existing);
    return path;
  }

  private uniqueId(base: string | null): string {
    let id = base || `h5p-question-${++this.counter}`;
    for (let n = 2; this.ids.has(id); n++) id = `${base || 'h5p-question'}-${n}`;
    this.ids.add(id);
    return id;
  }

  private html(sink: Sink, value: Json | undefined): Block[] {
    const raw = str(value);
    if (!raw.trim()) return [];
    const extraction = htmlToBlocks(raw);
    for (const image of extraction.images) this.addMedia(image.src, { altText: image.alt || null });
    const blocks = extraction.blocks.map((b) =>
      b.type === 'image' && b.src ? { ...b, src: this.view.resolve(this.layout.contentJson, b.src) } : b,
    );
    sink.blocks.push(...blocks);
    return blocks;
  }

  private paragraph(sink: Sink, value: Json | undefined): Block[] {
    const text = toText(value);
    if (!text) return [];
    const block: Block = { type: 'paragraph', text };
    sink.blocks.push(block);
    return [block];
  }

  private heading(sink: Sink, value: Json | undefined, level: number): void {
    const text = toText(value);
    if (text) sink.blocks.push({ type: 'heading', level, text });
  }

  private question(sink: Sink, input: Omit<QuestionInput, 'source' | 'id'> & { id: string | null }): void {
    sink.questions.push(makeQuestion({ ...input, id: this.uniqueId(input.id), source: this.layout.contentJson }));
  }

  /** An image file object ({path, mime}) with the alt text the content gives it. */
  private image(sink: Sink | null, file: Json | undefined, alt: string, decorative = false): void {
    const path = this.addMedia(str(obj(file).path), { altText: alt || null });
    if (sink && alt && !decorative) sink.blocks.push({ type: 'image', alt, src: path });
  }

  private tracks(value: Json | undefined): string[] {
    const list = Array.isArray(value) ? value : arr(obj(value).videoTrack);
    return list
      .filter(isObj)
      .map((t) => this.view.resolve(this.layout.contentJson, str(obj(t.track).path)))
      .filter((p): p is string => p !== null);
  }

  private overallFeedback(params: Obj): { correct: string | null; incorrect: string | null } {
    let correct: string | null = null;
    let incorrect: string | null = null;
    for (const range of arr(params.overallFeedback).filter(isObj)) {
      const text = str(range.feedback);
      if (!text.trim()) continue;
      const from = num(range.from) ?? 0;
      const to = num(range.to) ?? 100;
      if (to >= 100 && correct === null) correct = text;
      if (from <= 0 && incorrect === null) incorrect = text;
    }
    return { correct, incorrect };
  }

  /** Walks one `{library, params}` node into `sink`. */
  node(value: Json | undefined, sink: Sink): void {
    const node = obj(value);
    const library = str(node.library);
    const params = obj(node.params);
    if (!library) return;
    const machine = library.split(' ')[0] ?? '';
    const id = str(node.subContentId) || null;
    const before = sink.blocks.length;
    this.library(machine, library, params, id, node, sink);
    const added = sink.blocks.slice(before);
    if (added.length > 0) sink.lastText = added;
  }

  private library(machine: string, library: string, params: Obj, id: string | null, node: Obj, sink: Sink): void {
    switch (machine) {
      case 'H5P.AdvancedText':
      case 'H5P.Text':
      case 'H5P.Table':
      case 'H5P.ContinuousText':
        this.html(sink, params.text);
        return;
      case 'H5P.Image':
        this.image(sink, params.file, toText(params.alt), params.decorative === true);
        return;
      case 'H5P.Audio':
        for (const file of arr(params.files)) this.addMedia(str(obj(file).path));
        return;
      case 'H5P.Video': {
        const captions = this.tracks(params.a11y);
        for (const file of arr(params.sources)) this.addMedia(str(obj(file).path), { captions });
        this.image(null, obj(params.visuals).poster, '');
        return;
      }
      case 'H5P.Column':
        for (const entry of arr(params.content)) this.node(obj(entry).content, sink);
        return;
      case 'H5P.Accordion':
        for (const panel of arr(params.panels).filter(isObj)) {
          this.heading(sink, panel.title, 3);
          this.node(panel.content, sink);
        }
        return;
      case 'H5P.CoursePresentation':
        for (const slide of arr(obj(params.presentation).slides)) {
          this.heading(sink, obj(arr(obj(slide).keywords)[0]).main, 3);
          this.slide(slide, sink);
        }
        return;
      case 'H5P.InteractiveBook':
        this.bookCover(params, sink);
        for (const chapter of arr(params.chapters)) {
          this.heading(sink, obj(obj(chapter).metadata).title, 2);
          this.node(chapter, sink);
        }
        return;
      case 'H5P.InteractiveVideo':
        this.interactiveVideo(params, sink);
        return;
      case 'H5P.QuestionSet': {
        const intro = obj(params.introPage);
        if (intro.showIntroPage !== false) {
          this.heading(sink, intro.title, 3);
          this.html(sink, intro.introduction);
        }
        this.image(null, params.backgroundImage, '');
        for (const q of arr(params.questions)) this.node(q, sink);
        const pass = num(params.passPercentage);
        if (pass !== null && sink.passingScore === null) sink.passingScore = pass;
        return;
      }
      case 'H5P.Dialogcards':
        this.heading(sink, params.title, 3);
        this.html(sink, params.description);
        for (const card of arr(params.dialogs).filter(isObj)) {
          this.html(sink, card.text);
          this.html(sink, card.answer);
          this.image(sink, card.image, toText(card.imageAltText));
          for (const audio of arr(card.audio)) this.addMedia(str(obj(audio).path));
        }
        return;
      case 'H5P.Flashcards':
        this.html(sink, params.description);
        for (const card of arr(params.cards).filter(isObj)) {
          this.paragraph(sink, card.text);
          this.image(sink, card.image, toText(card.imageAltText));
          const answer = toText(card.answer);
          if (answer) this.question(sink, { id: null, type: 'fill_in', prompt: str(card.text), correctAnswers: [answer] });
        }
        return;
      case 'H5P.MultiChoice':
        this.multiChoice(params, id, sink);
        return;
      case 'H5P.MultiMediaChoice':
        this.multiMediaChoice(params, id, sink);
        return;
      case 'H5P.TrueFalse':
        this.trueFalse(params, id, sink);
        return;
      case 'H5P.SingleChoiceSet':
        this.singleChoiceSet(params, sink);
        return;
      case 'H5P.DragText':
        this.dragText(params, id, sink);
        return;
      case 'H5P.Blanks':
        this.blanks(params, id, sink);
        return;
      case 'H5P.MarkTheWords':
        this.markTheWords(params, id, sink);
        return;
      case 'H5P.Essay': {
        this.taskMedia(params, sink);
        this.html(sink, params.taskDescription);
        const sample = str(obj(params.solution).sample);
        const keywords = arr(params.keywords).map((k) => toText(obj(k).keyword)).filter(Boolean);
        this.question(sink, { id, type: 'essay', prompt: str(params.taskDescription), correctAnswers: sample ? [sample] : keywords });
        return;
      }
      case 'H5P.ExportableTextArea':
      case 'H5P.FreeTextQuestion':
      case 'H5P.OpenEndedQuestion': {
        const label = str(params.label) || str(params.question) || str(params.text);
        const prompt = label || blocksToText(sink.lastText);
        if (label) this.html(sink, label);
        this.question(sink, { id, type: 'essay', prompt });
        return;
      }
      case 'H5P.SimpleMultiChoice': {
        this.html(sink, params.question);
        const alternatives = arr(params.alternatives).map((a) => toText(obj(a).text)).filter(Boolean);
        if (alternatives.length > 0) sink.blocks.push({ type: 'list', ordered: false, items: alternatives });
        this.question(sink, {
          id,
          type: str(params.inputType) === 'checkbox' ? 'multiple_response' : 'choice',
          prompt: str(params.question),
          choices: alternatives.map((text) => ({ text, correct: null })),
        });
        return;
      }
      case 'H5P.Questionnaire':
        for (const element of arr(params.questionnaireElements).filter(isObj)) this.node(element.library, sink);
        return;
      case 'H5P.Summary':
        this.summary(params, id, sink);
        return;
      case 'H5P.DragQuestion':
        this.dragQuestion(params, id, node, sink);
        return;
      case 'H5P.Nil':
      case 'H5P.Shape':
      case 'H5P.TwitterUserFeed':
      case 'H5P.IFrameEmbed':
        return;
      default:
        this.generic(library, params, sink);
    }
  }

  /** The `media` group question types share (an image, video or audio above the task). */
  private taskMedia(params: Obj, sink: Sink): void {
    const media = obj(params.media);
    if (isObj(media.type)) this.node(media.type, sink);
    else if (str(media.library)) this.node(media, sink);
  }

  slide(value: Json | undefined, sink: Sink): void {
    const elements = arr(obj(value).elements).filter(isObj);
    for (const element of readingOrder(elements)) {
      if (element.action !== undefined) this.node(element.action, sink);
    }
  }

  bookCover(params: Obj, sink: Sink): void {
    const cover = obj(params.bookCover);
    this.html(sink, cover.coverDescription);
    if (cover.coverMedium !== undefined) this.node(cover.coverMedium, sink);
  }

  private interactiveVideo(params: Obj, sink: Sink): void {
    const iv = obj(params.interactiveVideo);
    const video = obj(iv.video);
    const start = obj(video.startScreenOptions);
    // "Interactive Video" is the editor's default title, not the author's.
    if (start.hideStartTitle !== true && toText(start.title) !== 'Interactive Video') this.heading(sink, start.title, 2);
    this.html(sink, start.shortStartDescription);
    const captions = this.tracks(video.textTracks);
    for (const file of arr(video.files)) this.addMedia(str(obj(file).path), { captions });
    const assets = obj(iv.assets);
    const interactions = arr(assets.interactions)
      .filter(isObj)
      .sort((a, b) => (num(obj(a.duration).from) ?? 0) - (num(obj(b.duration).from) ?? 0));
    for (const interaction of interactions) {
      this.html(sink, interaction.label);
      this.node(interaction.action, sink);
    }
    const summary = obj(iv.summary);
    if (summary.task !== undefined) this.node(summary.task, sink);
  }

  private multiChoice(params: Obj, id: string | null, sink: Sink): void {
    this.taskMedia(params, sink);
    this.html(sink, params.question);
    const answers = arr(params.answers).filter(isObj);
    const choices = answers.map((a) => {
      const tips = obj(a.tipsAndFeedback);
      return { text: str(a.text), correct: a.correct === true, feedback: str(tips.chosenFeedback) || null };
    });
    const texts = choices.map((c) => toText(c.text)).filter(Boolean);
    if (texts.length > 0) sink.blocks.push({ type: 'list', ordered: false, items: texts });
    const behaviour = obj(params.behaviour);
    const mode = str(behaviour.type);
    const correct = choices.filter((c) => c.correct).length;
    const type: QuestionType =
      mode === 'single' ? 'choice' : mode === 'multi' ? 'multiple_response' : behaviour.singleAnswer === false || correct > 1 ? 'multiple_response' : 'choice';
    this.question(sink, { id, type, prompt: str(params.question), choices, feedback: this.overallFeedback(params) });
  }

  private multiMediaChoice(params: Obj, id: string | null, sink: Sink): void {
    this.html(sink, params.question);
    const choices = arr(params.options)
      .filter(isObj)
      .map((option, index) => {
        const media = obj(option.media);
        const mediaParams = obj(media.params);
        const alt = toText(mediaParams.alt);
        this.image(null, mediaParams.file, alt);
        const tips = obj(option.tipsAndFeedback);
        return { text: alt || `Image ${index + 1}`, correct: option.correct === true, feedback: str(tips.chosenFeedback) || null };
      });
    const correct = choices.filter((c) => c.correct).length;
    this.question(sink, { id, type: correct > 1 ? 'multiple_response' : 'choice', prompt: str(params.question), choices, feedback: this.overallFeedback(params) });
  }

  private trueFalse(params: Obj, id: string | null, sink: Sink): void {
    this.taskMedia(params, sink);
    this.html(sink, params.question);
    const l10n = obj(params.l10n);
    const isTrue = String(params.correct) === 'true';
    const behaviour = obj(params.behaviour);
    this.question(sink, {
      id,
      type: 'true_false',
      prompt: str(params.question),
      choices: [
        { text: toText(l10n.trueText) || 'True', correct: isTrue },
        { text: toText(l10n.falseText) || 'False', correct: !isTrue },
      ],
      feedback: { correct: str(behaviour.feedbackOnCorrect) || null, incorrect: str(behaviour.feedbackOnWrong) || null },
    });
  }

  private singleChoiceSet(params: Obj, sink: Sink): void {
    const feedback = this.overallFeedback(params);
    for (const choice of arr(params.choices).filter(isObj)) {
      this.html(sink, choice.question);
      const answers = arr(choice.answers).map((a) => str(a));
      const texts = answers.map((a) => toText(a)).filter(Boolean);
      if (texts.length > 0) sink.blocks.push({ type: 'list', ordered: false, items: texts });
      // SingleChoiceSet keeps the correct answer first; the player shuffles them.
      this.question(sink, {
        id: str(choice.subContentId) || null,
        type: 'choice',
        prompt: str(choice.question),
        choices: answers.map((text, index) => ({ text, correct: index === 0 })),
        feedback,
      });
    }
    const pass = num(obj(params.behaviour).passPercentage);
    if (pass !== null && sink.passingScore === null) sink.passingScore = pass;
  }

  private dragText(params: Obj, id: string | null, sink: Sink): void {
    this.taskMedia(params, sink);
    this.html(sink, params.taskDescription);
    const { lines, answers } = parseStarred(str(params.textField), 'drag');
    for (const line of lines) sink.blocks.push({ type: 'paragraph', text: line });
    const distractors = parseStarred(str(params.distractors), 'drag').answers.flat();
    const correct = answers.map((a) => a[0] ?? '').filter(Boolean);
    this.question(sink, {
      id,
      type: 'drag_drop',
      prompt: [toText(params.taskDescription), ...lines].filter(Boolean).join('\n'),
      choices: [...correct.map((text) => ({ text, correct: true })), ...distractors.map((text) => ({ text, correct: false }))],
      correctAnswers: correct,
      feedback: this.overallFeedback(params),
    });
  }

  private blanks(params: Obj, id: string | null, sink: Sink): void {
    this.taskMedia(params, sink);
    this.html(sink, params.text);
    const answers: string[][] = [];
    const lines: string[] = [];
    for (const question of arr(params.questions)) {
      const parsed = parseStarred(str(question), 'blanks');
      answers.push(...parsed.answers);
      // Questions are HTML: keep their structure, blanks shown as a line.
      const blocks = htmlToBlocks(blankOut(str(question))).blocks;
      sink.blocks.push(...blocks);
      lines.push(blocksToText(blocks));
    }
    this.question(sink, {
      id,
      type: 'fill_in',
      prompt: [toText(params.text), ...lines].filter(Boolean).join('\n'),
      correctAnswers: answers.length === 1 ? (answers[0] ?? []) : answers.map((a) => a.join(' / ')),
      feedback: this.overallFeedback(params),
    });
  }

  private markTheWords(params: Obj, id: string | null, sink: Sink): void {
    this.taskMedia(params, sink);
    this.html(sink, params.taskDescription);
    const raw = str(params.textField);
    const words = [...raw.matchAll(/\*([^*]+)\*/g)].map((m) => htmlToText(m[1] ?? '')).filter(Boolean);
    this.html(sink, raw.replace(/\*([^*]+)\*/g, '$1'));
    this.question(sink, { id, type: 'other', prompt: str(params.taskDescription), correctAnswers: words, feedback: this.overallFeedback(params) });
  }

  private summary(params: Obj, id: string | null, sink: Sink): void {
    const sets = arr(params.summaries)
      .filter(isObj)
      .filter((set) => arr(set.summary).some((s) => toText(s)));
    // An Interactive Video carries an empty summary task by default: nothing to read then.
    if (sets.length === 0) return;
    this.html(sink, params.intro);
    for (const [index, set] of sets.entries()) {
      const statements = arr(set.summary).map((s) => str(s));
      const texts = statements.map((s) => toText(s)).filter(Boolean);
      if (texts.length > 0) sink.blocks.push({ type: 'list', ordered: false, items: texts });
      // Like SingleChoiceSet, the first statement of each set is the correct one.
      this.question(sink, {
        id: id ? `${id}-${index + 1}` : null,
        type: 'choice',
        prompt: str(params.intro),
        choices: statements.map((text, i) => ({ text, correct: i === 0 })),
      });
    }
  }

  private dragQuestion(params: Obj, id: string | null, node: Obj, sink: Sink): void {
    const task = obj(obj(params.question).task);
    const elements = arr(task.elements).filter(isObj);
    const labels: string[] = [];
    for (const element of elements) {
      const inner = newSink();
      this.node(element.type, inner);
      sink.blocks.push(...inner.blocks);
      const type = obj(element.type);
      labels.push(blocksToText(inner.blocks) || toText(obj(type.params).alt) || toText(obj(type.metadata).title));
    }
    const matches: { source: string; target: string }[] = [];
    const zones: string[] = [];
    for (const zone of arr(task.dropZones).filter(isObj)) {
      const label = toText(zone.label);
      if (label) zones.push(label);
      for (const index of arr(zone.correctElements)) {
        const source = labels[Number(index)];
        if (source && label) matches.push({ source, target: label });
      }
    }
    if (zones.length > 0) sink.blocks.push({ type: 'list', ordered: false, items: zones });
    const title = toText(obj(node.metadata).title);
    this.question(sink, {
      id,
      type: 'drag_drop',
      prompt: title && !/^untitled\b/i.test(title) ? title : '',
      choices: labels.filter(Boolean).map((text) => ({ text, correct: null })),
      matches,
      correctAnswers: matches.map((m) => `${m.source} → ${m.target}`),
      feedback: this.overallFeedback(params),
    });
  }

  /** An unknown content type: its semantics when shipped, otherwise the shape of its params. */
  private generic(library: string, params: Obj, sink: Sink): void {
    const fields = this.loadSemantics(library);
    if (fields) this.bySemantics(fields, params, sink);
    else this.byShape(params, '', sink);
  }

  /** Filled by preloadSemantics(); a library without the file is walked by shape. */
  private loadSemantics(library: string): SemanticField[] | null {
    return this.semanticsCache.get(library) ?? null;
  }

  async preloadSemantics(content: Json, main: string | null): Promise<void> {
    const libraries = new Set<string>(main ? [main] : []);
    const collect = (value: Json | undefined) => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (isObj(value)) {
        if (typeof value.library === 'string' && isObj(value.params)) libraries.add(value.library);
        Object.values(value).forEach(collect);
      }
    };
    collect(content);
    for (const library of libraries) {
      const file = this.semantics.get(library);
      if (!file || KNOWN.has(library.split(' ')[0] ?? '')) continue;
      const parsed = await this.view.json<Json>(file);
      this.semanticsCache.set(library, Array.isArray(parsed) ? (parsed.filter(isObj) as SemanticField[]) : null);
    }
  }

  private bySemantics(fields: SemanticField[], value: Obj, sink: Sink): void {
    const alt = altOf(value);
    for (const field of titleFirst(fields, (f) => f.name ?? '')) {
      const name = field.name ?? '';
      if (field.common || UI_SUBTREE.test(name) || ALT_KEY.test(name)) continue;
      if (field.type === 'image') this.image(sink, value[name], alt);
      else this.bySemanticField(field, value[name], sink);
    }
  }

  private bySemanticField(field: SemanticField, value: Json | undefined, sink: Sink): void {
    if (value === undefined || value === null) return;
    const name = field.name ?? '';
    switch (field.type) {
      case 'text':
        if (field.widget === 'html') this.html(sink, value);
        else this.text(sink, name, value);
        return;
      case 'group': {
        const children = field.fields ?? [];
        // H5P stores a group of one field as that field's value.
        if (children.length === 1 && children[0]) this.bySemanticField({ ...children[0], name }, value, sink);
        else this.bySemantics(children, obj(value), sink);
        return;
      }
      case 'list':
        if (field.field) for (const entry of arr(value)) this.bySemanticField({ ...field.field, name: field.field.name ?? name }, entry, sink);
        return;
      case 'library':
        this.node(value, sink);
        return;
      case 'image':
        this.image(sink, value, '');
        return;
      case 'video':
      case 'audio':
      case 'file':
        for (const file of Array.isArray(value) ? value : [value]) this.addMedia(str(obj(file).path));
        return;
      default:
        return;
    }
  }

  /** A string of params that is not known to be HTML: markup, a title, authored prose, or a UI string. */
  private text(sink: Sink, key: string, value: Json | undefined): void {
    const raw = str(value);
    if (!raw.trim() || UI_KEY.test(key) || TEMPLATED.test(raw)) return;
    if (HTML_MARKUP.test(raw)) this.html(sink, raw);
    else if (TITLE_KEY.test(key)) this.heading(sink, raw, 3);
    else if (CONTENT_KEY.test(key)) this.paragraph(sink, raw);
  }

  private byShape(value: Json | undefined, key: string, sink: Sink): void {
    if (typeof value === 'string') {
      this.text(sink, key, value);
      return;
    }
    if (Array.isArray(value)) {
      for (const entry of value) this.byShape(entry, key, sink);
      return;
    }
    if (!isObj(value)) return;
    if (typeof value.library === 'string' && isObj(value.params)) {
      this.node(value, sink);
      return;
    }
    if (typeof value.path === 'string') {
      const mime = str(value.mime);
      if (mime.startsWith('image/') || /\.(png|jpe?g|gif|svg|webp)$/i.test(value.path)) this.image(sink, value, toText(value.alt));
      else this.addMedia(value.path);
      return;
    }
    const alt = altOf(value);
    for (const [childKey, child] of titleFirst(Object.entries(value), ([k]) => k)) {
      if (UI_SUBTREE.test(childKey) || ALT_KEY.test(childKey) || childKey === 'subContentId') continue;
      if (isObj(child) && typeof child.path === 'string' && alt) this.image(sink, child, alt);
      else this.byShape(child, childKey, sink);
    }
  }
}

/** Alt text sits beside the file it describes: `alt`, `imageAlt`, `backgroundImageAltText`... */
const ALT_KEY = /^alt$|Alt(Text)?$|^altText$/;
const altOf = (value: Obj): string =>
  Object.entries(value)
    .filter(([k, v]) => ALT_KEY.test(k) && typeof v === 'string')
    .map(([, v]) => toText(v))
    .find(Boolean) ?? '';

/** Titles before what they title (semantics often list a hotspot's header after its content). */
function titleFirst<T>(entries: T[], key: (entry: T) => string): T[] {
  return [...entries.filter((e) => TITLE_KEY.test(key(e))), ...entries.filter((e) => !TITLE_KEY.test(key(e)))];
}

const KNOWN = new Set([
  'H5P.AdvancedText', 'H5P.Text', 'H5P.Table', 'H5P.ContinuousText', 'H5P.Image', 'H5P.Audio', 'H5P.Video', 'H5P.Column',
  'H5P.Accordion', 'H5P.CoursePresentation', 'H5P.InteractiveBook', 'H5P.InteractiveVideo', 'H5P.QuestionSet',
  'H5P.Dialogcards', 'H5P.Flashcards', 'H5P.MultiChoice', 'H5P.MultiMediaChoice', 'H5P.TrueFalse', 'H5P.SingleChoiceSet',
  'H5P.DragText', 'H5P.Blanks', 'H5P.MarkTheWords', 'H5P.Essay', 'H5P.ExportableTextArea', 'H5P.FreeTextQuestion',
  'H5P.OpenEndedQuestion', 'H5P.SimpleMultiChoice', 'H5P.Questionnaire', 'H5P.Summary', 'H5P.DragQuestion',
]);

/** Slide elements top to bottom, and left to right within a row. */
function readingOrder(elements: Obj[]): Obj[] {
  const sorted = [...elements].sort((a, b) => (num(a.y) ?? 0) - (num(b.y) ?? 0));
  const rows: Obj[][] = [];
  for (const element of sorted) {
    const row = rows.at(-1);
    const top = row?.[0] ? (num(row[0].y) ?? 0) : null;
    if (row && top !== null && (num(element.y) ?? 0) - top < 3) row.push(element);
    else rows.push([element]);
  }
  return rows.flatMap((row) => row.sort((a, b) => (num(a.x) ?? 0) - (num(b.x) ?? 0)));
}

/**
 * `*answer*` markup of DragText and Blanks: the text with each gap as a line, and the accepted
 * answers of each gap. A gap may carry a tip after `:` and feedback after `\+` / `\-`; Blanks
 * separates alternative answers with `/`.
 */
function parseStarred(text: string, mode: 'drag' | 'blanks'): { lines: string[]; answers: string[][] } {
  const answers: string[][] = [];
  for (const match of text.matchAll(/\*([^*]+)\*/g)) {
    const inner = (match[1] ?? '').split(/\\[+-]/)[0] ?? '';
    const answer = inner.split(':')[0] ?? '';
    const accepted = (mode === 'blanks' ? answer.split('/') : [answer]).map((a) => htmlToText(a)).filter(Boolean);
    if (accepted.length > 0) answers.push(accepted);
  }
  const lines = blankOut(text)
    .split(/\r?\n/)
    .map((line) => normalizeSpace(htmlToText(line)))
    .filter(Boolean);
  return { lines, answers };
}

const blankOut = (text: string): string => text.replace(/\*([^*]+)\*/g, '_____');

export const h5p: ToolDecoder = {
  name: 'H5P',

  async detect(view: PackageView): Promise<ToolDetection | null> {
    const layout = findLayout(view);
    if (!layout) return null;
    const meta = obj(await view.json<Json>(`${layout.root}h5p.json`));
    return { version: mainLibrary(meta) };
  },

  async extract(view: PackageView): Promise<ToolOutput> {
    const layout = findLayout(view);
    const empty: ToolOutput = { pages: [], assessments: [], media: [] };
    if (!layout) return empty;
    const meta = obj(await view.json<Json>(`${layout.root}h5p.json`));
    const content = await view.json<Json>(layout.contentJson);
    if (!isObj(content)) return empty;
    const main = str(meta.mainLibrary);
    const title = toText(meta.title) || null;
    const walker = new Walker(view, layout);
    await walker.preloadSemantics(content, libraryWithVersion(meta));
    const itemId = view.items.length === 1 ? (view.items[0]?.identifier ?? null) : null;

    const drafts: { title: string | null; kind: PageDraft['kind']; sink: Sink }[] = [];
    if (main === 'H5P.CoursePresentation') {
      for (const slide of arr(obj(content.presentation).slides).filter(isObj)) {
        const sink = newSink();
        walker.slide(slide, sink);
        const keyword = toText(obj(arr(slide.keywords)[0]).main);
        const heading = sink.blocks.find((b) => b.type === 'heading');
        drafts.push({ title: keyword || (heading?.type === 'heading' ? heading.text : null), kind: 'slide', sink });
      }
    } else if (main === 'H5P.InteractiveBook') {
      const cover = newSink();
      walker.bookCover(content, cover);
      for (const [index, chapter] of arr(content.chapters).entries()) {
        const sink = index === 0 ? cover : newSink();
        walker.node(chapter, sink);
        drafts.push({ title: toText(obj(obj(chapter).metadata).title) || null, kind: 'page', sink });
      }
    } else {
      const sink = newSink();
      walker.node({ library: libraryWithVersion(meta) ?? main, params: content }, sink);
      drafts.push({ title, kind: 'page', sink });
    }

    const pages: PageDraft[] = [];
    const assessments: AssessmentDraft[] = [];
    for (const draft of drafts) {
      const pageIndex = pages.length;
      pages.push({ title: draft.title, kind: draft.kind, source: layout.contentJson, itemId, blocks: tidyBlocks(draft.sink.blocks) });
      if (draft.sink.questions.length > 0) {
        assessments.push({
          title: draft.title ?? title,
          source: layout.contentJson,
          itemId,
          pageIndex,
          passingScore: draft.sink.passingScore,
          questions: draft.sink.questions,
        });
      }
    }
    const language = [str(meta.language), str(meta.defaultLanguage)].find((l) => l && l !== 'und') ?? null;
    return { title, language, pages, assessments, media: [...walker.media.values()] };
  },
};

function libraryWithVersion(meta: Obj): string | null {
  const main = str(meta.mainLibrary);
  if (!main) return null;
  const dependency = arr(meta.preloadedDependencies)
    .filter(isObj)
    .find((d) => str(d.machineName) === main);
  if (!dependency) return main;
  return `${main} ${String(dependency.majorVersion ?? '')}.${String(dependency.minorVersion ?? '')}`;
}

/** "H5P.CoursePresentation 1.25": the content type that makes the package, with its version. */
function mainLibrary(meta: Obj): string | null {
  return libraryWithVersion(meta);
}
