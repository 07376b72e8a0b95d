import { blocksToText, tidyBlocks } from '../../content/blocks.js';
import { asArray, isObject, num, obj, str } from '../../content/data-values.js';
import type { Block, Question } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';
import type { AssessmentDraft, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from '../tool.js';
import { questionsPerAttempt, type QuestionBlock } from './assessment.js';
import { addMedia, body, graphic, heading, renderComponent, type Context } from './components.js';
import { courseLayout, findLayout, loadModels, pickLanguage, readBuild, readConfig, readEvolveVersion, type Layout, type Model } from './course-data.js';
import { authoredTitle, toBlocks, toText } from './text.js';

/*
 * Adapt Framework builds keep the whole course as JSON in `course/<lang>/`: course.json,
 * contentObjects.json (menus and pages), articles.json, blocks.json and components.json, linked by
 * `_parentId`. Newer builds list their data files in `language_data_manifest.js` (any file name,
 * each model typed by `_type`) and may use another extension than `.json` (`jsonext` in
 * adapt/js/build.min.js). The player's own strings live in course.json `_globals`, `_buttons` and in
 * each component's `_buttons`/`instruction`: none of those is read.
 */


const available = (model: Model): boolean => model.data._isAvailable !== false;

export const adapt: ToolDecoder = {
  name: 'Adapt Framework',

  async detect(view: PackageView): Promise<ToolDetection | null> {
    if (!findLayout(view)) return null;
    return { version: (await readBuild(view)).version };
  },

  extract: (view: PackageView) => extractCourse(view, findLayout(view), false),
};

/** Evolve publishes Adapt's course data with its own player: the same reader serves it. */
export const evolve: ToolDecoder = {
  name: 'Evolve',

  async detect(view: PackageView): Promise<ToolDetection | null> {
    if (findLayout(view) || !courseLayout(view)) return null;
    const version = await readEvolveVersion(view);
    return version === null ? null : { version: version || null };
  },

  extract: (view: PackageView) => extractCourse(view, courseLayout(view), true),
};

async function extractCourse(view: PackageView, layout: Layout | null, evolveData: boolean): Promise<ToolOutput> {
  const empty: ToolOutput = { pages: [], assessments: [], media: [] };
  if (!layout) return empty;
  const build = await readBuild(view);
  const ext = build.jsonext ?? 'json';
  const config = await readConfig(view, layout, ext);
  const language = pickLanguage(view, layout, config);
  const folder = language ? `${layout.courseDir}${language}/` : layout.courseDir;
  const models = await loadModels(view, folder, ext);
  if (models.length === 0) {
    view.warn('adapt_no_data', `No Adapt course data could be read in ${folder}`);
    return empty;
  }

  const children = new Map<string, Model[]>();
  for (const model of models) {
    if (model.parentId === null) continue;
    const list = children.get(model.parentId) ?? [];
    list.push(model);
    children.set(model.parentId, list);
  }
  for (const list of children.values()) {
    list.sort((a, b) => (num(a.data._sortOrder) ?? a.order) - (num(b.data._sortOrder) ?? b.order) || a.order - b.order);
  }
  const childrenOf = (model: Model, types?: string[]) =>
    (children.get(model.id) ?? []).filter((c) => available(c) && (!types || types.includes(c.type)));

  const course = models.find((m) => m.type === 'course');
  const ctx: Context = { view, language: language || null, media: new Map(), orderingShuffles: evolveData };
  const itemId = view.items.length === 1 ? (view.items[0]?.identifier ?? null) : null;
  const pages: PageDraft[] = [];
  const assessments: AssessmentDraft[] = [];
  const isContentObject = (m: Model) => m.type === 'page' || m.type === 'menu' || m.type === 'contentobject';

  // Content objects hanging off the course, or (for data with a course id we cannot match) off nothing known.
  const ids = new Set(models.map((m) => m.id));
  const roots = course
    ? childrenOf(course).filter(isContentObject)
    : models.filter((m) => isContentObject(m) && available(m) && (m.parentId === null || !ids.has(m.parentId)));
  const visited = new Set<string>();

  const visitPage = (page: Model) => {
    const blocks: Block[] = [];
    const title = toText(page.data.displayTitle) || toText(page.data.title) || null;
    const subtitle = toText(page.data.subtitle);
    if (subtitle) blocks.push({ type: 'paragraph', text: subtitle });
    body(ctx, str(page.data.pageBody) ? page.data.pageBody : page.data.body, blocks);
    if (page.data._graphic !== undefined) graphic(ctx, page.data._graphic, []);
    const pageIndex = pages.length;
    const groups = new Map<string, AssessmentDraft>();
    const pageQuestions: Question[] = [];

    for (const article of childrenOf(page, ['article'])) {
      heading(blocks, 2, article.data.displayTitle);
      body(ctx, article.data.body, blocks);
      const settings = obj(article.data._assessment);
      const isAssessment = settings._isEnabled === true;
      const articleQuestions: Question[] = [];
      const questionBlocks: QuestionBlock[] = [];
      for (const block of childrenOf(article, ['block'])) {
        heading(blocks, 3, block.data.displayTitle);
        body(ctx, block.data.body, blocks);
        const asked = articleQuestions.length;
        for (const comp of childrenOf(block, ['component'])) {
          const question = renderComponent(ctx, comp, blocks, comp.file);
          if (question) (isAssessment ? articleQuestions : pageQuestions).push(question);
        }
        const count = articleQuestions.length - asked;
        if (count > 0) questionBlocks.push({ bank: num(obj(block.data._assessment)._quizBankID), questions: count });
      }
      if (isAssessment && articleQuestions.length > 0) {
        const total = articleQuestions.reduce((sum, q) => sum + (q.points ?? 1), 0);
        const toPass = num(settings._scoreToPass);
        const passingScore =
          toPass === null ? null : settings._isPercentageBased === false ? (total > 0 ? Math.round((toPass / total) * 100) : null) : toPass;
        const name = toText(article.data.displayTitle) || authoredTitle(article.data.title) || title || str(settings._id) || null;
        groups.set(article.id, {
          title: name,
          questionsPerAttempt: questionsPerAttempt(settings, questionBlocks),
          source: article.file,
          itemId,
          pageIndex,
          passingScore,
          questions: articleQuestions,
        });
      }
    }
    pages.push({ title, kind: 'page', source: page.file, itemId, blocks: tidyBlocks(blocks) });
    if (pageQuestions.length > 0) {
      assessments.push({ title, source: page.file, itemId, pageIndex, passingScore: null, questions: pageQuestions });
    }
    assessments.push(...groups.values());
  };

  const visit = (co: Model) => {
    if (visited.has(co.id)) return;
    visited.add(co.id);
    if (co.type === 'menu') {
      const blocks: Block[] = [];
      body(ctx, co.data.body, blocks);
      if (co.data._graphic !== undefined) graphic(ctx, co.data._graphic, []);
      // A sub-menu with an introduction of its own; a bare menu title adds nothing to read.
      if (blocks.length > 0) {
        pages.push({ title: toText(co.data.displayTitle) || toText(co.data.title) || null, kind: 'section', source: co.file, itemId, blocks: tidyBlocks(blocks) });
      }
      for (const child of childrenOf(co).filter(isContentObject)) visit(child);
    } else {
      visitPage(co);
    }
  };
  for (const root of roots) visit(root);

  const courseData = course?.data ?? {};
  const description = toText(courseData.description) || blocksToText(toBlocks(courseData.body)) || null;
  if (courseData._graphic !== undefined) graphic(ctx, courseData._graphic, []);
  // Files offered in the resources drawer (PDFs, handouts) are part of the course too.
  for (const resource of asArray(obj(courseData._resources)._resourcesItems).filter(isObject)) addMedia(ctx, str(resource._link), {});
  return {
    title: toText(courseData.displayTitle) || toText(courseData.title) || null,
    description,
    language: language || str(config._defaultLanguage) || null,
    pages,
    assessments,
    media: [...ctx.media.values()],
  };
}
