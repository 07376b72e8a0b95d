import { DomUtils } from 'htmlparser2';
import { elementsOf, htmlToBlocks, htmlToText, replaceElements } from '../../content/html.js';
import { normalizeSpace } from '../../content/text.js';
import { asArray, obj, objects, parseJson, scalarText, str, type DataObject } from '../../content/data-values.js';
import { literalAfter } from '../../content/js-literals.js';
import type { Block } from '../../result/extraction-result.js';
import type { QuestionInput } from '../question.js';
import { all, first, hasClass, type Element } from './dom.js';

/*
 * An interactive video (eXe 2 and eXe 3) stops at the times of its slides: `slides` in a JSON
 * script (`#exe-interactive-video-contents`, eXe 3) or `var InteractiveVideo = {...}` (eXe 2).
 * A slide is a text, an image, a single or multiple choice (`question`, `answers` as
 * `[text, 1 when right]`), a cloze or dropdown (`text`, each answer struck through
 * `<span style="text-decoration: line-through">`; a dropdown's other words in
 * `additionalWords`), pairs to match (`pairs` as `[a, b]`) or a list to sort (`items` in order).
 * Before it plays, the video's cover shows its `title` (the player's "..." when it has none) and
 * `description` (HTML).
 */

const MAX_SCRIPT_CHARS = 4 * 1024 * 1024;
const MAX_SLIDES = 2000;
const STRUCK = /text-decoration:\s*line-through/i;

type Activity = Omit<QuestionInput, 'source'>;

function slideQuestion(slide: DataObject, id: string): Activity | null {
  const text = str(slide.text);
  switch (str(slide.type)) {
    case 'singleChoice':
    case 'multipleChoice':
      return {
        id,
        type: str(slide.type) === 'multipleChoice' ? 'multiple_response' : 'choice',
        prompt: str(slide.question),
        choices: asArray(slide.answers).map((answer, i) => {
          const [label, right] = asArray(answer);
          return { id: String(i + 1), text: scalarText(label), correct: scalarText(right) === '1' };
        }),
      };
    case 'cloze':
    case 'dropdown': {
      const blanks = elementsOf(text, 'span', (attributes) => STRUCK.test(attributes));
      const answers = blanks.map((blank) => blank.body);
      const others = str(slide.type) === 'dropdown' ? asArray(slide.additionalWords).map(scalarText) : [];
      const options = others.length > 0 ? [...answers, ...others] : [];
      return {
        id,
        type: options.length > 0 ? 'choice' : 'fill_in',
        prompt: replaceElements(text, blanks, ' ____ '),
        choices: options.map((option, i) => ({ id: String(i + 1), text: option, correct: i < answers.length })),
        correctAnswers: answers,
      };
    }
    case 'matchElements': {
      const matches = asArray(slide.pairs).map((pair) => ({ source: scalarText(asArray(pair)[0]), target: scalarText(asArray(pair)[1]) }));
      return { id, type: 'matching', prompt: text, matches, correctAnswers: matches.map((m) => `${m.source} → ${m.target}`) };
    }
    case 'sortableList': {
      const items = asArray(slide.items).map(scalarText);
      return { id, type: 'sequencing', prompt: text, choices: items.map((item, i) => ({ id: String(i + 1), text: item })), correctAnswers: items };
    }
    default:
      return null;
  }
}

/** The slides of the interactive videos inside an iDevice: questions, and the texts shown. */
export function interactiveVideos(idevice: Element): { questions: Activity[]; blocks: Block[] } {
  const questions: Activity[] = [];
  const blocks: Block[] = [];
  for (const video of all(idevice, (e) => hasClass(e, 'exe-interactive-video'))) {
    const script = first(video, (e) => e.name === 'script');
    const code = script ? DomUtils.textContent(script) : '';
    if (code.length > MAX_SCRIPT_CHARS) continue;
    const data = obj(/InteractiveVideo\s*=/.test(code) ? literalAfter(code, /InteractiveVideo\s*=\s*/) : parseJson(code.trim()));
    const key = idevice.attribs.id ?? 'interactive-video';
    const title = normalizeSpace(htmlToText(str(data.title)));
    if (title && title !== '...') blocks.push({ type: 'heading', level: 2, text: title });
    blocks.push(...htmlToBlocks(str(data.description)).blocks);
    for (const [i, slide] of objects(data.slides).slice(0, MAX_SLIDES).entries()) {
      if (str(slide.type) === 'text') blocks.push(...htmlToBlocks(str(slide.text)).blocks);
      const question = slideQuestion(slide, `${key}-${i + 1}`);
      if (question) questions.push(question);
    }
  }
  return { questions, blocks };
}
