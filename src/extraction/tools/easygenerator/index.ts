import path from 'node:path/posix';
import { tidyBlocks } from '../../content/blocks.js';
import { obj, objects, parseJson, str, type DataObject } from '../../content/data-values.js';
import { htmlToBlocks, blockText } from '../../content/html.js';
import { isPlaceholderText, normalizeSpace, wordCount } from '../../content/text.js';
import type { Block } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';
import { soleLaunchingItem } from '../items.js';
import { addMediaHint } from '../media-hints.js';
import { makeQuestion } from '../question.js';
import type { AssessmentDraft, MediaHint, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from '../tool.js';
import { questionInput } from './questions.js';

/*
 * Easygenerator course templates. `content/data.js` is the course as JSON: `sections[]` (title,
 * learning objective) of `questions[]`, where an `informationContent` question is a page of
 * content and the others are questions (answers with `isCorrect`, matching pairs, ranked items,
 * blanks). Their texts are HTML fragments, one file per content block, named by id: flat in
 * `content/<id>.html`, or under `content/<section>/<question>/`, `content/introduction/` and
 * `content/afterword/` in older templates. A block may have `children` (accordion and how-to
 * items: a short title, then its text).
 */

const DATA_FILE = 'content/data.js';
const MAX_DEPTH = 8;
const MAX_FRAGMENT_BYTES = 4 * 1024 * 1024;

interface Course {
  view: PackageView;
  /** Content files by id (their name without `.html`). */
  fragments: Map<string, string>;
  media: Map<string, MediaHint>;
}

async function readCourse(view: PackageView): Promise<DataObject | undefined> {
  const text = await view.text(DATA_FILE);
  const data = text === undefined ? undefined : parseJson(text.trim());
  const course = data && !Array.isArray(data) && typeof data === 'object' ? (data as DataObject) : undefined;
  if (!course || !Array.isArray(course.sections)) {
    view.warn('easygenerator_data_unreadable', `${DATA_FILE} holds no course data that could be read.`, DATA_FILE);
    return undefined;
  }
  return course;
}

async function fragmentBlocks(course: Course, id: string): Promise<Block[]> {
  const file = course.fragments.get(id);
  if (!file || (course.view.size(file) ?? 0) > MAX_FRAGMENT_BYTES) return [];
  const html = await course.view.text(file);
  if (!html) return [];
  const extraction = htmlToBlocks(html);
  for (const image of extraction.images) {
    // Fragments are shown inside the launch page: their sources are package paths.
    const src = course.view.has(image.src) ? image.src : course.view.resolve(file, image.src);
    if (src && image.alt) addMediaHint(course.media, { path: src, altText: image.alt });
  }
  // A block the author added but never filled keeps the template's sample text.
  return extraction.blocks.filter((block) => !isPlaceholderText(blockText(block)));
}

/** The blocks of content entries (`{id, children}`), children after their parent, a short parent as their heading. */
async function contentBlocks(course: Course, entries: unknown, depth = 0): Promise<Block[]> {
  const blocks: Block[] = [];
  for (const entry of objects(entries)) {
    const own = await fragmentBlocks(course, str(entry.id));
    const children = depth < MAX_DEPTH ? await contentBlocks(course, entry.children, depth + 1) : [];
    const title = own.length === 1 ? blockText(own[0] as Block) : '';
    if (children.length > 0 && title && wordCount(title) <= 12 && own[0]?.type !== 'image') {
      blocks.push({ type: 'heading', level: 3, text: normalizeSpace(title) });
    } else blocks.push(...own);
    blocks.push(...children);
  }
  return blocks;
}

const plainText = (blocks: Block[]): string => blocks.map(blockText).filter(Boolean).join(' ');

/**
 * The words on a statement's buttons: the author's translations in `settings.js`, else the
 * player's strings for the course's language (`lang/<code>.json`), else English.
 */
async function statementLabels(view: PackageView): Promise<{ true: string; false: string }> {
  const languages = obj(obj(parseJson((await view.text('settings.js')) ?? '')).languages);
  const language = (str(languages.selected) || 'en').replace(/[^\w-]/g, '');
  const strings = obj(parseJson((await view.text(`lang/${language}.json`)) ?? (await view.text('lang/en.json')) ?? ''));
  const label = (key: string) => normalizeSpace(str(obj(languages.customTranslations)[key]) || str(strings[key]));
  return { true: label('[statement question true text]') || 'True', false: label('[statement question false text]') || 'False' };
}

async function detect(view: PackageView): Promise<ToolDetection | null> {
  if (!view.has(DATA_FILE) || !(view.has('settings.js') || view.has('publishSettings.js'))) return null;
  const head = (await view.head(DATA_FILE, 4096).catch(() => Buffer.alloc(0))).toString('utf8');
  return /^\s*\{/.test(head) && /"(sections|hasIntroductionContent|templateId)"\s*:/.test(head) ? { version: null } : null;
}

async function extract(view: PackageView): Promise<ToolOutput> {
  const output: ToolOutput = { pages: [], assessments: [], media: [] };
  const data = await readCourse(view);
  if (!data) return output;
  const fragments = new Map<string, string>();
  for (const file of view.files()) {
    if (file.startsWith('content/') && file.endsWith('.html')) fragments.set(path.basename(file, '.html'), file);
  }
  const course: Course = { view, fragments, media: new Map() };
  const trueFalse = await statementLabels(view);
  const itemId = soleLaunchingItem(view);
  output.title = normalizeSpace(str(data.title)) || null;
  /** Adds a page that has something to show (a section, a page's title); its index, or null. */
  const addPage = (page: Omit<PageDraft, 'itemId'>, titled = false): number | null => {
    if (page.blocks.length === 0 && page.kind !== 'section' && !(titled && page.title)) return null;
    output.pages.push({ ...page, itemId });
    return output.pages.length - 1;
  };

  const introduction = tidyBlocks(await contentBlocks(course, data.introductions));
  addPage({ title: output.title, kind: 'page', source: DATA_FILE, blocks: introduction });

  for (const section of objects(data.sections)) {
    const objective = normalizeSpace(str(section.learningObjective));
    addPage({ title: normalizeSpace(str(section.title)) || null, kind: 'section', source: DATA_FILE, blocks: objective ? [{ type: 'paragraph', text: objective }] : [] });
    const assessment: AssessmentDraft = { title: normalizeSpace(str(section.title)) || null, source: DATA_FILE, itemId, pageIndex: null, questions: [] };
    for (const question of objects(section.questions)) {
      const title = normalizeSpace(str(question.title)) || null;
      const instructions = tidyBlocks(await contentBlocks(course, question.questionInstructions));
      const learning = tidyBlocks(await contentBlocks(course, question.learningContents));
      // A content page keeps its title when its blocks are empty or unfilled (a video, an embed,
      // sample text); a question without blocks is asked by its title.
      const isContent = str(question.type) === 'informationContent';
      const pageIndex = addPage({ title, kind: 'page', source: DATA_FILE, blocks: [...instructions, ...learning] }, isContent);
      if (isContent) continue;
      const input = questionInput(question, {
        prompt: plainText(instructions) || title || '',
        correctFeedback: plainText(await contentBlocks(course, question.questionCorrectFeedbacks)) || null,
        incorrectFeedback: plainText(await contentBlocks(course, question.questionIncorrectFeedbacks)) || null,
        source: DATA_FILE,
        trueFalse,
      });
      assessment.questions.push(makeQuestion(input));
      assessment.pageIndex ??= pageIndex;
    }
    if (assessment.questions.length > 0) output.assessments.push(assessment);
  }

  for (const key of ['passedAfterwords', 'failedAfterwords']) {
    const blocks = tidyBlocks(await contentBlocks(course, data[key]));
    addPage({ title: null, kind: 'page', source: DATA_FILE, blocks });
  }
  for (const section of objects(data.sections)) {
    const image = str(section.imageUrl);
    if (image && view.has(image)) addMediaHint(course.media, { path: image });
  }
  output.media = [...course.media.values()];
  return output;
}

export const easygenerator: ToolDecoder = { name: 'Easygenerator', detect, extract };

