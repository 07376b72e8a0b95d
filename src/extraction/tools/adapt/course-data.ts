import { asArray, isObject, obj, parseJson, str, type DataObject, type DataValue } from '../../content/data-values.js';
import type { PackageView } from '../../source/package-view.js';

const TRADITIONAL_FILES = ['course', 'contentObjects', 'articles', 'blocks', 'components'];
const TYPE_BY_FILE: Record<string, string> = {
  course: 'course',
  contentobjects: 'page',
  articles: 'article',
  blocks: 'block',
  components: 'component',
};

export interface Layout {
  /** Folder holding the course data, e.g. `course/`. */
  courseDir: string;
  /** Language folders found (`en`), or [''] when the data sits directly in the course folder. */
  languages: string[];
}

export interface Model {
  id: string;
  type: string;
  parentId: string | null;
  data: DataObject;
  file: string;
  order: number;
}

export function findLayout(view: PackageView): Layout | null {
  if (!view.files().some((f) => f.startsWith('adapt/js/'))) return null;
  return courseLayout(view);
}

/** The course folder and its language folders, for any player that reads Adapt's course data. */
export function courseLayout(view: PackageView): Layout | null {
  const languages = new Set<string>();
  let flat = false;
  for (const file of view.files()) {
    const m = /^course\/(?:([^/]+)\/)?(course|contentObjects|language_data_manifest)\.[a-z]+$/i.exec(file);
    if (!m) continue;
    if (m[1] === undefined) flat = true;
    else languages.add(m[1]);
  }
  if (languages.size === 0 && !flat) return null;
  return { courseDir: 'course/', languages: languages.size > 0 ? [...languages].sort() : [''] };
}

/**
 * Evolve (an authoring tool built on Adapt's data model) publishes the same course folder with a
 * player of its own instead of `adapt/js/`; its `course/config.json` carries `_evolveVersion` (a
 * data format number such as 8200) and, in newer builds, the release as `version` ("8.3.5").
 * The release when written, else '' for Evolve; null for no Evolve.
 */
export async function readEvolveVersion(view: PackageView): Promise<string | null> {
  if (!view.has('course/config.json')) return null;
  const config = obj(await view.json<DataValue>('course/config.json'));
  if (!('_evolveVersion' in config)) return null;
  return /^\d+(\.\d+)+$/.test(str(config.version)) ? str(config.version) : '';
}

interface BuildInfo {
  version: string | null;
  jsonext: string | null;
}

export async function readBuild(view: PackageView): Promise<BuildInfo> {
  for (const file of ['adapt/js/build.min.js', 'adapt/js/build.js']) {
    if (!view.has(file)) continue;
    const text = (await view.text(file, 1024 * 1024)) ?? '';
    const parsed = parseJson(text);
    if (parsed === undefined) {
      // Some builds wrap the object in script; read the two fields we need by pattern.
      const version = /"name"\s*:\s*"adapt_framework"[^}]*?"version"\s*:\s*"([^"]+)"/.exec(text)?.[1] ?? null;
      const jsonext = /"jsonext"\s*:\s*"([a-z]+)"/i.exec(text)?.[1] ?? null;
      return { version, jsonext };
    }
    const data = obj(parsed);
    const pkg = obj(data.package);
    return { version: str(pkg.version) || null, jsonext: str(data.jsonext) || null };
  }
  return { version: null, jsonext: null };
}

export async function readConfig(view: PackageView, layout: Layout, ext: string): Promise<DataObject> {
  for (const file of [`${layout.courseDir}config.${ext}`, `${layout.courseDir}config.json`]) {
    if (view.has(file)) return obj(await view.json<DataValue>(file));
  }
  return {};
}

/**
 * The language the course opens in: config's `_defaultLanguage` when the course has it; otherwise
 * the one language folder holding a whole course (a build may keep a stray `en` folder with only
 * a course.json beside the real one), English when several do.
 */
export function pickLanguage(view: PackageView, layout: Layout, config: DataObject): string {
  const preferred = str(config._defaultLanguage);
  if (preferred && layout.languages.includes(preferred)) return preferred;
  const complete = layout.languages.filter((language) => {
    const folder = language ? `${layout.courseDir}${language}/` : layout.courseDir;
    return view.has(`${folder}language_data_manifest.js`) || view.files().some((f) => f.startsWith(`${folder}components.`));
  });
  const candidates = complete.length > 0 ? complete : layout.languages;
  if (candidates.length === 1) return candidates[0] ?? '';
  return candidates.find((l) => l === 'en') ?? candidates[0] ?? '';
}

export async function loadModels(view: PackageView, folder: string, ext: string): Promise<Model[]> {
  const manifestFile = `${folder}language_data_manifest.js`;
  let manifest = view.has(manifestFile)
    ? asArray(parseJson((await view.text(manifestFile, 1024 * 1024)) ?? '')).filter((f): f is string => typeof f === 'string')
    : [];
  if (manifest.length === 0) {
    manifest = TRADITIONAL_FILES.map((name) => `${name}.${ext}`).filter((f) => view.has(folder + f));
    if (manifest.length === 0) manifest = TRADITIONAL_FILES.map((name) => `${name}.json`).filter((f) => view.has(folder + f));
  }
  const models: Model[] = [];
  for (const name of manifest) {
    if (/^assets\./i.test(name) || /\.js$/i.test(name)) continue;
    const file = folder + name;
    if (!view.has(file)) {
      view.warn('adapt_file_missing', `${file} is listed by the Adapt language manifest but absent`, file);
      continue;
    }
    const data = await view.json<DataValue>(file);
    if (data === undefined) continue;
    const base = name.replace(/\.[^.]+$/, '').toLowerCase();
    for (const entry of Array.isArray(data) ? data : [data]) {
      if (!isObject(entry)) continue;
      const type = str(entry._type) || TYPE_BY_FILE[base] || (entry._component !== undefined ? 'component' : '');
      if (!type) continue;
      const id = str(entry._id) || (type === 'course' ? 'course' : `${base}-${models.length}`);
      models.push({ id, type, parentId: str(entry._parentId) || null, data: entry, file, order: models.length });
    }
  }
  return models;
}
