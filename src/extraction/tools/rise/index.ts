import { obj, objects, scalarText } from '../../content/data-values.js';
import { htmlToText } from '../../content/html.js';
import type { PackageView } from '../../source/package-view.js';
import type { ToolDecoder, ToolDetection, ToolOutput } from '../tool.js';
import { loadCourse } from './course-data.js';
import { RiseReader } from './reader.js';

/*
 * Articulate Rise 360. The whole course is one base64 JSON document the player decodes at start:
 * `__resolveJsonp("course:<locale>", "<b64>")` in locales/*.js, `window.courseData = "<b64>"` in
 * index.html (or runtime-data.js), or `deserialize("<b64>")`. Decoded, it is
 * `{ course: { title, description, lessons: [{ type: blocks | quiz | section, items }] } }`, each
 * block identified by family/type/variant; the first Rise's lesson types (map, process, timeline,
 * sorting, video, embed) hold one interactive's items. The cover page shows the title and
 * description. Media live in `assets/` under their `key`.
 */

/** Folders a Rise export keeps its player in: the view itself, or `scormcontent/` (or alike). */
function riseRoot(view: PackageView): string | null {
  const files = view.files();
  const tops = [...new Set(files.filter((f) => f.includes('/')).map((f) => `${f.slice(0, f.indexOf('/'))}/`))];
  const roots = ['', 'scormcontent/', ...tops.filter((t) => t !== 'scormcontent/')];
  for (const root of roots) {
    const under = files.filter((f) => f.startsWith(root)).map((f) => f.slice(root.length));
    if (root === 'scormcontent/' && (under.includes('index.html') || under.some((f) => f.startsWith('lib/')))) return root;
    const riseLib =
      under.some((f) => f.startsWith('lib/rise/')) ||
      (under.includes('runtime-data.js') && under.some((f) => f.startsWith('assets/') || f.startsWith('lib/'))) ||
      (under.includes('index.html') &&
        (under.includes('lib/lzwcompress.js') ||
          under.some((f) => /^lib\/player-[\d.]+(\.min)?\.js$/.test(f)) ||
          (under.includes('lib/main.bundle.js') && under.some((f) => /^(lib\/)?locales\/[^/]+\.js$/.test(f)))));
    if (riseLib) return root;
  }
  return null;
}

async function detect(view: PackageView): Promise<ToolDetection | null> {
  return riseRoot(view) === null ? null : { version: null };
}

async function extract(view: PackageView): Promise<ToolOutput> {
  const root = riseRoot(view) ?? '';
  const loaded = await loadCourse(view, root);
  if (!loaded) {
    view.warn('rise_course_data_missing', 'The Rise course data (base64 JSON) was not found or could not be decoded.');
    return { pages: [], assessments: [], media: [] };
  }
  const { course, data, file } = loaded;
  const title = htmlToText(scalarText(course.title)) || null;
  const reader = new RiseReader(view, root, file);
  reader.coverImage(obj(course.coverImage).media);
  // A one-page course opens on its lesson, without a cover page.
  if (scalarText(course.type) !== 'onePage') reader.cover(title, course.description);
  for (const lesson of objects(course.lessons)) await reader.lesson(lesson, title);
  await reader.unreferencedStories();
  const language = scalarText(course.locale) || scalarText(obj(data.labelSet).iso639Code) || scalarText(obj(course.labelSet).iso639Code);
  return {
    title,
    description: htmlToText(scalarText(course.description)) || null,
    language: language || null,
    pages: reader.pages,
    assessments: reader.assessments,
    media: reader.mediaHints(),
  };
}

export const rise: ToolDecoder = { name: 'Articulate Rise 360', detect, extract };
