import { normalizeSpace } from '../../content/text.js';
import { objectText, textOf, type Box, type ParsedPage, type TextObject } from './page.js';
import { listOf } from './values.js';

/*
 * Matching and drag-and-drop questions: the objects the learner pairs, by the ids the runtime records.
 * A matching question sets up each item with `text12.setupMatch(isLeft, '1L', Update_qu10, ...)`
 * (Lectora Online: `trivMatchSetup(text12, isLeft, '1L', qu10, ...)`); a drag-and-drop question
 * declares its drop zones as rectangles, `dragMgr.addDrop(x, y, w, h, '1', [n,] Update_qu10)`, and
 * what can be dragged with `dragMgr.addDrag(text12, '1', Update_qu10)`. The answer lists pairs
 * `source-target`, a `|` between the targets a source may go to.
 */

export interface Interaction {
  /** What the learner moves or picks first, by id: draggable objects, left-hand match items (object names). */
  sources: Map<string, string>;
  /** Right-hand match items (object names). */
  targets: Map<string, string>;
  /** Drop zones by id. */
  zones: Map<string, Box>;
}

/** A source id and the ids of the targets it belongs to. */
export type Pair = [string, string[]];

const ID = String.raw`'?(\w+)'?`;
const NUMBER = String.raw`\s*(-?[\d.]+)\s*`;
/** The question an item belongs to: its Update function or the question object itself. */
const QUESTION = String.raw`\s*(?:Update_)?(\w+)`;

/** The matching and drag-and-drop set-ups of a page's scripts, by question object name. */
export function readInteractions(script: string): Map<string, Interaction> {
  const interactions = new Map<string, Interaction>();
  const of = (question: string): Interaction => {
    let found = interactions.get(question);
    if (!found) interactions.set(question, (found = { sources: new Map(), targets: new Map(), zones: new Map() }));
    return found;
  };
  const matchItem = (question: string, object: string, left: string, id: string) =>
    (left === 'true' ? of(question).sources : of(question).targets).set(id, object);
  for (const m of script.matchAll(new RegExp(String.raw`\b(\w+)\.setupMatch\(\s*(true|false)\s*,\s*${ID}\s*,${QUESTION}`, 'g'))) {
    matchItem(m[4] as string, m[1] as string, m[2] as string, m[3] as string);
  }
  for (const m of script.matchAll(new RegExp(String.raw`\btrivMatchSetup\(\s*(\w+)\s*,\s*(true|false)\s*,\s*${ID}\s*,${QUESTION}`, 'g'))) {
    matchItem(m[4] as string, m[1] as string, m[2] as string, m[3] as string);
  }
  for (const m of script.matchAll(new RegExp(String.raw`\bdragMgr\.addDrag\(\s*(\w+)\s*,\s*${ID}\s*,${QUESTION}`, 'g'))) {
    of(m[3] as string).sources.set(m[2] as string, m[1] as string);
  }
  const drop = new RegExp(String.raw`\bdragMgr\.addDrop\(${NUMBER},${NUMBER},${NUMBER},${NUMBER},\s*${ID}\s*,(?:\s*[\d.]+\s*,)?${QUESTION}`, 'g');
  for (const m of script.matchAll(drop)) {
    const [x, y, width, height] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
    of(m[6] as string).zones.set(m[5] as string, { x, y, width, height });
  }
  return interactions;
}

/** Pairs of an answer written as text: `1L-1R,2L-2R`, or `1-1|1-5,2-2` where a source may go to several targets. */
export function pairsOf(answers: string[]): Pair[] {
  const pairs = new Map<string, string[]>();
  for (const answer of answers) {
    for (const option of listOf(answer).flatMap((entry) => entry.split('|'))) {
      const m = /^\s*(\w+)-(\w+)\s*$/.exec(option);
      if (!m) continue;
      const targets = pairs.get(m[1] as string) ?? [];
      if (!targets.includes(m[2] as string)) targets.push(m[2] as string);
      pairs.set(m[1] as string, targets);
    }
  }
  return [...pairs.entries()];
}

export interface Pairing {
  /** The texts of what the learner pairs: the sources', else the targets'. */
  choices: string[];
  /** Source and target texts of each correct pair. */
  matches: { source: string; target: string }[];
  /**
   * When one side of the pairs has no text (drop zones on a picture, pictures to match): the texts
   * of the other side, in the order the learner sees the pictures.
   */
  correctAnswers: string[];
}

const centreIn = (zone: Box, box: Box | null): boolean =>
  !!box && zone.x + zone.width / 2 >= box.x && zone.x + zone.width / 2 <= box.x + box.width && zone.y + zone.height / 2 >= box.y && zone.y + zone.height / 2 <= box.y + box.height;

/** Top to bottom, then left to right; by id where a place is unknown. */
function byPlace(a: { id: string; box: Box | null }, b: { id: string; box: Box | null }): number {
  if (a.box && b.box) return a.box.y - b.box.y || a.box.x - b.box.x;
  return a.id.localeCompare(b.id, undefined, { numeric: true });
}

/**
 * The texts of an answer's pairs. A drop zone is named by the visible text it lies on, else by the
 * text centred right above its column of zones, else right below it (closer than a zone is high);
 * never by the prompt or by what is dragged, nor by a text every zone shares.
 */
export function pairTexts(page: ParsedPage, interaction: Interaction, pairs: Pair[], prompt: string): Pairing {
  const draggable = new Set(interaction.sources.values());
  const promptText = normalizeSpace(textOf(prompt));
  const labels = page.texts
    .filter((t): t is TextObject & { box: Box } => !t.hidden && !!t.box && !draggable.has(t.name))
    .map((t) => ({ box: t.box, text: textOf(t.html) }))
    .filter((l) => l.text && normalizeSpace(l.text) !== promptText);
  const zones = [...interaction.zones.values()];
  const zoneLabel = (zone: Box): string => {
    const under = labels.filter((l) => centreIn(zone, l.box)).sort((a, b) => a.box.width * a.box.height - b.box.width * b.box.height)[0];
    if (under) return under.text;
    const inColumn = (box: Box) => box.x <= zone.x + zone.width / 2 && zone.x + zone.width / 2 <= box.x + box.width;
    const column = zones.filter(inColumn).sort((a, b) => a.y - b.y);
    const top = column[0] ?? zone;
    const last = column[column.length - 1] ?? zone;
    const bottom = (box: Box) => box.y + box.height;
    // Centred on the column: its middle within the zone's width.
    const centred = (box: Box) => box.x + box.width / 2 >= zone.x && box.x + box.width / 2 <= zone.x + zone.width;
    const heading = labels
      .filter((l) => centred(l.box) && bottom(l.box) <= top.y + 1 && top.y - bottom(l.box) <= top.height)
      .sort((a, b) => bottom(b.box) - bottom(a.box))[0];
    const caption = labels
      .filter((l) => centred(l.box) && l.box.y >= bottom(last) - 1 && l.box.y - bottom(last) <= last.height)
      .sort((a, b) => a.box.y - b.box.y)[0];
    return (heading ?? caption)?.text ?? '';
  };
  const source = (id: string) => {
    const object = interaction.sources.get(id) ?? '';
    return { id, text: object ? objectText(page, object) : '', box: page.objects.get(object)?.box ?? null };
  };
  // Zones that all get the same label (the title over the whole drop area) are not told apart by it.
  const zoneLabels = new Map([...interaction.zones.entries()].map(([id, zone]) => [id, zoneLabel(zone)]));
  if (zoneLabels.size > 1 && new Set(zoneLabels.values()).size === 1) zoneLabels.clear();
  const target = (id: string) => {
    const object = interaction.targets.get(id);
    const zone = interaction.zones.get(id);
    const text = object ? objectText(page, object) : (zoneLabels.get(id) ?? '');
    return { id, text, box: zone ?? page.objects.get(object ?? '')?.box ?? null };
  };
  const matches: Pairing['matches'] = [];
  const halves: { id: string; box: Box | null; text: string }[] = [];
  // A source that may go to several targets takes, for its place, one no other source needs.
  const needed = new Set(pairs.filter(([, targets]) => targets.length === 1).map(([, targets]) => targets[0]));
  for (const [sourceId, alternatives] of pairs) {
    const from = source(sourceId);
    const free = alternatives.filter((t) => !needed.has(t));
    const targetIds = alternatives.length > 1 && free.length > 0 ? [...free, ...alternatives.filter((t) => needed.has(t))] : alternatives;
    const to = targetIds.map(target);
    const named = to.filter((t) => t.text);
    const targets = [...new Set(named.map((t) => t.text))];
    if (from.text && targets.length > 0) targets.forEach((target) => matches.push({ source: from.text, target }));
    else if (from.text && to[0]) halves.push({ ...to[0], text: from.text });
    else if (targets.length > 0) halves.push({ ...from, text: targets.join(' / ') });
  }
  const ids = (map: Map<string, unknown>) => [...map.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const sourceTexts = ids(interaction.sources).map((id) => source(id).text).filter(Boolean);
  return {
    choices: sourceTexts.length > 0 ? sourceTexts : ids(interaction.targets).map((id) => target(id).text).filter(Boolean),
    matches,
    correctAnswers: matches.length > 0 ? [] : halves.sort(byPlace).map((h) => h.text),
  };
}
