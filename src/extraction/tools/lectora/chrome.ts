import { normalizeSpace, wordCount } from '../../content/text.js';
import { textOf, type ParsedPage, type TextObject } from './page.js';

/*
 * Chrome: objects inherited from the title, chapter or section appear with the same name on many
 * pages (headers, footers, breadcrumbs, menus); short labels repeated across the course are status
 * badges and button captions. A sentence repeated that way is still read once, on its first page.
 */

/** "Home / Module 2 / Topic": a trail of short segments, led by a home link or ending in a separator. */
function isBreadcrumb(plain: string): boolean {
  const text = normalizeSpace(plain);
  if (wordCount(text) > 14 || !/\s[/>»]\s|\s[/>»]$/.test(text)) return false;
  const segments = text.split(/\s*[/>»]\s*/).filter(Boolean);
  return (
    /^(home|inicio|início|accueil|start|startseite|menu|main menu|index)$/i.test(segments[0] ?? '') ||
    /[/>»]$/.test(text) ||
    segments.length >= 3
  );
}

/** Words of navigation bars and player controls. */
const NAVIGATION_WORDS = new Set(
  'home help menu resources glossary exit save close print next back previous prev forward continue replay audio sound volume page of i'.split(' '),
);

/** "HOME | HELP | RESOURCES | EXIT": a line most of whose words name places and controls of the player. */
const isNavigationBar = (key: string): boolean => {
  const words = key.split(' ').filter(Boolean);
  return words.length > 0 && words.filter((w) => NAVIGATION_WORDS.has(w)).length * 2 >= words.length;
};

const labelKey = (plain: string): string =>
  normalizeSpace(plain.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' '));

export function chromeFilter(pages: ParsedPage[]): (text: TextObject, plain: string) => boolean {
  const pagesByName = new Map<string, number>();
  const labelCounts = new Map<string, number>();
  const pagesByLabel = new Map<string, number>();
  const isShort = (key: string) => key !== '' && wordCount(key) <= 3 && key.length <= 40;
  const isLine = (key: string) => key !== '' && wordCount(key) <= 8 && key.length <= 80;
  for (const page of pages) {
    for (const name of new Set(page.texts.map((t) => t.name).filter(Boolean))) {
      pagesByName.set(name, (pagesByName.get(name) ?? 0) + 1);
    }
    const keys = page.texts.map((t) => labelKey(textOf(t.html))).filter(isLine);
    for (const key of keys) labelCounts.set(key, (labelCounts.get(key) ?? 0) + 1);
    for (const key of new Set(keys)) pagesByLabel.set(key, (pagesByLabel.get(key) ?? 0) + 1);
  }
  // A line on a fifth of the pages (at least five) is a running header or footer.
  const runningThreshold = Math.max(5, Math.ceil(pages.length / 5));
  // Sentences a visible object shares across pages (a dedication, a chapter's note) are read once, where they first appear.
  const readOnce = new Set<string>();
  const once = (key: string) => wordCount(key) >= 5 && !isNavigationBar(key) && !readOnce.has(key) && !!readOnce.add(key);
  return (text, plain) => {
    if (text.footer || isBreadcrumb(plain)) return true;
    const key = labelKey(plain);
    if (text.name && (pagesByName.get(text.name) ?? 0) > 1) return text.hidden || !once(key);
    if (isShort(key) && (labelCounts.get(key) ?? 0) >= 3) return true;
    return isLine(key) && (pagesByLabel.get(key) ?? 0) >= runningThreshold && (text.hidden || !once(key));
  };
}

/** Captions that only name an action ("Show answer", "Try again", "Click here"). */
const UI_CAPTION =
  /^(click|tap|press|show|hide|view|see|read|learn|open|close|reveal|find out|try|go|return|back|next|prev|previous|continue|submit|check|reset|restart|replay|retry|start|begin|done|ok|okay|end|exit|finish|home|menu|print)\b(\s+(here|me|it|more|less|again|all|the|answers?|details|info|information|now|on|back|over|page))*[\s.!>:]*$/i;

/** A button caption that tells the learner something: words, not a single letter or an action's name. */
export const isLearnerCaption = (caption: string): boolean => /\p{L}{2,}/u.test(caption) && !UI_CAPTION.test(normalizeSpace(caption.replace(/^[<>\s]+/, '')));
