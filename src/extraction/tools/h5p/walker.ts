import { blocksToText } from '../../content/blocks.js';
import { asArray, isObject, num, obj, str, type DataObject, type DataValue } from '../../content/data-values.js';
import { htmlToBlocks } from '../../content/html.js';
import type { Block } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';
import { addMediaHint } from '../media-hints.js';
import { makeQuestion, type QuestionInput } from '../question.js';
import type { MediaHint } from '../tool.js';
import { authoredTitle, TEMPLATED, toText, type Sink } from './params.js';
import { blanks, dragQuestion, dragText, imagePair, imageSequencing, markTheWords, multiChoice, multiMediaChoice, singleChoiceSet, summary, trueFalse } from './questions.js';
import { branchingQuestion, branchingScenario, imageHotspots, imageSequence, interactiveVideo, timeline, virtualTour } from './scenes.js';
import { librariesUsed, LibrarySemantics, walkUnknown } from './semantics.js';

/** Content types read field by field (here and in questions.ts): their semantics are not needed. */
const KNOWN = new Set([
  'H5P.AdvancedText', 'H5P.Text', 'H5P.Table', 'H5P.ContinuousText', 'H5P.Image', 'H5P.Audio', 'H5P.Video', 'H5P.Column',
  'H5P.Accordion', 'H5P.CoursePresentation', 'H5P.InteractiveBook', 'H5P.InteractiveVideo', 'H5P.QuestionSet',
  'H5P.Dialogcards', 'H5P.Flashcards', 'H5P.MultiChoice', 'H5P.MultiMediaChoice', 'H5P.TrueFalse', 'H5P.SingleChoiceSet',
  'H5P.DragText', 'H5P.Blanks', 'H5P.MarkTheWords', 'H5P.Essay', 'H5P.ExportableTextArea', 'H5P.FreeTextQuestion',
  'H5P.OpenEndedQuestion', 'H5P.SimpleMultiChoice', 'H5P.Questionnaire', 'H5P.Summary', 'H5P.DragQuestion', 'H5P.GoToQuestion',
  'H5P.BranchingScenario', 'H5P.BranchingQuestion', 'H5P.ThreeImage', 'H5P.Timeline', 'H5P.Agamotto', 'H5P.ImageHotspots',
  'H5P.Collage', 'H5P.GuessTheAnswer', 'H5P.ImageSequencing', 'H5P.ImagePair',
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

  list(sink: Sink, values: (DataValue | undefined)[]): void {
    const items = values.map((value) => toText(value)).filter(Boolean);
    if (items.length > 0) sink.blocks.push({ type: 'list', ordered: false, items });
  }

  /** Tips the learner may open beside a task, each as a paragraph after it. */
  tips(sink: Sink, values: (DataValue | undefined)[]): void {
    for (const value of values) this.paragraph(sink, value);
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

  tracks(value: DataValue | undefined): string[] {
    const list = Array.isArray(value) ? value : asArray(obj(value).videoTrack);
    return list
      .filter(isObject)
      .map((t) => this.view.resolve(this.contentJson, str(obj(t.track).path)))
      .filter((p): p is string => p !== null);
  }

  /**
   * Feedback by score range: the range reaching 100% when answered right, the others (lowest first)
   * otherwise. Ranges that only show the score (`@score of @total`) say nothing of their own.
   */
  overallFeedback(params: DataObject): { correct: string | null; incorrect: string | null } {
    const ranges = asArray(params.overallFeedback)
      .filter(isObject)
      .map((range) => ({ from: num(range.from) ?? 0, to: num(range.to) ?? 100, text: toText(range.feedback) }))
      .filter((range) => range.text && !TEMPLATED.test(range.text))
      .sort((a, b) => a.from - b.from);
    const top = ranges.find((range) => range.to >= 100) ?? null;
    const below = ranges.filter((range) => range !== top && range.from < 100);
    const incorrect = below.length > 0 ? below.map((range) => range.text).join(' ') : top && top.from <= 0 ? top.text : null;
    return { correct: top?.text ?? null, incorrect };
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
          this.heading(sink, authoredTitle(obj(obj(chapter).metadata).title, obj(obj(chapter).metadata)), 2);
          this.node(chapter, sink);
        }
        return;
      case 'H5P.InteractiveVideo':
        interactiveVideo(this, params, sink);
        return;
      case 'H5P.BranchingScenario':
        branchingScenario(this, params, sink);
        return;
      case 'H5P.BranchingQuestion':
        branchingQuestion(this, params, sink);
        return;
      case 'H5P.ThreeImage':
        virtualTour(this, params, sink);
        return;
      case 'H5P.Timeline':
        timeline(this, params, sink);
        return;
      case 'H5P.Agamotto':
        imageSequence(this, params, sink);
        return;
      case 'H5P.ImageHotspots':
        imageHotspots(this, params, sink);
        return;
      case 'H5P.Collage':
        for (const clip of asArray(obj(params.collage).clips).filter(isObject)) this.image(sink, clip.image, toText(clip.alt));
        return;
      case 'H5P.GuessTheAnswer':
        this.html(sink, params.taskDescription);
        this.taskMedia(params, sink);
        this.paragraph(sink, params.solutionText);
        return;
      case 'H5P.GoToQuestion':
        this.html(sink, params.text);
        this.list(sink, asArray(params.choices).map((choice) => obj(choice).text));
        return;
      case 'H5P.ImageSequencing':
        imageSequencing(this, params, id, sink);
        return;
      case 'H5P.ImagePair':
        imagePair(this, params, id, sink);
        return;
      case 'H5P.QuestionSet': {
        const intro = obj(params.introPage);
        if (intro.showIntroPage !== false) {
          this.heading(sink, intro.title, 3);
          this.html(sink, intro.introduction);
        }
        this.image(null, params.backgroundImage, '');
        const questions = asArray(params.questions);
        for (const q of questions) this.node(q, sink);
        const pass = num(params.passPercentage);
        if (pass !== null && sink.passingScore === null) sink.passingScore = pass;
        // A pool: each attempt draws `poolSize` of the questions.
        const pool = num(params.poolSize);
        if (pool !== null && pool > 0 && pool < questions.length) sink.drawn = pool;
        // The result page: the author's feedback for the score reached.
        const ranges = asArray(obj(params.endGame).overallFeedback).map((range) => obj(range).feedback);
        for (const text of ranges) if (!TEMPLATED.test(toText(text))) this.paragraph(sink, text);
        return;
      }
      case 'H5P.Dialogcards':
        this.heading(sink, params.title, 3);
        this.html(sink, params.description);
        for (const card of asArray(params.dialogs).filter(isObject)) {
          this.html(sink, card.text);
          this.html(sink, card.answer);
          this.image(sink, card.image, toText(card.imageAltText));
          this.tips(sink, [obj(card.tips).front, obj(card.tips).back]);
          for (const audio of asArray(card.audio)) this.addMedia(str(obj(audio).path));
        }
        return;
      case 'H5P.Flashcards':
        this.html(sink, params.description);
        for (const card of asArray(params.cards).filter(isObject)) {
          this.paragraph(sink, card.text);
          this.image(sink, card.image, toText(card.imageAltText));
          this.tips(sink, [card.tip]);
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
}
