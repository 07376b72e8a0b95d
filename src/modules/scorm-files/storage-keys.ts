/**
 * Where a package and its results live in storage:
 *
 *   <org-slug>/scorm-files/<file id>/<storage name>                                   the package
 *   <org-slug>/scorm-files/<file id>/content_extractions/<extraction id>/<storage name>.json   its result
 *   …/<storage name>.md, …/<storage name>.index.json                                  its Markdown and index
 *   …/<storage name>.launch.json, …/content/<path in the package>                     what the player serves
 *
 * The storage name comes from the name the user gave, made safe: it cannot leave its folder,
 * cannot be a folder of the layout, and fits a file system's 255-byte names with every suffix.
 */

const RESULTS_FOLDER = 'content_extractions';
/** 255 bytes, less the longest suffix added (`.index.json` and a `.partial` while written). */
const MAX_STORAGE_NAME_BYTES = 200;
const MAX_DISPLAY_NAME_CHARACTERS = 1000;
const FALLBACK_NAME = 'package.zip';

const clean = (raw: string) =>
  (raw.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();

/** The name a user gave, for people to read: its last path segment, without control characters. */
export function displayName(raw: string): string {
  const name = Array.from(clean(raw)).slice(0, MAX_DISPLAY_NAME_CHARACTERS).join('');
  return name === '' || /^\.+$/.test(name) ? FALLBACK_NAME : name;
}

/** Cuts text to at most `max` UTF-8 bytes, at a character boundary. */
function cutToBytes(text: string, max: number): string {
  let bytes = 0;
  let out = '';
  for (const character of text) {
    bytes += Buffer.byteLength(character);
    if (bytes > max) break;
    out += character;
  }
  return out;
}

/** The last segment of the package's storage key, derived from its display name. */
export function storageName(name: string): string {
  const safe = clean(name).replace(/^\.+/, '');
  if (safe === '') return FALLBACK_NAME;
  const dot = safe.lastIndexOf('.');
  const extension = dot > 0 && Buffer.byteLength(safe.slice(dot)) <= 16 ? safe.slice(dot) : '';
  const base = extension ? safe.slice(0, dot) : safe;
  const fitted = `${cutToBytes(base, MAX_STORAGE_NAME_BYTES - Buffer.byteLength(extension)).trim()}${extension}`;
  // A package named like the results folder would sit where that folder must be.
  return fitted.toLowerCase() === RESULTS_FOLDER ? `${fitted}_` : fitted;
}

export const packageKey = (organizationSlug: string, scormFileId: number, name: string): string =>
  `${organizationSlug}/scorm-files/${scormFileId}/${name}`;

export interface ResultKeys {
  json: string;
  markdown: string;
  index: string;
  plan: string;
  /** The folder of the package's files, unpacked: `<content>/<path>`. */
  content: string;
}

/** Where extraction `extractionId` of the package at `packageStorageKey` keeps its result. */
export function resultKeys(packageStorageKey: string, extractionId: number): ResultKeys {
  const slash = packageStorageKey.lastIndexOf('/');
  return resultKeysOf(`${packageStorageKey.slice(0, slash)}/${RESULTS_FOLDER}/${extractionId}/${packageStorageKey.slice(slash + 1)}.json`);
}

/** The keys beside a stored result JSON (`final_output_path`). */
export function resultKeysOf(jsonKey: string): ResultKeys {
  const stem = jsonKey.replace(/\.json$/, '');
  const folder = jsonKey.slice(0, jsonKey.lastIndexOf('/'));
  return { json: jsonKey, markdown: `${stem}.md`, index: `${stem}.index.json`, plan: `${stem}.launch.json`, content: `${folder}/content` };
}
