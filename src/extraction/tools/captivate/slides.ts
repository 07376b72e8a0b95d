import path from 'node:path/posix';
import { tidyBlocks } from '../../content/blocks.js';
import { asArray, asNumber, asObject, asString, type DataObject } from '../../content/data-values.js';
import { cleanText, isPlaceholderText } from '../../content/text.js';
import type { Block } from '../../result/extraction-result.js';
import type { PageDraft } from '../tool.js';
import { CHROME_LABEL, richParagraphs, T, withoutDefaultInstruction, type ModelReader } from './model.js';
import { questionBlocks, questionPrompt } from './questions.js';

/** Buttons, fields, result labels and areas: player chrome, never course text. */
const CHROME_TYPES = new Set<number>([
  T.clickBox, T.textEntryBox, T.textEntryButton, T.questionClear, T.questionBack, T.progress, T.review,
  T.scoringReview, T.scoringResult, T.scoringResultItem, T.scorableButton, T.undo, T.reset, T.ddSubmit,
  T.fillBlankField, T.answerLabel, T.shortAnswer, T.matchingEntry, T.scoringContinue, T.answerArea,
  T.matchingQuestionArea, T.matchingAnswerArea, T.submitAll, T.reviewNext, T.reviewBack, T.questionSubmit, T.matchingColumnHeader,
]);
/** Feedback of a question: kept in the question, not repeated on its slide. */
const QUESTION_FEEDBACK_TYPES = new Set<number>([
  T.successCaption, T.failureCaption, T.hintCaption, T.retryFeedback, T.incompleteFeedback, T.timeoutFeedback,
  T.successShape, T.failureShape, T.hintShape, T.stageCorrect, T.stageIncorrect, T.partialFeedback,
  T.correctShape, T.incorrectShape, T.retryShape, T.incompleteShape, T.answerFeedbackShape, T.timeoutShape,
]);
/** Parts of a question slide rendered from the question itself. */
const QUESTION_PART_TYPES = new Set<number>([
  T.answer, T.answerMulti, T.answerSingle, T.sequenceAnswer, T.matchingAnswer, T.matchingQuestion, T.fillBlankCaption, T.likertQuestion,
]);

const MAX_TITLE_LENGTH = 80;
/** Labels Captivate gives new slides ("Blank 1", "Result 1"): no title. */
const DEFAULT_SLIDE_LABEL = /^(blank|result|slide|question)\s*\d*$/i;

/**
 * Captivate 12 items shown by their tag: the player's and the quiz's buttons (`slide-buttons-next-button`,
 * `slide-item-submit-button`) and the results slide's labels and scores are chrome. The buttons an
 * author places (`slide-item-buttons0`, `slide-item-button`) and the tabs of a tabs widget show the
 * author's words, and so do a results slide's heading and its pass and fail captions.
 */
const isChromeTag = (type: number, tag: string) =>
  !/^(tab-button|slide-item-buttons?\d*$|slide-item-result-(heading|caption)$)/.test(tag) &&
  (type === BUTTON || /progress-indicator|-button\d*$|^slide-buttons-|^slide-item-result-|(score|count|accuracy)-(label|variable)$/.test(tag));
const BUTTON = 29;
/** Captivate 12 question slide parts: its prompt, its answers, and its feedback captions. */
const QUESTION_TEXT_TAG = /^slide-item-question-text$/;
const ANSWER_TAG = /^slide-item-answer/;
const FEEDBACK_TAG = /^slide-item-question-(review-)?caption$/;
const RESULT_CAPTION_TAG = /^slide-item-result-caption$/;
/**
 * Score and progress templates (`Question @#{101} / @#{102}`), a variable shown alone, placeholders
 * (`<Caption goes here>`), the filler text of new widgets ("Lorem ipsum...") and the headings of
 * Captivate 12 templates the author left unfilled ("HEADING 02", "Subheading", "Title goes here", a
 * new button's "Button").
 */
const TEMPLATE_TEXT =
  /@#\{\d+\}|^\[[\w.]+\]$|^<[^<>]*>$|^(lorem ipsum|sed ut perspiciatis|at vero eos et accusamus)\b|^(heading|sub-?heading|title|sub-?title|header|caption|body text|text|button)( \d+)?[.:]?$/i;

/** The slide's label, else the text of its master slide's title placeholder (`Title_AutoShape_N`). */
function slideTitle(reader: ModelReader, slide: DataObject): string | null {
  const label = cleanText(asString(slide.lb) ?? '');
  if (label && !DEFAULT_SLIDE_LABEL.test(label)) return label;
  for (const entry of asArray(slide.si)) {
    const name = asString(asObject(entry)?.n) ?? '';
    const text = /^Title_AutoShape/i.test(name) ? reader.itemParagraphs(name)[0] : undefined;
    // Authors also fill the placeholder with a sentence of body text: that is no title.
    if (text && text.length <= MAX_TITLE_LENGTH && !TEMPLATE_TEXT.test(text)) return text;
  }
  return null;
}

/** The pass and fail messages a quiz results slide shows in its message area (a result field bound to no score). */
function resultMessages(reader: ModelReader, slide: DataObject): string[] {
  const showsMessage = asArray(slide.si).some((entry) => {
    const name = asString(asObject(entry)?.n);
    return asNumber(reader.obj(name)?.type) === T.scoringResult && !asString(reader.display(name ?? '')?.qp);
  });
  const quiz = asObject(reader.D.quizzingData);
  if (!showsMessage || !quiz) return [];
  return [asString(quiz.passedScoreFeedback), asString(quiz.failedScoreFeedback)].flatMap((m) => richParagraphs(m));
}

/** A slide as a page: its items' text in slide order, the question it asks, and its captions when no audio file carries them. */
export function slidePage(reader: ModelReader, slideName: string, itemId: string | null): PageDraft {
  const slide = reader.obj(slideName) ?? {};
  const title = slideTitle(reader, slide);
  const questionKey = reader.questionOfSlide(slideName);
  const question = questionKey ? reader.obj(questionKey) : undefined;
  const blocks: Block[] = [];
  const seen = new Set<string>();
  const paragraph = (raw: string) => {
    const text = withoutDefaultInstruction(raw);
    if (!text || TEMPLATE_TEXT.test(text) || isPlaceholderText(text)) return;
    const key = text.toLowerCase();
    if (seen.has(key) || CHROME_LABEL.test(text.replace(/[.!:]+$/, '').trim())) return;
    seen.add(key);
    blocks.push({ type: 'paragraph', text });
  };
  let bodyDone = false;
  const questionBody = () => {
    if (!question || bodyDone) return;
    bodyDone = true;
    for (const block of questionBlocks(reader, question)) {
      if (block.type === 'paragraph') paragraph(block.text);
      else blocks.push(block);
    }
  };
  for (const { name, type, tag } of reader.slideItems(slide)) {
    if (type === undefined) continue;
    if (CHROME_TYPES.has(type) || isChromeTag(type, tag)) continue;
    if (question && (QUESTION_FEEDBACK_TYPES.has(type) || FEEDBACK_TAG.test(tag))) continue;
    if ((type === T.questionText || QUESTION_TEXT_TAG.test(tag)) && question) {
      const prompt = questionPrompt(reader, question);
      if (prompt) paragraph(prompt);
      questionBody();
      continue;
    }
    if (QUESTION_PART_TYPES.has(type) || ANSWER_TAG.test(tag)) {
      if (question) questionBody();
      continue;
    }
    if (type === T.imageBox) {
      const image = reader.image(name);
      if (image && !seen.has(`image:${image.alt.toLowerCase()}`)) {
        seen.add(`image:${image.alt.toLowerCase()}`);
        // Like an href, an image source is relative to the file the page comes from.
        blocks.push({ type: 'image', alt: image.alt, src: image.file ? path.relative(path.dirname(reader.file), image.file) : null });
      }
      continue;
    }
    for (const text of reader.itemParagraphs(name)) paragraph(text);
    // A Captivate 12 results caption shows the message of its Pass or Fail state.
    if (RESULT_CAPTION_TAG.test(tag)) {
      for (const state of asArray(reader.obj(name)?.stl).map(asObject)) {
        for (const id of asArray(state?.stsi)) if (`si${String(id)}` !== name) reader.itemParagraphs(`si${String(id)}`).forEach(paragraph);
      }
    }
  }
  if (question && !bodyDone) {
    const prompt = questionPrompt(reader, question);
    if (prompt) paragraph(prompt);
    questionBody();
  }
  for (const message of resultMessages(reader, slide)) paragraph(message);
  // Closed captions with no audio file to carry them stay with the slide.
  if (!reader.slideAudio(slideName)) {
    for (const cue of reader.captionCues(asArray(slide.audCC), 0)) paragraph(cue.text);
  }
  return { title, kind: 'slide', source: reader.file, itemId, blocks: tidyBlocks(blocks) };
}
