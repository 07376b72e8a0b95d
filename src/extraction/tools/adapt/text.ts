import { str, type DataObject, type DataValue } from '../../content/data-values.js';
import { blockText, htmlToBlocks, htmlToText } from '../../content/html.js';
import { isPlaceholderText } from '../../content/text.js';
import type { Block } from '../../result/extraction-result.js';

// Course text in Adapt data: which keys hold it, and what in it the player fills in.

/**
 * Handlebars expressions (`{{{score}}}`, `{{#if _isRadio}}`, the learner's name) are filled in by
 * the player: never text, nor the commas that followed them at the start of a line.
 */
export const stripTemplates = (value: string): string =>
  value.replace(/(^|>)(\s*\{\{\{?[^{}]*\}?\}\}\s*[,;:]?)+/g, '$1').replace(/\{\{\{?[^{}]*\}?\}\}/g, ' ');
/** Sample text ("Lorem ipsum...") the author left in place is not course text. */
export const toText = (value: DataValue | undefined): string => {
  const raw = str(value);
  const text = raw.trim() ? htmlToText(stripTemplates(raw)) : '';
  return isPlaceholderText(text) ? '' : text;
};
export const toBlocks = (value: DataValue | undefined): Block[] => {
  const raw = str(value);
  return raw.trim() ? htmlToBlocks(stripTemplates(raw)).blocks.filter((block) => !isPlaceholderText(blockText(block))) : [];
};

/** A `title` the author chose, not the authoring tool's placeholder ("New Article Title"). */
export const authoredTitle = (value: DataValue | undefined): string => {
  const text = toText(value);
  return /^(new\s+)?(course|menu|page|article|block|component)?\s*title$|^untitled\b/i.test(text) ? '' : text;
};

/**
 * Keys of fields: player strings (button texts, aria labels, instructions, what a component says
 * while locked), titles, bodies, images. A navigation word names a button only as the whole key or
 * with a button's suffix (`nextButton`, `backLabel`): a flip card's `backTitle` and `backBody` are
 * the text on the back of the card. Any `...AriaLabel` is read to screen readers only (`nextButtonAriaLabel`).
 */
export const UI_KEY =
  /^(aria|button|link|alt|placeholder|instruction|mobile|disabled)|^(next|prev|previous|close|back|done|start|continue|retry|submit|reset)(Button|Label|Text|Aria|Link|Icon|Btn)?s?$|AriaLabel$/i;
export const HEADING_KEY = /^(title|tabTitle|heading|header|strapline)$|.Title$/;
export const BODY_KEY = /^(body|text|description|content|front|back)$|.(Body|Text|Description|Content|Block)$/;
export const IMAGE_KEY = /^_?graphic$|image$/i;

/** Component keys the renderer reads itself, or that are not shown (`title` is the author's internal name). */
export const COMPONENT_OWN_KEYS: ReadonlySet<string> = new Set(['title', 'displayTitle', 'body']);

/** Gaps of fill-in plug-ins (`%?%`), shown to the learner as a line. */
export const blankOut = (text: string): string => text.replace(/%\?%/g, '_____');

/** Body-like texts a plug-in adds beside body (`textBlock`, `bottomText`...). */
export const ownTexts = (comp: DataObject): string[] =>
  Object.entries(comp)
    .filter(([key, value]) => typeof value === 'string' && !key.startsWith('_') && !COMPONENT_OWN_KEYS.has(key) && !UI_KEY.test(key) && BODY_KEY.test(key))
    .map(([, value]) => str(value))
    .filter((value) => toText(value) !== '');
