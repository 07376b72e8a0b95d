import path from 'node:path/posix';
import { jsonNumber, obj, objects, scalarText, type DataObject } from '../../content/data-values.js';
import { elementsOf, htmlToText } from '../../content/html.js';
import { cleanText, normalizeSpace } from '../../content/text.js';
import type { PackageView } from '../../source/package-view.js';
import { addMediaHint } from '../media-hints.js';
import { makeQuestion, type QuestionInput } from '../question.js';
import type { AssessmentDraft, MediaHint, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from '../tool.js';
import { attachCaptions } from './captions.js';
import { DATA_FILE, LEGACY_DATA_FILE, readData } from './data-files.js';
import { readQuestion } from './questions.js';
import { dropRepeatedChrome, readSlide, type Asset } from './slides.js';

/*
 * Articulate Storyline HTML5 output. Storyline 360 and 3 write data files, each a
 * `globalProvideData('<kind>', '<JSON in a JavaScript string>')` call: `html5/data/js/data.js`
 * holds scenes, slide order, quizzes and question interactions; one file per slide holds its
 * layers and objects, with text in `textLib[].vartext.blocks[].spans[].text`. Storyline 1 and 2
 * write the same model as XML in (packed) scripts, `mobile/data.js` and `mobile/slides/<id>.js`,
 * read by legacy.ts into the same shape. Nothing is executed.
 */

const idTail = (ref: unknown) => scalarText(ref).split('.').at(-1) ?? '';

/** The slides a question bank's draw shows, by id (`slidedraws[].sliderefs[]`). */
function draws(data: DataObject): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const scene of objects(data.scenes)) {
    for (const draw of objects(scene.slidedraws)) found.set(idTail(draw.id), objects(draw.sliderefs).map((ref) => idTail(ref.id)));
  }
  return found;
}

/**
 * Slides of the story in reading order: scenes (message scenes aside), each question bank draw
 * before the slide it leads to (or at its scene's end), then the rest of the question banks.
 */
function storySlides(data: DataObject): DataObject[] {
  const slides: DataObject[] = [];
  const seen = new Set<string>();
  const banked = new Map<string, DataObject>();
  const add = (slide: DataObject | undefined) => {
    const key = slide ? scalarText(slide.id) || scalarText(slide.html5url) : '';
    if (!slide || !scalarText(slide.html5url) || seen.has(key)) return;
    seen.add(key);
    slides.push(slide);
  };
  const bank = (node: unknown, depth: number) => {
    if (depth > 6) return;
    if (Array.isArray(node)) node.forEach((n) => bank(n, depth + 1));
    else if (node && typeof node === 'object') {
      const o = obj(node);
      if (scalarText(o.kind) === 'slide' && scalarText(o.html5url)) banked.set(scalarText(o.id), o);
      else for (const value of Object.values(o)) bank(value, depth + 1);
    }
  };
  bank(data.slideBank, 0);
  for (const scene of objects(data.scenes)) {
    if (scene.isMessageScene === true || /^MsgScene/.test(scalarText(scene.id))) continue;
    const before = new Map<string, DataObject[]>();
    const atEnd: DataObject[] = [];
    for (const draw of objects(scene.slidedraws)) {
      const drawn = objects(draw.sliderefs)
        .map((ref) => banked.get(idTail(ref.id)))
        .filter((slide): slide is DataObject => slide !== undefined);
      const next = idTail(obj(obj(obj(draw.exitaction).gotoplay).objRef).value);
      const target = objects(scene.slides).some((slide) => scalarText(slide.id) === next) ? before : null;
      if (target) target.set(next, [...(target.get(next) ?? []), ...drawn]);
      else atEnd.push(...drawn);
    }
    for (const slide of objects(scene.slides)) {
      for (const drawnSlide of before.get(scalarText(slide.id)) ?? []) add(drawnSlide);
      add(slide);
    }
    for (const drawnSlide of atEnd) add(drawnSlide);
  }
  for (const bankSlide of banked.values()) add(bankSlide);
  return slides;
}

function slideTitle(raw: unknown): string | null {
  const title = htmlToText(scalarText(raw).replace(/[\r\n\v]+/g, ' '));
  if (!title || /^untitled slide(\s+\d+)?$/i.test(title)) return null;
  // A title that names a file ("images/step3.png") is no title.
  if (/^[^\s]*[/\\]\S*$/.test(title) || /^[\w\s.-]+\.(png|jpe?g|gif|svg|mp[34]|wav|swf|js|html?|xml|pdf)$/i.test(title)) return null;
  return title;
}

const xmlAttribute = (xml: string, element: string, attribute: string): string | null => {
  const tag = new RegExp(`<${element}\\b[^>]*?\\s${attribute}="([^"]*)"`, 'i').exec(xml);
  return tag?.[1] !== undefined ? cleanText(tag[1]) || null : null;
};

async function readMeta(view: PackageView): Promise<string | null> {
  if (!view.has('meta.xml')) return null;
  const xml = await view.text('meta.xml', 1024 * 1024);
  return xml ?? null;
}

async function detect(view: PackageView): Promise<ToolDetection | null> {
  const files = view.files();
  const hasStoryFolder = files.some((f) => f.startsWith('story_content/'));
  const hasData = view.has(DATA_FILE) || (view.has(LEGACY_DATA_FILE) && hasStoryFolder);
  const hasPlayer = view.has('story.html') || view.has('story_html5.html') || view.has('story_flash.html');
  const meta = await readMeta(view);
  const metaSaysStoryline = meta !== null && /<application\b[^>]*name="(Articulate )?Storyline/i.test(meta);
  if (!hasData && !metaSaysStoryline && !hasPlayer && !(hasStoryFolder && meta !== null)) return null;
  let version = meta ? xmlAttribute(meta, 'application', 'version') : null;
  if (!version) {
    for (const launch of ['story.html', 'story_html5.html']) {
      if (!view.has(launch)) continue;
      const html = await view.text(launch, 256 * 1024);
      const found = html ? /<!--\s*version:\s*([\d.]+)\s*-->/i.exec(html) : null;
      if (found?.[1]) {
        version = found[1];
        break;
      }
    }
  }
  return { version };
}

/** The story's data file: Storyline 360's, else the one meta.xml names for HTML5, else Storyline 2's. */
function storyDataFile(view: PackageView, meta: string | null): string {
  if (view.has(DATA_FILE)) return DATA_FILE;
  const named = meta ? xmlAttribute(meta, 'project', 'html5data') : null;
  if (named && view.has(named)) return named;
  return view.has(LEGACY_DATA_FILE) ? LEGACY_DATA_FILE : DATA_FILE;
}

async function extract(view: PackageView): Promise<ToolOutput> {
  const output: ToolOutput = { pages: [], assessments: [], media: [] };
  const meta = await readMeta(view);
  if (meta) {
    output.title = xmlAttribute(meta, 'project', 'title');
    const description = elementsOf(meta, 'description')[0]?.body;
    output.description = description ? cleanText(description) || null : null;
  }
  const dataFile = storyDataFile(view, meta);
  const data = await readData(view, dataFile, 'data');
  if (!data) return output;
  const language = scalarText(data.tincanLanguage);
  output.language = language && language !== 'und' ? language : null;

  const assets = new Map<number, Asset>();
  /** The media each caption file captions, as the asset library links them. */
  const captioned = new Map<string, string>();
  for (const asset of objects(data.assetLib)) {
    const id = jsonNumber(asset.id);
    const duration = jsonNumber(asset.duration);
    const url = scalarText(asset.url);
    if (id !== null && url) assets.set(id, { url, duration: duration && duration > 0 ? duration / 1000 : null });
    if (url && scalarText(asset.captions)) captioned.set(scalarText(asset.captions), url);
  }
  const media = new Map<string, MediaHint>();
  const tabs = new Set<string>();
  const questionsBySlide = new Map<string, { questions: ReturnType<typeof makeQuestion>[]; pageIndex: number; source: string; title: string | null }>();

  for (const entry of storySlides(data)) {
    const url = scalarText(entry.html5url);
    const file = view.resolve(dataFile, path.relative(path.dirname(dataFile), url)) ?? url;
    const slideData = (await readData(view, file, 'slide')) ?? {};
    const title = slideTitle(entry.title) ?? slideTitle(slideData.title);
    const read = readSlide({ ...slideData, width: slideData.width ?? entry.width ?? null, height: slideData.height ?? entry.height ?? null }, assets);
    for (const hint of read.media) addMediaHint(media, hint);
    for (const tab of read.tabs) tabs.add(tab);
    const pageIndex = output.pages.length;
    output.pages.push({ title, kind: 'slide', source: file, blocks: read.blocks });
    const questions = objects(entry.interactions)
      .map((interaction) => readQuestion(interaction, title, read, file))
      .filter((q): q is QuestionInput => q !== null)
      .map(makeQuestion);
    if (questions.length > 0) questionsBySlide.set(scalarText(entry.id), { questions, pageIndex, source: file, title });
  }

  const questionTexts = new Set(
    [...questionsBySlide.values()].flatMap((entry) => entry.questions.flatMap((q) => [q.prompt, ...q.choices.map((c) => c.text), ...q.matches.flatMap((m) => [m.source, m.target])])),
  );
  dropRepeatedChrome(output.pages, questionTexts, tabs);

  // Questions grouped by the quiz that scores them; the rest one assessment per slide.
  const assigned = new Set<string>();
  const drawn = draws(data);
  for (const quiz of objects(data.quizzes)) {
    const slides = objects(quiz.sliderefs)
      .flatMap((ref) => drawn.get(idTail(ref.id)) ?? [idTail(ref.id)])
      .filter((id) => questionsBySlide.has(id) && !assigned.has(id));
    if (slides.length === 0) continue;
    const first = questionsBySlide.get(slides[0] ?? '');
    const assessment: AssessmentDraft = {
      title: normalizeSpace(scalarText(quiz.lmstext)) || null,
      source: first?.source ?? dataFile,
      pageIndex: first?.pageIndex ?? null,
      passingScore: quiz.issurvey === true ? null : jsonNumber(quiz.passPercent),
      questions: [],
    };
    for (const id of slides) {
      assigned.add(id);
      assessment.questions.push(...(questionsBySlide.get(id)?.questions ?? []));
    }
    output.assessments.push(assessment);
  }
  for (const [id, entry] of questionsBySlide) {
    if (assigned.has(id)) continue;
    output.assessments.push({ title: entry.title, source: entry.source, pageIndex: entry.pageIndex, passingScore: null, questions: entry.questions });
  }
  output.assessments.sort((a, b) => (a.pageIndex ?? 0) - (b.pageIndex ?? 0));

  await attachCaptions(view, media, captioned);
  output.media = [...media.values()];
  return output;
}

export const storyline: ToolDecoder = { name: 'Articulate Storyline', detect, extract };

/** A decoder's output with every path moved under `prefix` (for a story embedded in another tool). */
export function prefixOutput(output: ToolOutput, prefix: string): ToolOutput {
  const join = (p: string) => path.join(prefix, p);
  const pages: PageDraft[] = output.pages.map((page) => ({
    ...page,
    source: join(page.source),
    blocks: page.blocks.map((b) => (b.type === 'image' && b.src ? { ...b, src: join(b.src) } : b)),
  }));
  return {
    ...output,
    pages,
    assessments: output.assessments.map((a) => ({
      ...a,
      source: join(a.source),
      questions: a.questions.map((q) => ({ ...q, source: join(q.source) })),
    })),
    media: output.media.map((m) => ({ ...m, path: join(m.path), ...(m.captions ? { captions: m.captions.map(join) } : {}) })),
  };
}
