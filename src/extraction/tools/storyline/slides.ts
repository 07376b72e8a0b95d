import { tidyBlocks } from '../../content/blocks.js';
import { jsonNumber, obj, objects, scalarText, type DataObject } from '../../content/data-values.js';
import { htmlToBlocks, htmlToText } from '../../content/html.js';
import { decodeHTML } from 'entities';
import { hasLetters, isPlaceholderText, isPlayerPrompt, isSentenceLike, normalizeSpace, wordCount } from '../../content/text.js';
import type { Block } from '../../result/extraction-result.js';
import type { MediaHint, PageDraft } from '../tool.js';

/** Where a variable's value shows: marked, to tell a score line from a sentence around a name. */
const VARIABLE = '\u0001';

/**
 * Storyline text may show variables: `%Results.ScorePercent%` (360), `&_player.Score;` (1 and 2,
 * any `&name;` that is no HTML entity, also when the HTML escaped it as `&amp;name;`). Their values are
 * not course text.
 */
const stripVariables = (text: string) =>
  text
    .replace(/\^%\^/g, '\u0000')
    .replace(/%[A-Za-z_#$][\w.#$]*%/g, ` ${VARIABLE} `)
    .replace(/&(?:amp;)?([A-Za-z_][\w.#$]*;)/g, (whole, name: string) => (decodeHTML(`&${name}`) === `&${name}` ? ` ${VARIABLE} ` : whole))
    .replace(/\u0000/g, '%');

/** A line without its variables; none at all when what is left labels a value ("Score: %"). */
function withoutVariables(text: string): string {
  if (!text.includes(VARIABLE)) return text;
  const rest = normalizeSpace(text.replaceAll(VARIABLE, ' '));
  return wordCount(rest) >= 3 ? rest : '';
}

/** The smallest side of a button that is a card to tap, not a navigation button (slide pixels). */
const CARD_SIZE = 150;

/** Labels a player or navigation button carries; never course text on their own. */
const CHROME_LABEL =
  /^(prev(ious)?|next|back|submit( all)?|continue|ok|okay|close|retry( quiz)?|try again|review( quiz)?|menu|resources|glossary|notes|exit( course)?|finish|play|pause|replay|restart|start|begin|resume|yes|no|cancel|skip|print results|home|(click|tap) (here|to continue))[.!]?$/i;

/** A template's numbered stand-in for a label the author did not write ("Tab 2", "Button 3"). */
const PLACEHOLDER_LABEL = /^(tab|button|label|item|option|choice|text)\s*\d+$/i;

const isChromeLabel = (text: string) => {
  const line = normalizeSpace(text);
  return CHROME_LABEL.test(line) || isPlayerPrompt(line) || isPlaceholderText(line) || PLACEHOLDER_LABEL.test(line);
};

/**
 * Alt text worth keeping: not a file name ("Frame 78.png"), not a default object name
 * ("Rectangle 1", "Picture 32", "Прямоугольник 3"), and reading like words.
 */
export function meaningfulAlt(alt: string): string | null {
  const text = normalizeSpace(alt.replace(/\\[rn]/g, ' '));
  return text && !isDefaultName(text) && isSentenceLike(text) ? text : null;
}

/**
 * What an alt text calls a picture, for a choice made of pictures: one word is enough ("Pizza"),
 * a file name or a default object name is not.
 */
function pictureName(alt: string): string | null {
  const text = normalizeSpace(alt.replace(/\\[rn]/g, ' '));
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  return letters >= 2 && letters / text.length >= 0.5 && !isDefaultName(text) ? text : null;
}

/** A name Storyline gives an object by itself ("Rectangle 1", "Picture 3", "image4.png"). */
export function isDefaultName(text: string): boolean {
  // A file name, not a file extension on its own (".png", a drag item of a quiz on file types).
  return (
    /[^\s.]\.[a-z0-9]{2,4}$/i.test(text) ||
    /^[\w\s-]+\.(png|jpe?g|gif|svg|mp[34]|wav|webp)\b/i.test(text) ||
    (/^\S+(\s+\S+){0,2}\s+\d+$/u.test(text) && wordCount(text) <= 4) ||
    (/^(image|picture|photo|graphic|video|audio|shape|group|text ?box|untitled)\b/i.test(text) && wordCount(text) <= 3) ||
    OBJECT_NAME.test(text)
  );
}

/** The name of a kind of object, as Storyline numbers it ("Rectangle 1", "Text Box 4"). */
const OBJECT_NAME =
  /^((rounded |snip |round )?rectangle|square|oval|circle|ellipse|triangle|freeform|line|(straight |elbow |curved )?(arrow )?connector|arrow|star|callout|caption|marker|(freeform |rectangular |oval )?hotspot|button|icon|(content |text )?placeholder|text ?box|picture|image|shape|group)s?(\s+\d+)*$/i;

/**
 * The text of an object Storyline 3 (up to 3.11) published as vector glyphs only: the words are
 * in the object's alt text, which is the visible text unless the author changed it, one line each.
 */
function vectorTextParagraphs(o: DataObject): Paragraph[] {
  // A literal percent sign is written ^%^, as in the text itself.
  const alt = scalarText(obj(obj(o.data).vectorData).altText).replace(/\^%\^/g, '%');
  return alt
    .split(/\r?\n|\\[rn]/)
    .map((line) => normalizeSpace(line))
    // A visible line may read "Step 1" or ".png": only names of kinds of objects and file names are left out.
    .filter((line) => line && !OBJECT_NAME.test(line) && !/[^\s.]\.(png|jpe?g|gif|svg|mp[34]|wav|webp)$/i.test(line))
    .map((text) => ({ text, list: 'none', heading: null }));
}

interface Paragraph {
  text: string;
  list: 'none' | 'ordered' | 'unordered';
  heading: number | null;
}

/** Paragraphs of one `vartext`: blocks end with `\n`, `\r` and `\v` break lines inside one. */
function vartextParagraphs(vartext: DataObject): Paragraph[] {
  const defaults = obj(vartext.defaultBlockStyle);
  const paragraphs: Paragraph[] = [];
  for (const block of objects(vartext.blocks)) {
    const style = obj(block.style);
    const listType = scalarText(obj(style.listStyle).listType) || scalarText(obj(defaults.listStyle).listType) || 'none';
    const list: Paragraph['list'] =
      listType === 'none' ? 'none' : /num|arabic|roman|alpha|letter/i.test(listType) ? 'ordered' : 'unordered';
    const tag = /^H([1-6])$/i.exec(scalarText(style.tagType));
    const raw = objects(block.spans)
      .map((span) => scalarText(span.text))
      .join('');
    for (const part of stripVariables(raw).split('\n')) {
      const text = normalizeSpace(part.replace(/[\r\v\u2028]/g, ' '));
      if (text) paragraphs.push({ text, list, heading: tag?.[1] ? Number(tag[1]) : null });
    }
  }
  return paragraphs;
}

function paragraphsToBlocks(paragraphs: Paragraph[]): Block[] {
  const blocks: Block[] = [];
  for (const p of paragraphs) {
    if (p.list !== 'none') {
      const last = blocks.at(-1);
      if (last?.type === 'list' && last.ordered === (p.list === 'ordered')) last.items.push(p.text);
      else blocks.push({ type: 'list', ordered: p.list === 'ordered', items: [p.text] });
    } else if (p.heading) blocks.push({ type: 'heading', level: p.heading, text: p.text });
    else blocks.push({ type: 'paragraph', text: p.text });
  }
  return blocks;
}

/** A counter or page number ("1/10", "3 of 12", "7"): the player's, not the course's. */
const COUNTER = /^(\d{1,2}|\d+\s*(\/|of|de|von|sur|di|van|из|от|מתוך)\s*\d+)$/iu;

/**
 * Whether a line is worth reading: words, or (in a text object of the slide, not on a button) a
 * number that is content, a worked value ("42.550", "12 %", "3 + 4 = 7"), not a counter.
 */
const isContent = (text: string, numbers: boolean) => !COUNTER.test(text) && (hasLetters(text) || (numbers && /\d/.test(text)));

/** The paragraphs of one entry of an object's text library, variables left out. */
function entryParagraphs(entry: DataObject): Paragraph[] {
  const vartext = entry.vartext;
  // Before the block model (Storyline 360 up to about 3.5x), the text was HTML.
  return (typeof vartext === 'string' ? htmlParagraphs(vartext) : vartextParagraphs(obj(vartext))).map((p) => ({ ...p, text: withoutVariables(p.text) }));
}

/** The text an object shows in its normal state (its first text with content). */
function objectParagraphs(o: DataObject, numbers: boolean): Paragraph[] {
  for (const entry of objects(o.textLib)) {
    const paragraphs = entryParagraphs(entry).filter((p) => isContent(p.text, numbers));
    if (paragraphs.length > 0) return paragraphs;
  }
  return objects(o.textLib).some((entry) => entry.type === 'vectortext') ? vectorTextParagraphs(o).filter((p) => isContent(p.text, numbers)) : [];
}

/**
 * A number an object shows on its own ("1", "2."): no text to read, but the label of what sits
 * beside it (a numbered part of a diagram, where a name is dropped).
 */
function numberLabel(o: DataObject): string | undefined {
  const first = objects(o.textLib)[0];
  if (!first) return undefined;
  const lines = (first.type === 'vectortext' ? vectorTextParagraphs(o) : entryParagraphs(first)).map((p) => p.text);
  return lines.length === 1 && /^\d{1,3}[.)]?$/.test(lines[0] ?? '') ? lines[0] : undefined;
}

function htmlParagraphs(html: string): Paragraph[] {
  return htmlToBlocks(stripVariables(html)).blocks.flatMap((block): Paragraph[] => {
    switch (block.type) {
      case 'heading':
        return [{ text: block.text, list: 'none', heading: block.level }];
      case 'list':
        return block.items.map((text) => ({ text, list: block.ordered ? 'ordered' : 'unordered', heading: null }));
      case 'table':
        return block.rows.map((row) => ({ text: row.filter(Boolean).join(' | '), list: 'none', heading: null }));
      case 'image':
        return [];
      default:
        return [{ text: block.text, list: 'none', heading: null }];
    }
  });
}

export interface Asset {
  url: string;
  duration: number | null;
}

/** An entry that names its file: the HTML5 image (`altimage`) before the Flash one, the duration in ms. */
function ownAsset(entry: DataObject): Asset | undefined {
  const url = [entry.altimage, entry.url].map(scalarText).find((u) => u && !/\.swf$/i.test(u));
  const duration = jsonNumber(entry.duration);
  return url ? { url, duration: duration && duration > 0 ? duration / 1000 : null } : undefined;
}

export interface SlideRead {
  blocks: Block[];
  /** Text of each layer by id, for question feedback. */
  layerText: Map<string, string>;
  /** Text of each object by id, for question choices; also of objects left off the stage. */
  objectText: Map<string, string>;
  /** Pictures by id, with what their alt text calls them ("Pizza"), or '' when it is a file or default name. */
  pictureNames: Map<string, string>;
  /** Text of each object of the base layer, in order: where a question's own words are. */
  baseTexts: string[];
  /** Where each object of the base layer sits on the slide, by id. */
  boxes: Map<string, Box>;
  /** Where every object of the base layer sits on the slide, those inside groups too, by id. */
  places: Map<string, Box>;
  /** Numbers shown on their own by objects of the base layer, by id: labels of what sits beside them. */
  numberLabels: Map<string, string>;
  /** Objects left off the stage, by id: the learner never sees them. */
  hidden: Set<string>;
  /** Labels of state groups of shapes (not buttons): tabs of a menu the author built, when they repeat. */
  tabs: Set<string>;
  media: MediaHint[];
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function boxOf(o: DataObject): Box | null {
  const [x, y, width, height] = [o.xPos, o.yPos, o.width, o.height].map(jsonNumber);
  return x === null || y === null || width === null || height === null || x === undefined || y === undefined || width === undefined || height === undefined
    ? null
    : { x, y, width, height };
}

const between = (value: number, low: number, high: number) => value >= low && value <= high;

/** Texts of the base layer with where they sit, those `excluded` aside (a question's own choices). */
function placedTexts(read: SlideRead, excluded: (id: string, text: string) => boolean): { id: string; box: Box; text: string }[] {
  return [...read.places].flatMap(([id, box]) => {
    const text = read.objectText.get(id) ?? read.numberLabels.get(id);
    return text && !excluded(id, text) ? [{ id, box, text }] : [];
  });
}

/**
 * The caption of an object that shows no text (a freeform question's empty drop box): the text
 * of the base layer written on it, else the text beside it on its row (a number or a name on
 * its left, a definition on its right in a table), else the text above it, over the same place.
 */
export function captionOf(read: SlideRead, id: string, excluded: (id: string, text: string) => boolean): string | undefined {
  const target = read.places.get(id);
  if (!target) return undefined;
  const texts = placedTexts(read, excluded).filter((t) => t.id !== id);
  const nearest = (side: Side, fits: (box: Box, gap: number) => boolean = () => true) => {
    let best: { text: string; gap: number } | undefined;
    for (const { box, text } of texts) {
      const gap = gapTo(target, box, side);
      if (gap !== null && fits(box, gap) && (!best || gap < best.gap)) best = { text, gap };
    }
    return best?.text;
  };
  // A caption above is no wider than two boxes and no further than one more box would reach.
  return nearest('on') ?? nearest('row') ?? nearest('above', (box, gap) => box.width <= target.width * 2 && gap <= Math.max(30, target.height));
}

/**
 * What a choice answers when several choices show the same words (a "True" and a "False" on every
 * row of a grid, the same answers under each of two questions): the statement on its left in its
 * row, else the text above it in its column.
 */
export function statementOf(read: SlideRead, id: string, excluded: (id: string, text: string) => boolean): string | undefined {
  const target = read.places.get(id);
  if (!target) return undefined;
  let left: { text: string; gap: number } | undefined;
  let above: { text: string; gap: number } | undefined;
  for (const { id: other, box, text } of placedTexts(read, excluded)) {
    if (other === id) continue;
    // A statement may be long and far from its ticks: any text of the row on the left will do.
    const inRow = between(box.y + box.height / 2, target.y, target.y + target.height) || between(target.y + target.height / 2, box.y, box.y + box.height);
    const leftGap = target.x - (box.x + box.width);
    if (inRow && leftGap >= -4 && (!left || leftGap < left.gap)) left = { text, gap: leftGap };
    const up = gapTo(target, box, 'above');
    if (up !== null && (!above || up < above.gap)) above = { text, gap: up };
  }
  return (left ?? above)?.text;
}

/**
 * The picture an object without text marks (a drop box laid on a picture, or just under it), by
 * id; undefined when there is none.
 */
export function pictureAt(read: SlideRead, id: string): string | undefined {
  const target = read.places.get(id);
  if (!target) return undefined;
  let best: { id: string; gap: number } | undefined;
  for (const picture of read.pictureNames.keys()) {
    const box = read.places.get(picture);
    if (!box || picture === id) continue;
    const on = target.x >= box.x - 4 && target.y >= box.y - 4 && target.x + target.width <= box.x + box.width + 4 && target.y + target.height <= box.y + box.height + 4;
    const gap = on ? 0 : gapTo(target, box, 'above');
    if (gap !== null && gap <= Math.max(20, target.height) && (!best || gap < best.gap)) best = { id: picture, gap };
  }
  return best?.id;
}

type Side = 'on' | 'below' | 'row' | 'above';

/** Whether `box` is on `target`, just below it, beside it on its row, or above it in its column. */
function gapTo(target: Box, box: Box, side: Side): number | null {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const inColumn = (cx >= target.x && cx <= target.x + target.width) || (target.x + target.width / 2 >= box.x && target.x + target.width / 2 <= box.x + box.width);
  const inRow = (cy >= target.y && cy <= target.y + target.height) || (target.y + target.height / 2 >= box.y && target.y + target.height / 2 <= box.y + box.height);
  switch (side) {
    case 'on':
      return cx >= target.x && cx <= target.x + target.width && cy >= target.y && cy <= target.y + target.height ? 0 : null;
    case 'below': {
      const gap = box.y - (target.y + target.height);
      return inColumn && box.width <= target.width * 3 && gap >= -4 && gap <= Math.max(30, target.height / 2) ? gap : null;
    }
    case 'row': {
      const gap = box.x >= target.x ? box.x - (target.x + target.width) : target.x - (box.x + box.width);
      // A caption is about as tall as its choice's row, not a paragraph beside it.
      return inRow && box.height <= Math.max(60, target.height * 2) && gap >= -4 && gap <= Math.max(150, target.width * 2) ? gap : null;
    }
    case 'above': {
      const gap = target.y - (box.y + box.height);
      return inColumn && gap >= -4 ? gap : null;
    }
  }
}

/**
 * Captions of choices that show no text (pictures, icons): the text of the base layer on the
 * choice, else just below it, else beside it on its row; a caption is its nearest choice's. In a
 * grid (a statement per row, a tick and a cross to choose from), the choices of a row share its
 * statement and are told apart by the heading of their column ("True", "False"). `others` are the
 * question's other choices, which caption nothing. None when some of the choices have no caption.
 */
export function pictureCaptions(read: SlideRead, ids: string[], others: string[]): Map<string, string> {
  const skip = new Set([...ids, ...others]);
  const texts = [...read.boxes]
    .map(([id, box]) => ({ id, box, text: read.objectText.get(id) ?? '' }))
    .filter((t) => t.text && !skip.has(t.id) && !read.pictureNames.has(t.id) && !t.text.endsWith('?'));
  const nearest = (target: Box, side: Side) => {
    let best: { text: string; gap: number } | undefined;
    for (const { box, text } of texts) {
      const gap = gapTo(target, box, side);
      if (gap !== null && (!best || gap < best.gap)) best = { text, gap };
    }
    return best;
  };
  const found = ids.flatMap((id) => {
    const target = read.places.get(id);
    const caption = target && (nearest(target, 'on') ?? nearest(target, 'below') ?? nearest(target, 'row'));
    return caption ? [{ id, ...caption, column: target && nearest(target, 'above')?.text }] : [];
  });
  const captions = new Map<string, string>();
  for (const { id, text, gap, column } of found) {
    const sharing = found.filter((f) => f.text === text);
    const grid = sharing.length > 1 && new Set(sharing.map((f) => f.column)).size === sharing.length && sharing.every((f) => f.column && f.column !== text);
    if (grid) captions.set(id, `${text}: ${column}`);
    else if (sharing.every((f) => f.gap >= gap)) captions.set(id, text);
  }
  // An author captions all the pictures to choose from or none: a text near only some of them
  // (an instruction under the first) is no caption.
  return captions.size === ids.length ? captions : new Map();
}

/** Whether an object is a picture, or a frame laid over one (a shape to click on a picture). */
export function showsPicture(read: SlideRead, id: string): boolean {
  if (read.pictureNames.has(id)) return true;
  const frame = read.places.get(id);
  if (!frame) return false;
  return [...read.pictureNames.keys()].some((other) => {
    const box = read.places.get(other);
    return box !== undefined && other !== id && gapTo(frame, box, 'on') !== null && box.width * box.height >= (frame.width * frame.height) / 2;
  });
}

/** Reads a slide's layers (base layer first) into blocks, with the media its objects play. */
export function readSlide(slide: DataObject, assets: Map<number, Asset>): SlideRead {
  const width = jsonNumber(slide.width);
  const height = jsonNumber(slide.height);
  const layerText = new Map<string, string>();
  const objectText = new Map<string, string>();
  const pictureNames = new Map<string, string>();
  const baseTexts: string[] = [];
  const boxes = new Map<string, Box>();
  const places = new Map<string, Box>();
  const numberLabels = new Map<string, string>();
  const hidden = new Set<string>();
  const tabs = new Set<string>();
  const media: MediaHint[] = [];
  const blocks: Block[] = [];
  /** The media file an image, audio or video entry plays: by asset id, or (Storyline 1 and 2) by its own URL. */
  const assetPath = (entry: DataObject): Asset | null => {
    const n = jsonNumber(entry.assetId);
    const asset = n === null ? ownAsset(entry) : assets.get(n);
    return asset && asset.url && !/^[a-z]+:/i.test(asset.url) ? asset : null;
  };

  const offStage = (o: DataObject): boolean => {
    const x = jsonNumber(o.xPos);
    const y = jsonNumber(o.yPos);
    const w = jsonNumber(o.width) ?? 0;
    const h = jsonNumber(o.height) ?? 0;
    if (x === null || y === null || width === null || height === null) return false;
    return x >= width || y >= height || x + w <= 0 || y + h <= 0;
  };

  /** Short button labels of the current layer, kept only when the layer shows a set of them. */
  let labels = new Set<Block>();
  /** Texts of the current layer's buttons, short or long. */
  let buttons = new Set<string>();

  /** Where the object being read sits: inside a group (positions are the group's), off the stage, on the base layer. */
  interface Place {
    x: number;
    y: number;
    hidden: boolean;
    base: boolean;
  }

  /**
   * Collects an object's blocks into `out`; returns the text it shows, for question choices. Short
   * texts of a button's states (a state group around a button) are that button's label. An object
   * left off the stage shows nothing: only its text is kept, for a question whose choices it is.
   */
  const walk = (o: DataObject, out: Block[], place: Place, inButton = false): string => {
    const box = boxOf(o);
    const at = box ? { ...box, x: box.x + place.x, y: box.y + place.y } : null;
    if (place.base && at && !places.has(scalarText(o.id))) places.set(scalarText(o.id), at);
    const kind = scalarText(o.kind);
    const data = obj(o.data);
    if (kind === 'textinput') return '';
    const isButton = scalarText(o.accType) === 'button';
    const paragraphs = objectParagraphs(o, !isButton && !inButton);
    let text = paragraphs.map((p) => p.text).join(' ');
    // A label: two words on a button ("Try again"), one on a state of a button ("Check"); a large
    // card to tap (a picture and its name) is no navigation button, its name is content.
    const card = box !== null && Math.min(box.width, box.height) >= CARD_SIZE;
    const label = (isButton && !card && wordCount(text) <= 2) || (inButton && wordCount(text) <= 1);
    if (paragraphs.length > 0 && !isChromeLabel(text)) {
      // A button's label is one line however it wraps.
      const shown = isButton || label ? [{ type: 'paragraph' as const, text }] : paragraphsToBlocks(paragraphs);
      if (label && !place.hidden) shown.forEach((b) => labels.add(b));
      if (isButton && !place.hidden) buttons.add(text);
      out.push(...shown);
    }

    const id = scalarText(o.id);
    const number = paragraphs.length === 0 && place.base && !isButton ? numberLabel(o) : undefined;
    if (number && id) numberLabels.set(id, number);
    const image = objects(o.imagelib)[0];
    if (image && paragraphs.length === 0) {
      const altText = scalarText(obj(data.vectorData).altText) || scalarText(image.altText);
      const alt = meaningfulAlt(altText);
      text = alt ?? '';
      if (id && !pictureNames.get(id)) pictureNames.set(id, pictureName(altText) ?? '');
      const src = assetPath(image)?.url ?? null;
      if (alt) {
        out.push({ type: 'image', alt, src });
        if (src && !place.hidden) media.push({ path: src, altText: alt });
      }
    }
    const video = obj(data.videodata);
    const videoAsset = assetPath(video);
    if (videoAsset && !place.hidden) {
      media.push({ path: videoAsset.url, altText: meaningfulAlt(scalarText(video.altText)), durationSeconds: videoAsset.duration });
    }
    for (const audio of place.hidden ? [] : objects(o.audiolib)) {
      const asset = assetPath(audio);
      if (asset) media.push({ path: asset.url, durationSeconds: asset.duration });
    }
    const buttonStates = kind === 'stategroup' && objects(o.objects).some((c) => scalarText(c.id) === id && scalarText(c.accType) === 'button');
    const inside = at ? { ...place, x: at.x, y: at.y } : place;
    const children = objects(o.objects).map((child) => walk(child, out, inside, isButton || buttonStates));
    if (!text) text = normalizeSpace([...new Set(children.filter(Boolean))].join(' '));
    const normal = objects(o.objects).find((c) => scalarText(c.id) === id);
    if (kind === 'stategroup' && normal && scalarText(normal.accType) === 'text' && !inButton && !place.hidden && text) tabs.add(text);
    if (text && id) objectText.set(id, text);
    return text;
  };

  for (const audio of objects(slide.audiolib)) {
    const asset = assetPath(audio);
    if (asset) media.push({ path: asset.url, durationSeconds: asset.duration });
  }
  const layers = objects(slide.slideLayers);
  const ordered = [...layers.filter((l) => l.isBaseLayer === true), ...layers.filter((l) => l.isBaseLayer !== true)];
  for (const layer of ordered) {
    const own: Block[] = [];
    for (const audio of objects(layer.audiolib)) {
      const asset = assetPath(audio);
      if (asset) media.push({ path: asset.url, durationSeconds: asset.duration });
    }
    labels = new Set();
    buttons = new Set();
    const base = layer.isBaseLayer === true;
    for (const o of objects(layer.objects)) {
      if (offStage(o)) {
        hidden.add(scalarText(o.id));
        walk(o, [], { x: 0, y: 0, hidden: true, base: false });
        continue;
      }
      const text = walk(o, own, { x: 0, y: 0, hidden: false, base });
      const box = boxOf(o);
      if (base && box) boxes.set(scalarText(o.id), box);
      if (text && base) baseTexts.push(text);
    }
    dropLoneLabels(own, labels, buttons.size);
    const id = scalarText(layer.id);
    if (id) {
      layerText.set(
        id,
        own
          .filter((b) => b.type !== 'image')
          .map((b) => (b.type === 'list' ? b.items.join(' ') : 'text' in b ? b.text : ''))
          .join(' '),
      );
    }
    blocks.push(...own);
  }
  for (const key of ['notes', 'slideNotes', 'notesData']) {
    const notes = slide[key];
    if (typeof notes === 'string' && notes.trim()) {
      const text = htmlToText(notes);
      if (text) blocks.push({ type: 'paragraph', text });
    }
  }
  return { blocks: tidyBlocks(blocks), layerText, objectText, pictureNames, baseTexts, boxes, places, numberLabels, hidden, tabs, media };
}

/**
 * Short button labels: one or two ("Weiter", "Zurück") are navigation; a set of three or more
 * (vocabulary to hear, tabs, topics of a menu, items to drag), or a few among a list of four
 * buttons or more, is what the slide offers to choose from.
 */
function dropLoneLabels(blocks: Block[], labels: Set<Block>, buttons: number): void {
  const texts = new Set([...labels].map((b) => ('text' in b ? b.text : '')));
  if (texts.size >= 3 || buttons >= 4) return;
  for (let i = blocks.length - 1; i >= 0; i--) if (labels.has(blocks[i]!)) blocks.splice(i, 1);
}

/**
 * Custom navigation built on a slide master ("Menu", "Exit", "Help" in any language) repeats on
 * most slides: short texts found on at least half the slides (and three or more) are dropped. A
 * phrase of three words or more, a label that asks or introduces ("Target:"), or a tab of a menu
 * of the course's parts (`tabs`: shapes with states, not buttons) is a slide master's text, not
 * its buttons: it is kept where it first shows.
 */
export function dropRepeatedChrome(pages: PageDraft[], keep: Set<string>, tabs: Set<string>): void {
  if (pages.length < 4) return;
  // Question texts repeat by nature ("True", "All of the above"): they are kept.
  const short = (b: Block) => (b.type === 'paragraph' || b.type === 'heading') && wordCount(b.text) <= 10 && !keep.has(b.text);
  const counts = new Map<string, number>();
  for (const page of pages) {
    for (const text of new Set(page.blocks.filter(short).map((b) => ('text' in b ? b.text : '')))) {
      counts.set(text, (counts.get(text) ?? 0) + 1);
    }
  }
  const threshold = Math.max(3, Math.ceil(pages.length / 2));
  const chrome = new Set([...counts].filter(([, n]) => n >= threshold).map(([text]) => text));
  if (chrome.size === 0) return;
  const phrase = (text: string) => wordCount(text) >= 3 || /[:?]$/.test(text) || tabs.has(text);
  const shown = new Set<string>();
  for (const page of pages) {
    page.blocks = page.blocks.filter((b) => {
      if (!short(b) || !('text' in b) || !chrome.has(b.text)) return true;
      if (!phrase(b.text) || shown.has(b.text)) return false;
      shown.add(b.text);
      return true;
    });
  }
}
