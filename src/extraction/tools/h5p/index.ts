import { tidyBlocks } from '../../content/blocks.js';
import { asArray, isObject, obj, str, type DataObject, type DataValue } from '../../content/data-values.js';
import type { PackageView } from '../../source/package-view.js';
import type { AssessmentDraft, PageDraft, ToolDecoder, ToolDetection, ToolOutput } from '../tool.js';
import { newSink, toText, type Sink } from './params.js';
import { Walker } from './walker.js';

/*
 * An H5P package (often wrapped for SCORM by h5p-standalone / Lumi) has `h5p.json` (title,
 * mainLibrary, dependencies) and `content/content.json`, the params of the main library. Params nest
 * other content types as `{library: "H5P.Name 1.2", params, subContentId, metadata}`. Known content
 * types are read field by field; any other is walked generically, guided by the library's
 * semantics.json when the package ships it (fields marked `common` are the player's UI strings).
 */

interface Layout {
  /** Folder of h5p.json ('' or e.g. 'workspace/'). */
  root: string;
  contentJson: string;
}

function findLayout(view: PackageView): Layout | null {
  let best: Layout | null = null;
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

export const h5p: ToolDecoder = {
  name: 'H5P',

  async detect(view: PackageView): Promise<ToolDetection | null> {
    const layout = findLayout(view);
    if (!layout) return null;
    const meta = obj(await view.json<DataValue>(`${layout.root}h5p.json`));
    return { version: libraryWithVersion(meta) };
  },

  async extract(view: PackageView): Promise<ToolOutput> {
    const layout = findLayout(view);
    const empty: ToolOutput = { pages: [], assessments: [], media: [] };
    if (!layout) return empty;
    const meta = obj(await view.json<DataValue>(`${layout.root}h5p.json`));
    const content = await view.json<DataValue>(layout.contentJson);
    if (!isObject(content)) return empty;
    const main = str(meta.mainLibrary);
    const title = toText(meta.title) || null;
    const walker = new Walker(view, layout.contentJson);
    await walker.preloadSemantics(content, libraryWithVersion(meta));
    const itemId = view.items.length === 1 ? (view.items[0]?.identifier ?? null) : null;

    const drafts: { title: string | null; kind: PageDraft['kind']; sink: Sink }[] = [];
    if (main === 'H5P.CoursePresentation') {
      for (const slide of asArray(obj(content.presentation).slides).filter(isObject)) {
        const sink = newSink();
        walker.slide(slide, sink);
        const keyword = toText(obj(asArray(slide.keywords)[0]).main);
        const heading = sink.blocks.find((b) => b.type === 'heading');
        drafts.push({ title: keyword || (heading?.type === 'heading' ? heading.text : null), kind: 'slide', sink });
      }
    } else if (main === 'H5P.InteractiveBook') {
      const cover = newSink();
      walker.bookCover(content, cover);
      for (const [index, chapter] of asArray(content.chapters).entries()) {
        const sink = index === 0 ? cover : newSink();
        walker.node(chapter, sink);
        drafts.push({ title: toText(obj(obj(chapter).metadata).title) || null, kind: 'page', sink });
      }
    } else {
      const sink = newSink();
      walker.node({ library: libraryWithVersion(meta) ?? main, params: content }, sink);
      drafts.push({ title, kind: 'page', sink });
    }

    const pages: PageDraft[] = [];
    const assessments: AssessmentDraft[] = [];
    for (const draft of drafts) {
      const pageIndex = pages.length;
      pages.push({ title: draft.title, kind: draft.kind, source: layout.contentJson, itemId, blocks: tidyBlocks(draft.sink.blocks) });
      if (draft.sink.questions.length > 0) {
        assessments.push({
          title: draft.title ?? title,
          source: layout.contentJson,
          itemId,
          pageIndex,
          passingScore: draft.sink.passingScore,
          questions: draft.sink.questions,
        });
      }
    }
    const language = [str(meta.language), str(meta.defaultLanguage)].find((l) => l && l !== 'und') ?? null;
    return { title, language, pages, assessments, media: [...walker.media.values()] };
  },
};

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

