import { jsonNumber, obj, objects, scalarText, type DataObject } from '../../content/data-values.js';
import { hasLetters, normalizeSpace, wordCount } from '../../content/text.js';
import type { QuestionType } from '../../result/extraction-result.js';
import { pictureByPlace, type QuestionInput } from '../question.js';
import { captionOf, isDefaultName, pictureAt, pictureCaptions, showsPicture, statementOf, type SlideRead } from './slides.js';

/** More choices or drop boxes than a slide can show (a question lists a few, a grid a few dozen). */
const MAX_PLACED_CHOICES = 100;

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

function questionType(interaction: DataObject): QuestionType {
  const type = scalarText(interaction.type).toLowerCase();
  const lms = scalarText(interaction.lmsId).toLowerCase();
  if (/^sequence/.test(type)) return 'sequencing';
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
 * that, its LMS label: freeform and hotspot questions label choices "<object name> - <object
 * text>", or with the name alone when the object shows no text (a spot to click on a picture),
 * a name the author gave to say what it is ("Sender address"), unless Storyline gave it ("Oval 2").
 */
function choiceLabel(raw: string, shown: string | undefined, named: boolean): string {
  if (shown) return shown;
  const label = normalizeSpace(raw.replace(/[\r\n]+/g, ' ').replace(/\^%\^/g, '%'));
  const rest = named ? (/^.+?\s[-–]\s(.+)$/u.exec(label)?.[1] ?? label) : label;
  return isDefaultName(rest) ? '' : rest;
}

/** The name Storyline gives a question it builds from slide objects, not the question asked. */
const GENERIC_PROMPT = new RegExp(
  `^(${[
    'pick (one|many)|drag and drop|fill in the blanks?|(text|numeric) entry( interaction)?|hotspots?|true/false|multiple (choice|response)|matching( drag-and-drop| drop-down)?|sequence( drag-and-drop| drop-down)?|word bank|how many|freeform( question)?',
    // The same names in the languages Storyline is published in.
    '(respuesta|opción|selección|elección) (múltiple|única)|escoger (uno|muchos)|verdadero ?/ ?falso|(rellenar|completar)( los| el)? espacios?( en blanco)?|entrada de (texto|números)|arrastrar y (soltar|colocar)|emparejar|relacionar|secuencia|banco de palabras|zona activa|puntos? calientes?',
    '(choix|réponse) (multiple|unique)s?|vrai ?/ ?faux|texte à trous|saisie (de texte|numérique)|glisser-déposer|association|séquence|banque de mots|zones? réactives?',
    'mehrfachauswahl|einfachauswahl|wahr ?/ ?falsch|richtig ?/ ?falsch|lückentext|texteingabe|zahleneingabe|zuordnung|reihenfolge|drag (&|and) drop|ziehen und ablegen|wortbank',
    '(scelta|risposta) (multipla|singola)|vero ?/ ?falso|(múltipla|escolha) (escolha|múltipla)|verdadeiro ?/ ?falso|meerkeuze|meervoudige keuze|waar ?/ ?onwaar',
  ].join('|')})$`,
  'iu',
);

/**
 * The question as the slide asks it: its LMS text when the author wrote it, else the base layer's
 * text that is not a choice, asking (`?`) or introducing (`:`) first, else the longest.
 */
function promptOf(lmstext: string, read: SlideRead, choiceTexts: string[], slideTitle: string | null): string {
  const own = normalizeSpace(lmstext.replace(/[\r\n]+/g, ' '));
  if (own && !GENERIC_PROMPT.test(own)) return own;
  const candidates = read.baseTexts.filter(
    (text) => wordCount(text) >= 2 && !choiceTexts.some((choice) => choice && choice.includes(text)) && !madeOf(text, choiceTexts),
  );
  const asked =
    candidates.find((t) => t.includes('?')) ??
    candidates.find((t) => /:\s*$/.test(t)) ??
    [...candidates].sort((a, b) => b.length - a.length)[0];
  return asked ?? (slideTitle && !GENERIC_PROMPT.test(slideTitle) ? slideTitle : GENERIC_PROMPT.test(own) ? '' : own);
}

/** Whether a text is only the given texts put together (a group holding a question's choices). */
function madeOf(text: string, parts: string[]): boolean {
  let rest = text;
  for (const part of parts) if (part) rest = rest.split(part).join(' ');
  return rest !== text && !hasLetters(rest);
}

/** The layers an answer's actions show (feedback layers), by id. */
function shownLayers(actions: unknown, found: string[] = []): string[] {
  for (const action of objects(actions)) {
    if (scalarText(action.kind) === 'show_slidelayer') {
      const ref = obj(action.objRef);
      const id = scalarText(ref.value) || scalarText(action.objRef);
      if (id) found.push(id.split('.').at(-1) ?? id);
    }
    shownLayers(action.thenActions, found);
    shownLayers(action.elseActions, found);
    shownLayers(action.actions, found);
  }
  return found;
}

const idTail = (ref: string) => ref.replace(/^(choices|statements)\./, '').replace(/^(choice|statement)_/, '');

/** The question an interaction of a slide asks, with the slide's texts as its choices and feedback. */
export function readQuestion(interaction: DataObject, slideTitle: string | null, read: SlideRead, source: string): QuestionInput | null {
  const type = questionType(interaction);
  const survey = interaction.issurvey === true;
  const shownText = (ref: string) => read.objectText.get(idTail(ref));
  // Freeform and hotspot choices are slide objects, named by the author or by Storyline.
  const named = /^freeform/i.test(scalarText(interaction.lmsId)) || type === 'hotspot';
  const picked = type === 'choice' || type === 'multiple_response' || type === 'true_false';
  // A hotspot question lists a click anywhere else as a choice of its own: no choice to see.
  const offered = objects(interaction.choices).filter((choice) => !(type === 'hotspot' && scalarText(choice.id) === 'choice_incorrect'));
  const listed = offered.map((choice) => {
    const id = scalarText(choice.id);
    return { id: idTail(id), ref: id, lmstext: scalarText(choice.lmstext), shown: shownText(id) || read.pictureNames.get(idTail(id)) || '' };
  });
  // Choices to pick that show no text are read by their captions on the slide: pictures, icons
  // and ticks, and shapes without a name of the author's (a spot named "Sender address" is named).
  // Each is placed against every object of the slide, so only a question of a size a learner can
  // see is read this way: the work stays linear in the slide.
  const placed = picked && listed.length <= MAX_PLACED_CHOICES;
  const textless = placed ? listed.filter((c) => !c.shown && (showsPicture(read, c.id) || isDefaultName(normalizeSpace(c.lmstext)))).map((c) => c.id) : [];
  const captions = placed ? pictureCaptions(read, textless, listed.map((c) => c.id)) : new Map<string, string>();
  // An object left off the stage that shows no text is known by no name the learner sees.
  const choices = listed.map((c) => ({
    id: c.id,
    ref: c.ref,
    text: !c.shown && read.hidden.has(c.id) ? '' : choiceLabel(c.lmstext, c.shown || captions.get(c.id), named),
  }));
  // The slide's texts that name other things than the choices: not the choices, nor a group of them.
  const choiceIds = new Set(choices.map((c) => c.id));
  const choiceTexts = choices.map((c) => c.text).filter(Boolean);
  const notChoice = (id: string, text: string) => !choiceIds.has(id) && !choiceTexts.includes(text) && !madeOf(text, choiceTexts);
  // Choices that repeat the same words (a "True" and a "False" on each row) are told apart by what they answer.
  if (placed && new Set(choiceTexts).size < choiceTexts.length) {
    const statements = choices.map((c) => (c.text ? statementOf(read, c.id, (id, text) => !notChoice(id, text)) : undefined));
    if (choices.every((c, i) => !c.text || statements[i])) choices.forEach((c, i) => (c.text = c.text && `${(statements[i] ?? '').replace(/:\s*$/, '')}: ${c.text}`));
  }
  // A freeform drop box is often an empty shape with its caption written on, beside or above it.
  const listedStatements = objects(interaction.statements);
  const captioned = named && listedStatements.length <= MAX_PLACED_CHOICES;
  const statements = listedStatements.map((statement) => {
    const id = scalarText(statement.id);
    const text = choiceLabel(scalarText(statement.lmstext), shownText(id), named);
    return { id: idTail(id), text: text || (captioned ? (captionOf(read, idTail(id), (other, shown) => !notChoice(other, shown)) ?? '') : '') };
  });
  // Drop boxes on or under pictures without a caption: named by the picture's alt text, else by their place.
  const uncaptioned = captioned ? statements.filter((s) => !s.text) : [];
  const pictures = uncaptioned.map((s) => pictureAt(read, s.id));
  if (uncaptioned.length > 0 && pictures.every(Boolean)) {
    uncaptioned.forEach((s, i) => (s.text = read.pictureNames.get(pictures[i] ?? '') || pictureByPlace(i)));
  }
  const answers = objects(interaction.answers);
  const correct = survey ? undefined : answers.find((a) => scalarText(a.status) === 'correct');
  const correctStatements = objects(obj(correct?.evaluate).statements);
  const correctIds = new Set(correctStatements.filter((s) => scalarText(s.kind) === 'equals').map((s) => idTail(scalarText(s.choiceid))));
  const accepted = correctStatements.map((s) => scalarText(s.value)).filter(Boolean);

  const layerText = (answer: DataObject | undefined) =>
    shownLayers(answer?.actions)
      .map((id) => read.layerText.get(id) ?? '')
      .find((text) => text.trim() !== '') ?? null;
  const correctFeedback = layerText(correct);
  const incorrect = answers.filter((a) => a !== correct && scalarText(a.status) !== 'correct');
  const incorrectFeedback = incorrect.map(layerText).find((t) => t !== null) ?? null;

  const choiceFeedback = new Map<string, string>();
  for (const answer of answers) {
    const equals = objects(obj(answer.evaluate).statements).filter((s) => scalarText(s.kind) === 'equals' && scalarText(s.choiceid));
    const text = layerText(answer);
    const only = equals.length === 1 ? equals[0] : undefined;
    if (only && text && text !== correctFeedback && text !== incorrectFeedback) choiceFeedback.set(idTail(scalarText(only.choiceid)), text);
  }

  const allPairs = correctStatements
    .filter((s) => scalarText(s.kind) === 'pair')
    .map((s) => ({
      id: idTail(scalarText(s.choiceid)),
      choice: choices.find((c) => c.id === idTail(scalarText(s.choiceid)))?.text ?? '',
      statement: statements.find((c) => c.id === idTail(scalarText(s.statementid)))?.text ?? '',
    }));
  const pairs = allPairs.filter((p) => p.choice && p.statement);
  // Drop targets that show and say nothing (a spot over a blank): what counts is which items go there.
  const dropped = new Set(pairs.length === 0 ? allPairs.filter((p) => p.choice).map((p) => p.id) : []);
  const matches =
    type === 'drag_drop'
      ? pairs.map((p) => ({ source: p.choice, target: p.statement }))
      : pairs.map((p) => ({ source: p.statement, target: p.choice }));

  const sequence = type === 'sequencing' ? correctStatements.map((s) => choices.find((c) => c.id === idTail(scalarText(s.choiceid)))?.text ?? '').filter(Boolean) : [];
  const prompt = promptOf(scalarText(interaction.lmstext), read, [...choices, ...statements].map((c) => c.text), slideTitle);
  if (!prompt && choices.length === 0) return null;
  const points = jsonNumber(correct?.points) ?? jsonNumber(interaction.maxpoints);
  const unnamedSpots = choices.every((c) => !c.text);
  const input: QuestionInput = {
    id: scalarText(interaction.id) || `${source}#question`,
    type,
    prompt,
    source,
    choices: choices.map((c) => ({
      id: c.id,
      text: c.text,
      // A picture without words is still a choice: which one is correct is kept. In a question
      // too large to place, any choice that shows no text is taken for one.
      // A spot to click on a picture, without a name of its own, is one too, among spots that all have none.
      picture: (picked && (!placed || showsPicture(read, c.id))) || (type === 'hotspot' && unnamedSpots && !read.hidden.has(c.id)),
      correct:
        survey || correct === undefined
          ? null
          : dropped.size > 0
            ? dropped.has(c.id)
            : type === 'matching' || type === 'drag_drop' || type === 'sequencing'
              ? null
              : correctIds.has(c.id),
      feedback: choiceFeedback.get(c.id) ?? null,
    })),
    matches,
    feedback: { correct: correctFeedback, incorrect: incorrectFeedback },
    points: survey ? null : points,
  };
  if (accepted.length > 0) input.correctAnswers = accepted;
  else if (sequence.length > 0) input.correctAnswers = sequence;
  else if ((type === 'matching' || type === 'drag_drop') && dropped.size === 0) input.correctAnswers = [];
  return input;
}
