import { asObject, asString } from '../../content/data-values.js';
import { cleanText } from '../../content/text.js';
import type { PackageView } from '../../source/package-view.js';
import { itemLaunching } from '../items.js';
import type { Question } from '../../result/extraction-result.js';
import type { AssessmentDraft, ToolDecoder, ToolDetection, ToolOutput } from '../tool.js';
import { assigned } from './player-data.js';
import { readQuiz } from './quizzes.js';
import { IspringReader, type Root } from './slides.js';

const MARKERS = /Created with iSpring|iSpring|PresentationPlayer\.start|\bpresInfo\b/;

/**
 * Where the iSpring player lives: the folder whose `data/` holds `slideN.js` / `quizN.js` files,
 * preferring one beside an `index.html`, then the shallowest.
 */
function findRoot(view: PackageView): Root | null {
  const dirs = new Set<string>();
  for (const file of view.files()) {
    const match = /^(.*?)data\/(slide|quiz)\d+\.js$/i.exec(file);
    if (match) dirs.add(match[1] ?? '');
  }
  if (dirs.size === 0) return null;
  const index = (dir: string) => view.files().find((f) => f.toLowerCase() === `${dir}index.html`.toLowerCase()) ?? null;
  const ranked = [...dirs].sort((a, b) => Number(!index(a)) - Number(!index(b)) || a.split('/').length - b.split('/').length || a.localeCompare(b));
  const dir = ranked[0] ?? '';
  return { dir, index: index(dir) };
}

/**
 * QuizMaker published on its own: no slide files, an index.html (the shallowest) beside
 * `data/player.js` whose script hands the quiz to `QuizPlayer.start`.
 */
async function findStandaloneQuiz(view: PackageView): Promise<string | null> {
  const index = view.files()
    .filter((f) => /(^|\/)index\.html$/i.test(f) && view.has(f.replace(/index\.html$/i, 'data/player.js')))
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))[0];
  if (!index || (view.size(index) ?? 0) > 64 * 1024 * 1024) return null;
  const html = (await view.text(index)) ?? '';
  return MARKERS.test(html) && /\bQuizPlayer\.start\s*\(/.test(html) ? index : null;
}

async function readIndex(view: PackageView, root: Root): Promise<string> {
  if (!root.index || (view.size(root.index) ?? 0) > 64 * 1024 * 1024) return '';
  return (await view.text(root.index)) ?? '';
}

/** Title and slide titles of an older (Flash-era) player's `data/presentation.xml`. */
async function readLegacyPresentation(view: PackageView, root: Root): Promise<{ title: string | null; titles: Map<number, string> } | null> {
  const file = `${root.dir}data/presentation.xml`;
  if (!view.has(file) || (view.size(file) ?? 0) > 16 * 1024 * 1024) return null;
  const xml = await view.text(file);
  if (!xml) return null;
  const attribute = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  const titles = new Map<number, string>();
  for (const match of xml.matchAll(/<slide\b[^>]*>/g)) {
    const index = Number(attribute(match[0], 'index'));
    const title = cleanText(attribute(match[0], 'title') ?? '');
    if (Number.isInteger(index) && title) titles.set(index, title);
  }
  const head = /<presentation\b[^>]*>/.exec(xml)?.[0] ?? '';
  return { title: cleanText(attribute(head, 'title') ?? '') || null, titles };
}

const versionOf = (html: string): string | null => /<!--\s*version\s+([\d.]+)\s*-->/i.exec(html)?.[1] ?? null;

async function detectIspring(view: PackageView): Promise<ToolDetection | null> {
  const root = findRoot(view);
  if (!root) return null;
  const html = await readIndex(view, root);
  let marked = MARKERS.test(html);
  if (!marked) {
    // A slide file of the player registers itself with window['sl_{GUID}'] or window['q_{GUID}'].
    const sample = view.files().find((f) => f.startsWith(`${root.dir}data/`) && /(slide|quiz)\d+\.js$/i.test(f));
    const text = sample && (view.size(sample) ?? 0) < 8 * 1024 * 1024 ? await view.text(sample) : undefined;
    marked = !!text && /window\[['"](sl|q)_\{[0-9A-F-]+\}['"]\]/i.test(text);
  }
  if (!marked) return null;
  return { version: versionOf(html) };
}

async function extractIspring(view: PackageView): Promise<ToolOutput> {
  const output: ToolOutput = { title: null, description: null, language: null, pages: [], assessments: [], media: [] };
  const root = findRoot(view);
  if (!root) return output;
  const html = await readIndex(view, root);
  const presentation = asObject(assigned(html, 'presInfo'));
  if (html && !presentation) {
    view.warn('ispring_presentation_unreadable', `${root.index} holds no presentation data that could be decoded; slides are read in file order.`, root.index ?? undefined);
  }
  const legacy = presentation ? null : await readLegacyPresentation(view, root);
  const reader = new IspringReader(view, root, html, presentation, legacy?.titles);
  const htmlTitle = /<title>([^<]*)<\/title>/i.exec(html)?.[1];
  output.title = cleanText(asString(presentation?.ct) ?? asString(presentation?.t) ?? legacy?.title ?? htmlTitle ?? '') || null;

  const itemId = itemLaunching(view, root.index ? [root.index] : []);
  const slides = reader.slides();
  for (const slide of slides) {
    if (slide.quiz) {
      const quiz = await readQuiz(view, slide.file);
      if (!quiz || quiz.questions.length === 0) continue;
      const title = slide.title ?? quiz.title;
      const assessment = (name: string | null, questions: Question[], questionsPerAttempt: number | null = null): AssessmentDraft => ({
        title: name,
        source: slide.file,
        itemId,
        pageIndex: null,
        passingScore: quiz.passingScore,
        questionsPerAttempt,
        questions,
      });
      // A quiz drawing questions at random from its groups: one assessment per group, with how many it asks.
      if (quiz.groups.some((g) => g.drawn !== null)) {
        for (const group of quiz.groups.filter((g) => g.questions.length)) {
          output.assessments.push(assessment([title, group.title].filter(Boolean).join(': ') || null, group.questions, group.drawn));
        }
      } else {
        output.assessments.push(assessment(title, quiz.questions));
      }
    } else {
      output.pages.push(await (slide.interaction ? reader.interactionPage(slide, itemId) : reader.page(slide, itemId)));
    }
  }
  output.media = [...reader.media(slides), ...reader.imageHints()];
  return output;
}

async function extractStandaloneQuiz(view: PackageView): Promise<ToolOutput> {
  const output: ToolOutput = { title: null, description: null, language: null, pages: [], assessments: [], media: [] };
  const index = await findStandaloneQuiz(view);
  if (!index) return output;
  const quiz = await readQuiz(view, index, ['data']);
  output.title = quiz?.title ?? (cleanText(/<title>([^<]*)<\/title>/i.exec((await view.text(index)) ?? '')?.[1] ?? '') || null);
  if (!quiz || quiz.questions.length === 0) return output;
  const itemId = itemLaunching(view, [index]);
  const drawn = quiz.groups.some((g) => g.drawn !== null);
  for (const group of drawn ? quiz.groups.filter((g) => g.questions.length) : [{ title: null, drawn: null, questions: quiz.questions }]) {
    output.assessments.push({
      title: [output.title, group.title].filter(Boolean).join(': ') || null,
      source: index,
      itemId,
      pageIndex: null,
      passingScore: quiz.passingScore,
      questionsPerAttempt: group.drawn,
      questions: group.questions,
    });
  }
  return output;
}

export const ispring: ToolDecoder = {
  name: 'iSpring Suite',
  detect: detectIspring,
  extract: extractIspring,
};

/** QuizMaker published on its own: the quiz in index.html, no slides (see findStandaloneQuiz). */
export const ispringQuizMaker: ToolDecoder = {
  name: 'iSpring QuizMaker',
  async detect(view: PackageView): Promise<ToolDetection | null> {
    if (findRoot(view)) return null;
    const quiz = await findStandaloneQuiz(view);
    return quiz ? { version: versionOf((await view.text(quiz)) ?? '') } : null;
  },
  extract: extractStandaloneQuiz,
};
