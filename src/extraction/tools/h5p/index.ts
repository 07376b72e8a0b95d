import { tidyBlocks } from '../../content/blocks.js';
import { asArray, isObject, obj, parseJson, str, type DataObject, type DataValue } from '../../content/data-values.js';
import { parseJsLiteral } from '../../content/js-literals.js';
import type { Block } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';
import type { AssessmentDraft, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from '../tool.js';
import { authoredTitle, newSink, toText, type Sink } from './params.js';
import { Walker } from './walker.js';

/*
 * An H5P package (often wrapped for SCORM by h5p-standalone / Lumi) has `h5p.json` (title,
 * mainLibrary, dependencies) and `content/content.json`, the params of the main library. Params nest
 * other content types as `{library: "H5P.Name 1.2", params, subContentId, metadata}`. Known content
 * types are read field by field; any other is walked generically, guided by the library's
 * semantics.json when the package ships it (fields marked `common` are the player's UI strings).
 * Single-file exports and saved pages carry the same params inline, in `H5PIntegration`.
 */

/** One piece of H5P content: the params of its main library, and where they were found. */
interface H5pContent {
  /** The file the params come from; media paths are relative to it. */
  source: string;
  title: string | null;
  /** "H5P.CoursePresentation 1.25", the bare machine name, or null when h5p.json names none. */
  library: string | null;
  language: string | null;
  params: DataObject;
}

/** The root-most `h5p.json` with its `content/content.json` (unzipped .h5p, h5p-standalone). */
function findLayout(view: PackageView): { root: string; contentJson: string } | null {
  let best: { root: string; contentJson: string } | null = null;
  for (const file of view.files()) {
    const m = /^((?:[^/]+\/){0,2})h5p\.json$/.exec(file);
    if (!m) continue;
    const root = m[1] ?? '';
    const contentJson = `${root}content/content.json`;
    if (!view.has(contentJson)) continue;
    if (!best || root.length < best.root.length) best = { root, contentJson };
  }
  return best;
}

async function packagedContent(view: PackageView): Promise<H5pContent[]> {
  const layout = findLayout(view);
  if (!layout) return [];
  const meta = obj(await view.json<DataValue>(`${layout.root}h5p.json`));
  const params = await view.json<DataValue>(layout.contentJson);
  if (!isObject(params)) return [];
  const library = libraryWithVersion(meta);
  const language = [str(meta.language), str(meta.defaultLanguage)].find((l) => l && l !== 'und') ?? null;
  return [{ source: layout.contentJson, title: authoredTitle(meta.title) || null, library, language, params }];
}

const INTEGRATION = /\bH5PIntegration\s*=\s*(?=\{)/;
/** Pages that may carry the content inline: the HTML files at the root or one folder down. */
const INLINE_PAGE = /^(?:[^/]+\/)?[^/]+\.html?$/i;

/**
 * Content written into a page as `H5PIntegration = {…, contents: {"cid-1": {library, jsonContent}}}`
 * (single-file exports, SCORM wrappers, saved pages of a site): `jsonContent` is the params as a
 * JSON string inside the object.
 */
async function inlineContent(view: PackageView): Promise<H5pContent[]> {
  const found: H5pContent[] = [];
  for (const file of view.files().filter((f) => INLINE_PAGE.test(f))) {
    const html = await view.text(file);
    const match = html === undefined ? null : INTEGRATION.exec(html);
    if (!html || !match) continue;
    const integration = parseJsLiteral(html, match.index + match[0].length)?.value;
    for (const entry of Object.values(obj(obj(integration).contents)).filter(isObject)) {
      const params = typeof entry.jsonContent === 'string' ? parseJson(entry.jsonContent) : undefined;
      const library = str(entry.library);
      if (!isObject(params) || !library) continue;
      const title = authoredTitle(obj(entry.metadata).title) || authoredTitle(entry.title) || null;
      found.push({ source: file, title, library, language: str(obj(entry.metadata).defaultLanguage) || null, params });
    }
  }
  return found;
}

/** Read once per package: detection and extraction both need it, and it reads every root page. */
const contentByView = new WeakMap<PackageView, Promise<H5pContent[]>>();

/** The package's H5P content: from its h5p.json, else inline in its pages. */
function contentOf(view: PackageView): Promise<H5pContent[]> {
  let content = contentByView.get(view);
  if (!content) {
    content = packagedContent(view).then((packaged) => (packaged.length > 0 ? packaged : inlineContent(view)));
    contentByView.set(view, content);
  }
  return content;
}

export const h5p: ToolDecoder = {
  name: 'H5P',

  async detect(view: PackageView): Promise<ToolDetection | null> {
    const [first] = await contentOf(view);
    return first ? { version: first.library } : null;
  },

  async extract(view: PackageView): Promise<ToolOutput> {
    const contents = await contentOf(view);
    const itemId = view.items.length === 1 ? (view.items[0]?.identifier ?? null) : null;
    const pages: PageDraft[] = [];
    const assessments: AssessmentDraft[] = [];
    const media = new Map<string, ToolOutput['media'][number]>();
    for (const content of contents) {
      const walker = new Walker(view, content.source);
      await walker.preloadSemantics(content.params, content.library);
      for (const draft of draftsOf(walker, content)) {
        const pageIndex = pages.length;
        const { title, blocks } = titled(draft.title, tidyBlocks(draft.sink.blocks));
        pages.push({ title, kind: draft.kind, source: content.source, itemId, blocks });
        const { questions, drawn } = draft.sink;
        if (questions.length > 0) {
          const name = title ?? content.title;
          assessments.push({
            title: name,
            questionsPerAttempt: drawn,
            source: content.source,
            itemId,
            pageIndex,
            passingScore: draft.sink.passingScore,
            questions,
          });
        }
      }
      for (const [path, hint] of walker.media) media.set(path, hint);
    }
    const [first] = contents;
    return { title: first?.title ?? null, language: first?.language ?? null, pages, assessments, media: [...media.values()] };
  },
};

/**
 * A page's title and blocks: a title the blocks open with is not repeated as their first heading;
 * a page without one takes its first heading.
 */
function titled(title: string | null, blocks: Block[]): { title: string | null; blocks: Block[] } {
  const first = blocks[0];
  const heading = first?.type === 'heading' ? first.text : null;
  if (heading !== null && (title === null || heading === title)) return { title: heading, blocks: blocks.slice(1) };
  return { title, blocks };
}

/** The pages of one piece of content: a slide per presentation slide, a page per book chapter, else one. */
function draftsOf(walker: Walker, content: H5pContent): { title: string | null; kind: PageDraft['kind']; sink: Sink }[] {
  const { params } = content;
  const main = content.library?.split(' ')[0];
  const drafts: { title: string | null; kind: PageDraft['kind']; sink: Sink }[] = [];
  if (main === 'H5P.CoursePresentation') {
    for (const slide of asArray(obj(params.presentation).slides).filter(isObject)) {
      const sink = newSink();
      walker.slide(slide, sink);
      const keyword = toText(obj(asArray(slide.keywords)[0]).main);
      const heading = sink.blocks.find((b) => b.type === 'heading');
      drafts.push({ title: keyword || (heading?.type === 'heading' ? heading.text : null), kind: 'slide', sink });
    }
  } else if (main === 'H5P.InteractiveBook') {
    const cover = newSink();
    walker.bookCover(params, cover);
    for (const [index, chapter] of asArray(params.chapters).entries()) {
      const sink = index === 0 ? cover : newSink();
      walker.node(chapter, sink);
      drafts.push({ title: toText(obj(obj(chapter).metadata).title) || null, kind: 'page', sink });
    }
  } else {
    const sink = newSink();
    walker.node({ library: content.library ?? '', params }, sink);
    drafts.push({ title: content.title, kind: 'page', sink });
  }
  return drafts;
}

/** "H5P.CoursePresentation 1.25": the content type that makes the package, with its version. */
function libraryWithVersion(meta: DataObject): string | null {
  const main = str(meta.mainLibrary);
  if (!main) return null;
  const dependency = asArray(meta.preloadedDependencies)
    .filter(isObject)
    .find((d) => str(d.machineName) === main);
  if (!dependency) return main;
  return `${main} ${String(dependency.majorVersion ?? '')}.${String(dependency.minorVersion ?? '')}`;
}

