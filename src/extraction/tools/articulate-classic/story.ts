import { htmlToText } from '../../content/html.js';
import { normalizeSpace } from '../../content/text.js';
import type { OrderedElement } from '../../manifest/xml.js';
import type { Question } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';
import { addMediaHint } from '../media-hints.js';
import { makeQuestion, type QuestionInput } from '../question.js';
import { readQuestion } from '../storyline/questions.js';
import { dropRepeatedChrome, readSlide } from '../storyline/slides.js';
import type { AssessmentDraft, MediaHint, ToolOutput } from '../tool.js';
import { AssetTable, interactionModel, slideModel } from './model.js';
import { readDataFile } from './packed-data.js';

/** The story data of the classic player; slide files are named in it (`html5url`). */
export const CLASSIC_DATA_FILE = 'mobile/data.js';
const MAX_SLIDES = 5000;

const childrenNamed = (element: OrderedElement | undefined, name: string): OrderedElement[] =>
  element ? element.children.filter((c) => c.name === name) : [];

/** Slides in reading order: scenes (the player's message scene aside), then question banks. */
function storySlides(story: OrderedElement): OrderedElement[] {
  const slides: OrderedElement[] = [];
  const seen = new Set<string>();
  const add = (slide: OrderedElement) => {
    const key = slide.attributes.html5url ?? '';
    if (!key || seen.has(key) || slides.length >= MAX_SLIDES) return;
    seen.add(key);
    slides.push(slide);
  };
  for (const scenes of childrenNamed(story, 'scenes')) {
    for (const scene of childrenNamed(scenes, 'scene')) {
      if (/^MsgScene/i.test(scene.attributes.id ?? '')) continue;
      for (const list of childrenNamed(scene, 'slides')) childrenNamed(list, 'slide').forEach(add);
    }
  }
  const bank = (node: OrderedElement, depth: number) => {
    for (const child of node.children) {
      if (child.name === 'slide') add(child);
      else if (depth < 6) bank(child, depth + 1);
    }
  };
  for (const banks of childrenNamed(story, 'slidebank')) bank(banks, 0);
  return slides;
}

function slideTitle(raw: string | undefined): string | null {
  const title = htmlToText((raw ?? '').replace(/[\r\n\v]+/g, ' '));
  return !title || /^untitled slide(\s+\d+)?$/i.test(title) ? null : title;
}

interface SlideQuestions {
  questions: Question[];
  pageIndex: number;
  source: string;
  title: string | null;
}

/** Pages, questions and media of a classic player's story, read from its data files. */
export async function readClassicStory(view: PackageView): Promise<ToolOutput> {
  const output: ToolOutput = { pages: [], assessments: [], media: [] };
  const story = await readDataFile(view, CLASSIC_DATA_FILE, 'CreateData');
  if (!story) return output;
  const table = new AssetTable();
  const media = new Map<string, MediaHint>();
  const bySlide = new Map<string, SlideQuestions>();

  for (const entry of storySlides(story)) {
    const file = view.resolve('', entry.attributes.html5url ?? '') ?? '';
    const slide = file ? await readDataFile(view, file, 'SlideXMLData') : undefined;
    const title = slideTitle(entry.attributes.title) ?? slideTitle(slide?.attributes.title);
    const model = slideModel(slide ?? { ...entry, children: [] }, table);
    const read = readSlide(model, table.assets);
    for (const hint of read.media) addMediaHint(media, hint);
    const pageIndex = output.pages.length;
    output.pages.push({ title, kind: 'slide', source: file, blocks: read.blocks });
    const questions = childrenNamed(entry, 'interactions')
      .flatMap((list) => childrenNamed(list, 'interaction'))
      .map((interaction) => readQuestion(interactionModel(interaction), title, read, file))
      .filter((q): q is QuestionInput => q !== null)
      .map(makeQuestion);
    if (questions.length > 0) bySlide.set(entry.attributes.id ?? file, { questions, pageIndex, source: file, title });
  }

  const questionTexts = new Set(
    [...bySlide.values()].flatMap((entry) => entry.questions.flatMap((q) => [q.prompt, ...q.choices.map((c) => c.text), ...q.matches.flatMap((m) => [m.source, m.target])])),
  );
  dropRepeatedChrome(output.pages, questionTexts);
  output.assessments = groupByQuiz(story, bySlide);
  output.media = [...media.values()];
  return output;
}

/** Questions grouped by the quiz that scores them; the rest one assessment per slide. */
function groupByQuiz(story: OrderedElement, bySlide: Map<string, SlideQuestions>): AssessmentDraft[] {
  const assessments: AssessmentDraft[] = [];
  const assigned = new Set<string>();
  for (const quiz of childrenNamed(story, 'quizzes').flatMap((list) => childrenNamed(list, 'quiz'))) {
    const slides = childrenNamed(quiz, 'sliderefs')
      .flatMap((list) => childrenNamed(list, 'slideref'))
      .map((ref) => (ref.attributes.id ?? '').split('.').at(-1) ?? '')
      .filter((id) => bySlide.has(id) && !assigned.has(id));
    const first = bySlide.get(slides[0] ?? '');
    if (!first) continue;
    const survey = quiz.attributes.issurvey === 'true';
    const passPercent = Number(quiz.attributes.passpercent ?? NaN);
    assessments.push({
      title: normalizeSpace(quiz.attributes.lmstext ?? '') || null,
      source: first.source,
      pageIndex: first.pageIndex,
      passingScore: survey || !Number.isFinite(passPercent) ? null : passPercent,
      questions: slides.flatMap((id) => {
        assigned.add(id);
        return bySlide.get(id)?.questions ?? [];
      }),
    });
  }
  for (const [id, entry] of bySlide) {
    if (!assigned.has(id)) assessments.push({ title: entry.title, source: entry.source, pageIndex: entry.pageIndex, passingScore: null, questions: entry.questions });
  }
  return assessments.sort((a, b) => (a.pageIndex ?? 0) - (b.pageIndex ?? 0));
}
