import { asArray, isObject, obj, str, type DataObject, type DataValue } from '../../content/data-values.js';
import type { PackageView } from '../../source/package-view.js';
import { TEMPLATED, toText, type Sink } from './params.js';
import type { Walker } from './walker.js';

/*
 * Content types this decoder does not know are walked generically: guided by the library's
 * semantics.json when the package ships it (fields marked `common` are the player's UI strings),
 * otherwise by the shape of their params.
 */

export interface SemanticField {
  name?: string;
  type?: string;
  widget?: string;
  common?: boolean;
  fields?: SemanticField[];
  field?: SemanticField;
}

/** The semantics.json files the package ships, by library ("H5P.Foo 1.2"), read before the walk. */
export class LibrarySemantics {
  private readonly files = new Map<string, string>();
  private readonly loaded = new Map<string, SemanticField[] | null>();

  constructor(private readonly view: PackageView) {
    for (const file of view.files()) {
      const m = /(?:^|\/)([A-Za-z0-9._]+)-(\d+)\.(\d+)\/semantics\.json$/.exec(file);
      if (m) this.files.set(`${m[1]} ${m[2]}.${m[3]}`, file);
    }
  }

  async load(libraries: string[]): Promise<void> {
    for (const library of libraries) {
      const file = this.files.get(library);
      if (!file) continue;
      const parsed = await this.view.json<DataValue>(file);
      this.loaded.set(library, Array.isArray(parsed) ? (parsed.filter(isObject) as SemanticField[]) : null);
    }
  }

  /** A library's fields, when loaded; a library without them is walked by shape. */
  fields(library: string): SemanticField[] | null {
    return this.loaded.get(library) ?? null;
  }
}

/** The content types the params use, `main` first. */
export function librariesUsed(content: DataValue, main: string | null): string[] {
  const libraries = new Set<string>(main ? [main] : []);
  const collect = (value: DataValue | undefined) => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (isObject(value)) {
      if (typeof value.library === 'string' && isObject(value.params)) libraries.add(value.library);
      Object.values(value).forEach(collect);
    }
  };
  collect(content);
  return [...libraries];
}

/** An unknown content type: its semantics when shipped, otherwise the shape of its params. */
export function walkUnknown(walker: Walker, library: string, params: DataObject, sink: Sink): void {
  const fields = walker.semantics.fields(library);
  if (fields) bySemantics(walker, fields, params, sink);
  else byShape(walker, params, '', sink);
}

function bySemantics(walker: Walker, fields: SemanticField[], value: DataObject, sink: Sink): void {
  const alt = altOf(value);
  for (const field of titleFirst(fields, (f) => f.name ?? '')) {
    const name = field.name ?? '';
    if (field.common || UI_SUBTREE.test(name) || ALT_KEY.test(name)) continue;
    if (field.type === 'image') walker.image(sink, value[name], alt);
    else bySemanticField(walker, field, value[name], sink);
  }
}

function bySemanticField(walker: Walker, field: SemanticField, value: DataValue | undefined, sink: Sink): void {
  if (value === undefined || value === null) return;
  const name = field.name ?? '';
  switch (field.type) {
    case 'text':
      if (field.widget === 'html') walker.html(sink, value);
      else paramText(walker, sink, name, value);
      return;
    case 'group': {
      const children = field.fields ?? [];
      // H5P stores a group of one field as that field's value.
      if (children.length === 1 && children[0]) bySemanticField(walker, { ...children[0], name }, value, sink);
      else bySemantics(walker, children, obj(value), sink);
      return;
    }
    case 'list':
      if (field.field) for (const entry of asArray(value)) bySemanticField(walker, { ...field.field, name: field.field.name ?? name }, entry, sink);
      return;
    case 'library':
      walker.node(value, sink);
      return;
    case 'image':
      walker.image(sink, value, '');
      return;
    case 'video':
    case 'audio':
    case 'file':
      for (const file of Array.isArray(value) ? value : [value]) walker.addMedia(str(obj(file).path));
      return;
    default:
      return;
  }
}

/** A string of params that is not known to be HTML: markup, a title, authored prose, or a UI string. */
function paramText(walker: Walker, sink: Sink, key: string, value: DataValue | undefined): void {
  const raw = str(value);
  if (!raw.trim() || UI_KEY.test(key) || TEMPLATED.test(raw)) return;
  if (HTML_MARKUP.test(raw)) walker.html(sink, raw);
  else if (TITLE_KEY.test(key)) walker.heading(sink, raw, 3);
  else if (CONTENT_KEY.test(key)) walker.paragraph(sink, raw);
}

function byShape(walker: Walker, value: DataValue | undefined, key: string, sink: Sink): void {
  if (typeof value === 'string') {
    paramText(walker, sink, key, value);
    return;
  }
  if (Array.isArray(value)) {
    for (const entry of value) byShape(walker, entry, key, sink);
    return;
  }
  if (!isObject(value)) return;
  if (typeof value.library === 'string' && isObject(value.params)) {
    walker.node(value, sink);
    return;
  }
  if (typeof value.path === 'string') {
    const mime = str(value.mime);
    if (mime.startsWith('image/') || /\.(png|jpe?g|gif|svg|webp)$/i.test(value.path)) walker.image(sink, value, toText(value.alt));
    else walker.addMedia(value.path);
    return;
  }
  const alt = altOf(value);
  for (const [childKey, child] of titleFirst(Object.entries(value), ([k]) => k)) {
    if (UI_SUBTREE.test(childKey) || ALT_KEY.test(childKey) || childKey === 'subContentId') continue;
    if (isObject(child) && typeof child.path === 'string' && alt) walker.image(sink, child, alt);
    else byShape(walker, child, childKey, sink);
  }
}

/** Keys of UI strings and settings; never walked for learner text. */
const UI_SUBTREE = /^(l10n|ui|i18n|texts|a11y|behaviou?r|override|metadata|copyright|confirm\w*|uiElements|labels|translations?|localization|buttons?|settings?|scoreBar|endGame|successScreenOptions)$/i;
const UI_KEY =
  /(Label|Button|Text$)|^(aria|a11y|check|submit|retry|tryAgain|show|hide|next|prev|previous|close|cancel|confirm|continue|finish|restart|reset|play|pause|mute|unmute|fullscreen|exit|score|correct|incorrect|wrong|missed|solution|progress|round|cards?Left|slide|current|total|loading|no[A-Z]|error|placeholder|contentName|expandImage|minimizeImage|audioNotSupported|empty|contains|dropZoneIndex|grabbed|cancelled|feedbackHeader|resetDrop|tip$)/;
/** Keys of authored text in params; answers are left out (a crossword's solutions are not read before solving). */
const CONTENT_KEY =
  /^(text|title|question|description|introduction|intro|taskDescription|header|headline|heading|caption|summary|statement|body|subtitle|content|clue|notes?)$|.(Title|Subtitle|Description|Question|Heading|Header|Headline|Introduction|Caption)$/;
const TITLE_KEY = /^(title|header|heading|headline)$|.(Title|Header|Heading|Headline)$/;
const HTML_MARKUP = /<(p|h[1-6]|ul|ol|li|div|strong|em|b|i|u|span|br|table|blockquote|a)\b/i;

/** Alt text sits beside the file it describes: `alt`, `imageAlt`, `backgroundImageAltText`... */
const ALT_KEY = /^alt$|Alt(Text)?$|^altText$/;
const altOf = (value: DataObject): string =>
  Object.entries(value)
    .filter(([k, v]) => ALT_KEY.test(k) && typeof v === 'string')
    .map(([, v]) => toText(v))
    .find(Boolean) ?? '';

/** Titles before what they title (semantics often list a hotspot's header after its content). */
function titleFirst<T>(entries: T[], key: (entry: T) => string): T[] {
  return [...entries.filter((e) => TITLE_KEY.test(key(e))), ...entries.filter((e) => !TITLE_KEY.test(key(e)))];
}
