import { decodeHTML } from 'entities';

/** Collapses runs of whitespace (including non-breaking spaces) into single spaces and trims. */
export function normalizeSpace(text: string): string {
  return text.replace(/[\s\u00a0\u200b\ufeff]+/g, ' ').trim();
}

/** Decodes HTML entities (`&nbsp;`, `&#39;`, `&amp;amp;` once) and normalizes whitespace. */
export function cleanText(text: string): string {
  return normalizeSpace(decodeHTML(text));
}

/**
 * Text a template holds until the author writes their own ("Lorem ipsum...", the other stock filler
 * paragraphs printers use, "Your heading text goes here", "Click to add text"): never course text.
 */
const PLACEHOLDER =
  /^((lorem ipsum|sed ut perspiciatis|at vero eos et accusamus|it is a long established fact that a reader will be distracted|contrary to popular belief, lorem ipsum|there are many variations of passages of lorem ipsum)\b.*|((your |add (a |your )?)?(heading|title|subtitle|text|paragraph|description)( text)? goes here|(click|double-click|tap) (here )?to (add|edit) (text|title|subtitle)|(type|enter) (your )?(text|answer|response) here)[.!]?)$/i;

export const isPlaceholderText = (text: string): boolean => PLACEHOLDER.test(normalizeSpace(text));

/** Whether text has letters: lone numbers are counters and navigation ("1 / 7"), not text. */
export const hasLetters = (text: string): boolean => /\p{L}/u.test(text);

/** A count with its noun: "1 item", "2 items" (nouns with a plain -s plural). */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function wordCount(text: string): number {
  const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu);
  return words ? words.length : 0;
}

/** Roughly 4 characters per token for English; a stable estimate, not a tokenizer. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Long unbroken runs of base64 characters: embedded data, never text for a learner. */
export function looksLikeBase64(text: string): boolean {
  return /[A-Za-z0-9+/=_-]{120,}/.test(text) && !/\s/.test(text.trim());
}

/** Code, not prose: minified or long lines with few spaces, or typical syntax. */
export function looksLikeCode(text: string): boolean {
  const sample = text.slice(0, 2000);
  if (sample.length === 0) return false;
  const spaces = (sample.match(/ /g) ?? []).length / sample.length;
  // A bar between spaced words separates items a learner reads ("Tour | Urban | Gravel"); code writes `||` or `a|b`.
  const symbols = (sample.replace(/(?<=\S) \| (?=\S)/g, '   ').match(/[{};=()<>[\]$|&]/g) ?? []).length / sample.length;
  return symbols > 0.08 || (sample.length > 200 && spaces < 0.05) || /^\s*(function\s*\(|var |const |let |return |if ?\()/.test(sample);
}

/**
 * Whether a string from tool data reads like something a learner sees: words with letters,
 * not identifiers, paths, colors, code or encoded data.
 */
export function isSentenceLike(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length < 2 || looksLikeBase64(trimmed) || looksLikeCode(trimmed)) return false;
  if (/^(https?:|data:|mailto:|#|\.{0,2}\/)/i.test(trimmed)) return false;
  if (/^[\w.-]+\.(png|jpe?g|gif|svg|mp[34]|wav|js|css|html?|json|xml|woff2?|ttf)$/i.test(trimmed)) return false;
  // A relative path to a file ("course/en/assets/photo.jpg"), however many folders it names.
  if (/^[^\s/]+(\/[^\s/]+)+\.[a-z0-9]{2,5}$/i.test(trimmed)) return false;
  if (/^[a-z]+([A-Z][a-z0-9]*)+$/.test(trimmed) || /^[a-z0-9]+(_[a-z0-9]+)+$/i.test(trimmed)) return false;
  const letters = (trimmed.match(/\p{L}/gu) ?? []).length;
  if (letters < 2 || letters / trimmed.length < 0.5) return false;
  return wordCount(trimmed) >= 2 || /^\p{Lu}\p{Ll}{2,}[.!?]?$/u.test(trimmed);
}

/**
 * What a player says about its own controls: "(click or tap here to play and pause the video)",
 * "Volume slider", "Play/Pause Button", "Next Button".
 */
const PLAYER_PROMPT =
  /^\(?((click|tap|press)\b.{0,30}\b(play|pause)\b.{0,40}|(seek ?bar|volume|mute|unmute|closed captions|full ?screen|settings)( (slider|control|button))?|(play ?\/ ?pause|play|pause|next|previous|prev|back|forward|replay|rewind|volume|mute|menu|seek|progress|outline|slide) (bar )?(button|control|slider))[.!]?\)?$/i;

export const isPlayerPrompt = (text: string): boolean => PLAYER_PROMPT.test(normalizeSpace(text));

/**
 * Alt text an office suite wrote by itself and the author never replaced ("A picture containing
 * text. Description automatically generated"): it describes nothing the author meant.
 */
export const isGeneratedAltText = (text: string): boolean =>
  /description automatically generated(?: with (?:low|medium|high) confidence)?\.?$/i.test(normalizeSpace(text));

/** A file name where words belong: alt text "cycle1.jpg", a title "intro.html". */
export const isFileName = (text: string): boolean =>
  /^[^\s/\\]+\.(png|jpe?g|gif|svg|webp|bmp|tiff?|mp[34]|m4a|wav|ogg|webm|mov|pdf|js|html?|xml|json|swf)$/i.test(text.trim());
