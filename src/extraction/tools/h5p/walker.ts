import { blocksToText } from '../../content/blocks.js';
import { asArray, isObject, num, obj, str, type DataObject, type DataValue } from '../../content/data-values.js';
import { htmlToBlocks } from '../../content/html.js';
import type { Block } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';
import { addMediaHint } from '../media-hints.js';
import { makeQuestion, type QuestionInput } from '../question.js';
import type { MediaHint } from '../tool.js';
import { toText, type Sink } from './params.js';
import { blanks, dragQuestion, dragText, markTheWords, multiChoice, multiMediaChoice, singleChoiceSet, summary, trueFalse } from './questions.js';
import { librariesUsed, LibrarySemantics, walkUnknown } from './semantics.js';

/** Content types read field by field (here and in questions.ts): their semantics are not needed. */
const KNOWN = new Set([
  'H5P.AdvancedText', 'H5P.Text', 'H5P.Table', 'H5P.ContinuousText', 'H5P.Image', 'H5P.Audio', 'H5P.Video', 'H5P.Column',
  'H5P.Accordion', 'H5P.CoursePresentation', 'H5P.InteractiveBook', 'H5P.InteractiveVideo', 'H5P.QuestionSet',
  'H5P.Dialogcards', 'H5P.Flashcards', 'H5P.MultiChoice', 'H5P.MultiMediaChoice', 'H5P.TrueFalse', 'H5P.SingleChoiceSet',
  'H5P.DragText', 'H5P.Blanks', 'H5P.MarkTheWords', 'H5P.Essay', 'H5P.ExportableTextArea', 'H5P.FreeTextQuestion',
  'H5P.OpenEndedQuestion', 'H5P.SimpleMultiChoice', 'H5P.Questionnaire', 'H5P.Summary', 'H5P.DragQuestion',
]);

/** Slide elements top to bottom, and left to right within a row. */
function readingOrder(elements: DataObject[]): DataObject[] {
  const sorted = [...elements].sort((a, b) => (num(a.y) ?? 0) - (num(b.y) ?? 0));
  const rows: DataObject[][] = [];
  for (const element of sorted) {
    const row = rows.at(-1);
    const top = row?.[0] ? (num(row[0].y) ?? 0) : null;
    if (row && top !== null && (num(element.y) ?? 0) - top < 3) row.push(element);
    else rows.push([element]);
  }
  return rows.flatMap((row) => row.sort((a, b) => (num(a.x) ?? 0) - (num(b.x) ?? 0)));
}

/** Walks `{library, params}` nodes into sinks, keeping the media they use. */
export class Walker {
  readonly media = new Map<string, MediaHint>();
  private readonly ids = new Set<string>();
  readonly semantics: LibrarySemantics;
  private counter = 0;

  constructor(
    readonly view: PackageView,
    /** The params file, which media paths are relative to. */
    readonly contentJson: string,
  ) {
    this.semantics = new LibrarySemantics(view);
  }

  /** Reads, before the walk (which does not wait for files), the semantics.json of the unknown content types the params use. */
  preloadSemantics(content: DataValue, main: string | null): Promise<void> {
    return this.semantics.load(librariesUsed(content, main).filter((library) => !KNOWN.has(library.split(' ')[0] ?? '')));
  }

  addMedia(reference: string, hint: Omit<MediaHint, 'path'> = {}): string | null {
    if (!reference.trim()) return null;
    const path = this.view.resolve(this.contentJson, reference);
    if (!path) return null;
    addMediaHint(this.media, { ...hint, path });
    return path;
  }

  private uniqueId(base: string | null): string {
    let id = base || `h5p-question-${++this.counter}`;
    for (let n = 2; this.ids.has(id); n++) id = `${base || 'h5p-question'}-${n}`;
    this.ids.add(id);
    return id;
  }

  html(sink: Sink, value: DataValue | undefined): Block[] {
    const raw = str(value);
    if (!raw.trim()) return [];
    const extraction = htmlToBlocks(raw);
    for (const image of extraction.images) this.addMedia(image.src, { altText: image.alt || null });
    const blocks = extraction.blocks.map((b) =>
      b.type === 'image' && b.src ? { ...b, src: this.view.resolve(this.contentJson, b.src) } : b,
    );
    sink.blocks.push(...blocks);
    return blocks;
  }

  paragraph(sink: Sink, value: DataValue | undefined): Block[] {
    const text = toText(value);
    if (!text) return [];
    const block: Block = { type: 'paragraph', text };
    sink.blocks.push(block);
    return [block];
  }

  heading(sink: Sink, value: DataValue | undefined, level: number): void {
    const text = toText(value);
    if (text) sink.blocks.push({ type: 'heading', level, text });
  }

  question(sink: Sink, input: Omit<QuestionInput, 'source' | 'id'> & { id: string | null }): void {
    sink.questions.push(makeQuestion({ ...input, id: this.uniqueId(input.id), source: this.contentJson }));
  }

  /** An image file object ({path, mime}) with the alt text the content gives it. */
  image(sink: Sink | null, file: DataValue | undefined, alt: string, decorative = false): void {
    const path = this.addMedia(str(obj(file).path), { altText: alt || null });
    if (sink && alt && !decorative) sink.blocks.push({ type: 'image', alt, src: path });
  }

  private tracks(value: DataValue | undefined): string[] {
    const list = Array.isArray(value) ? value : asArray(obj(value).videoTrack);
    return list
      .filter(isObject)
      .map((t) => this.view.resolve(this.contentJson, str(obj(t.track).path)))
      .filter((p): p is string => p !== null);
  }

  overallFeedback(params: DataObject): { correct: string | null; incorrect: string | null } {
    let correct: string | null = null;
    let incorrect: string | null = null;
    for (const range of asArray(params.overallFeedback).filter(isObject)) {
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
  node(value: DataValue | undefined, sink: Sink): void {
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

  private library(machine: string, library: string, params: DataObject, id: string | null, node: DataObject, sink: Sink): void {
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
        for (const file of asArray(params.files)) this.addMedia(str(obj(file).path));
        return;
      case 'H5P.Video': {
        const captions = this.tracks(params.a11y);
        for (const file of asArray(params.sources)) this.addMedia(str(obj(file).path), { captions });
        this.image(null, obj(params.visuals).poster, '');
        return;
      }
      case 'H5P.Column':
        for (const entry of asArray(params.content)) this.node(obj(entry).content, sink);
        return;
      case 'H5P.Accordion':
        for (const panel of asArray(params.panels).filter(isObject)) {
          this.heading(sink, panel.title, 3);
          this.node(panel.content, sink);
        }
        return;
      case 'H5P.CoursePresentation':
        for (const slide of asArray(obj(params.presentation).slides)) {
          this.heading(sink, obj(asArray(obj(slide).keywords)[0]).main, 3);
          this.slide(slide, sink);
        }
        return;
      case 'H5P.InteractiveBook':
        this.bookCover(params, sink);
        for (const chapter of asArray(params.chapters)) {
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
        for (const q of asArray(params.questions)) this.node(q, sink);
        const pass = num(params.passPercentage);
        if (pass !== null && sink.passingScore === null) sink.passingScore = pass;
        return;
      }
      case 'H5P.Dialogcards':
        this.heading(sink, params.title, 3);
        this.html(sink, params.description);
        for (const card of asArray(params.dialogs).filter(isObject)) {
          this.html(sink, card.text);
          this.html(sink, card.answer);
          this.image(sink, card.image, toText(card.imageAltText));
          for (const audio of asArray(card.audio)) this.addMedia(str(obj(audio).path));
        }
        return;
      case 'H5P.Flashcards':
        this.html(sink, params.description);
        for (const card of asArray(params.cards).filter(isObject)) {
          this.paragraph(sink, card.text);
          this.image(sink, card.image, toText(card.imageAltText));
          const answer = toText(card.answer);
          if (answer) this.question(sink, { id: null, type: 'fill_in', prompt: str(card.text), correctAnswers: [answer] });
        }
        return;
      case 'H5P.MultiChoice':
        multiChoice(this, params, id, sink);
        return;
      case 'H5P.MultiMediaChoice':
        multiMediaChoice(this, params, id, sink);
        return;
      case 'H5P.TrueFalse':
        trueFalse(this, params, id, sink);
        return;
      case 'H5P.SingleChoiceSet':
        singleChoiceSet(this, params, sink);
        return;
      case 'H5P.DragText':
        dragText(this, params, id, sink);
        return;
      case 'H5P.Blanks':
        blanks(this, params, id, sink);
        return;
      case 'H5P.MarkTheWords':
        markTheWords(this, params, id, sink);
        return;
      case 'H5P.Essay': {
        this.taskMedia(params, sink);
        this.html(sink, params.taskDescription);
        const sample = str(obj(params.solution).sample);
        const keywords = asArray(params.keywords).map((k) => toText(obj(k).keyword)).filter(Boolean);
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
        const alternatives = asArray(params.alternatives).map((a) => toText(obj(a).text)).filter(Boolean);
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
        for (const element of asArray(params.questionnaireElements).filter(isObject)) this.node(element.library, sink);
        return;
      case 'H5P.Summary':
        summary(this, params, id, sink);
        return;
      case 'H5P.DragQuestion':
        dragQuestion(this, params, id, node, sink);
        return;
      case 'H5P.Nil':
      case 'H5P.Shape':
      case 'H5P.TwitterUserFeed':
      case 'H5P.IFrameEmbed':
        return;
      default:
        walkUnknown(this, library, params, sink);
    }
  }

  /** The `media` group question types share (an image, video or audio above the task). */
  taskMedia(params: DataObject, sink: Sink): void {
    const media = obj(params.media);
    if (isObject(media.type)) this.node(media.type, sink);
    else if (str(media.library)) this.node(media, sink);
  }

  slide(value: DataValue | undefined, sink: Sink): void {
    const elements = asArray(obj(value).elements).filter(isObject);
    for (const element of readingOrder(elements)) {
      if (element.action !== undefined) this.node(element.action, sink);
    }
  }

  bookCover(params: DataObject, sink: Sink): void {
    const cover = obj(params.bookCover);
    this.html(sink, cover.coverDescription);
    if (cover.coverMedium !== undefined) this.node(cover.coverMedium, sink);
  }

  private interactiveVideo(params: DataObject, sink: Sink): void {
    const iv = obj(params.interactiveVideo);
    const video = obj(iv.video);
    const start = obj(video.startScreenOptions);
    // "Interactive Video" is the editor's default title, not the author's.
    if (start.hideStartTitle !== true && toText(start.title) !== 'Interactive Video') this.heading(sink, start.title, 2);
    this.html(sink, start.shortStartDescription);
    const captions = this.tracks(video.textTracks);
    for (const file of asArray(video.files)) this.addMedia(str(obj(file).path), { captions });
    const assets = obj(iv.assets);
    const interactions = asArray(assets.interactions)
      .filter(isObject)
      .sort((a, b) => (num(obj(a.duration).from) ?? 0) - (num(obj(b.duration).from) ?? 0));
    for (const interaction of interactions) {
      this.html(sink, interaction.label);
      this.node(interaction.action, sink);
    }
    const summary = obj(iv.summary);
    if (summary.task !== undefined) this.node(summary.task, sink);
  }
}
