import { obj, objects, scalarText, type DataObject } from '../../content/data-values.js';
import { htmlToText } from '../../content/html.js';
import type { Block, Question } from '../../result/extraction-result.js';
import { readQuestions } from './questions.js';
import type { RiseReader } from './reader.js';

/** Blocks of one Rise block, by family/type/variant; questions of knowledge checks go to `questions`. */
export function readBlock(reader: RiseReader, block: DataObject, questions: Question[]): Block[] {
  if (block.isHidden === true) return [];
  const type = scalarText(block.type).toLowerCase();
  const family = scalarText(block.family).toLowerCase();
  const variant = scalarText(block.variant).toLowerCase();
  const items = objects(block.items).filter((i) => i.isHidden !== true);
  const out: Block[] = [];
  if (family === 'continue' || type === 'divider' || family === 'divider' || family === 'spacer') return out;
  if (type === 'knowledgecheck' || family === 'knowledgecheck') {
    for (const item of items) questions.push(...readQuestions(reader, item, out));
    return out;
  }
  // Code blocks (of the text or multimedia family): the code is not prose; its caption is.
  if (variant === 'code') return items.flatMap((i) => reader.html(i.caption));
  if (type === 'interactive' || family === 'interactive' || family === 'flashcard' || family === '360') {
    return interactiveBlock(reader, block, questions);
  }
  switch (type) {
    case 'text':
    case 'statement':
    case 'impact': {
      const showHeading = /heading/.test(variant) || type !== 'text';
      const showParagraph = /paragraph|column|table|note/.test(variant) || !/heading/.test(variant) || type !== 'text';
      const level = /subheading/.test(variant) ? 3 : 2;
      for (const item of items) {
        if (showHeading) out.push(...reader.heading(item.heading ?? item.title, level));
        if (showParagraph) out.push(...reader.html(item.paragraph), ...reader.table(item.table));
        out.push(...reader.mediaBlocks(item.media));
      }
      return out;
    }
    case 'quote':
      for (const item of items) {
        const quote = htmlToText(scalarText(item.paragraph));
        const by = htmlToText(scalarText(item.name));
        if (quote) out.push({ type: 'quote', text: by ? `${quote} — ${by}` : quote });
      }
      return out;
    case 'list': {
      const entries = items.map((i) => htmlToText(scalarText(i.paragraph))).filter(Boolean);
      if (entries.length > 0) out.push({ type: 'list', ordered: /number/.test(variant), items: entries });
      return out;
    }
    case 'image':
    case 'gallery':
      for (const item of items) out.push(...reader.mediaBlocks(item.media, item), ...reader.html(item.caption), ...reader.html(item.paragraph));
      return out;
    case 'multimedia':
      for (const item of items) {
        out.push(...reader.heading(item.title, 3), ...reader.mediaBlocks(item.media, item), ...reader.html(item.caption), ...reader.html(item.description));
        for (const story of [obj(obj(item.media).storyline)]) if (Object.keys(story).length > 0) reader.embeddedStory(story);
      }
      return out;
    case 'chart': {
      const rows = items.map((i) => [htmlToText(scalarText(i.label ?? i.type ?? i.title)), scalarText(i.value)]).filter((r) => r[0]);
      out.push(...reader.heading(block.title, 3));
      if (rows.length > 0) out.push({ type: 'table', rows });
      return out;
    }
    default:
      return items.flatMap((i) => genericItem(reader, i));
  }
}

/**
 * Lesson types of the first Rise (2016-2017), before blocks: a lesson was one interactive, its
 * `items` the interactive's items (`map` is a labeled graphic: `media.image` and marker items;
 * `sorting` keeps its `piles` on the lesson). Rise 360 still plays them.
 */
const LEGACY_LESSONS: Record<string, string> = { map: 'labeledgraphic', process: 'process', timeline: 'timeline', sorting: 'sorting' };

/** Blocks of a lesson of another type than blocks, quiz or section: a legacy interactive, video or embed lesson. */
export function readLegacyLesson(reader: RiseReader, lesson: DataObject, questions: Question[]): Block[] {
  const variant = LEGACY_LESSONS[scalarText(lesson.type).toLowerCase()];
  if (variant) return interactiveBlock(reader, { ...lesson, type: 'interactive', family: 'interactive-fullscreen', variant }, questions);
  // Video, screencast, slidecast and embed lessons: the lesson's media, then its items'.
  const items = objects(lesson.items).filter((i) => i.isHidden !== true);
  return [...reader.mediaBlocks(lesson.media), ...items.flatMap((i) => genericItem(reader, i))];
}

/** An interactive block: accordion, tabs, process, labeled graphic, sorting, scenario, flashcards, an embedded story. */
function interactiveBlock(reader: RiseReader, block: DataObject, questions: Question[]): Block[] {
  const variant = scalarText(block.variant).toLowerCase().replace(/[\s_-]+/g, '');
  const family = scalarText(block.family).toLowerCase();
  const items = objects(block.items).filter((i) => i.isHidden !== true);
  const out: Block[] = [];
  if (variant === 'storyline' || items.some((i) => Object.keys(obj(obj(i.media).storyline)).length > 0)) {
    for (const item of items) reader.embeddedStory(obj(obj(item.media).storyline));
    return out;
  }
  if (family === 'flashcard' || variant.startsWith('flashcard')) {
    for (const card of items) {
      for (const side of ['front', 'back']) {
        // A face shows a picture (`fullimage`), a picture and text (`image`) or text (`description`);
        // it keeps the other's data, which Rise does not show.
        const face = obj(card[side]);
        const kind = scalarText(face.type).toLowerCase();
        const text = reader.html(face.description);
        if (kind === 'fullimage' || kind === 'image' || text.length === 0) out.push(...reader.mediaBlocks(face.media));
        if (kind !== 'fullimage') out.push(...text);
      }
    }
    return out;
  }
  switch (variant) {
    case 'accordion':
    case 'tabs':
      for (const item of items) out.push(...reader.heading(item.title, 3), ...reader.html(item.description), ...reader.mediaBlocks(item.media));
      return out;
    case 'process':
    case 'timeline': {
      const rank = (i: DataObject) => (scalarText(i.type) === 'intro' ? 0 : scalarText(i.type) === 'summary' ? 2 : 1);
      for (const item of [...items].sort((a, b) => rank(a) - rank(b))) {
        const title = [htmlToText(scalarText(item.date)), htmlToText(scalarText(item.title))].filter(Boolean).join(': ');
        if (title) out.push({ type: 'heading', level: 3, text: title });
        out.push(...reader.html(item.description), ...reader.mediaBlocks(item.media));
      }
      return out;
    }
    case 'labeledgraphic':
    case 'labelledgraphic': {
      out.push(...reader.mediaBlocks(block.media));
      for (const item of items) {
        out.push(...reader.mediaBlocks(item.media));
        const markers = objects(item.markers).length > 0 ? objects(item.markers) : [item];
        for (const marker of markers) out.push(...reader.heading(marker.title, 3), ...reader.html(marker.description));
      }
      return out;
    }
    case 'sorting': {
      const piles = objects(block.piles).length > 0 ? objects(block.piles) : items.flatMap((i) => objects(i.piles));
      const cards = items.flatMap((i) => (objects(i.items).length > 0 ? objects(i.items) : [i]));
      for (const pile of piles) {
        out.push(...reader.heading(pile.title, 3));
        const inPile = cards.filter((c) => scalarText(c.pileId) === scalarText(pile.id)).map((c) => htmlToText(scalarText(c.title))).filter(Boolean);
        if (inPile.length > 0) out.push({ type: 'list', ordered: false, items: inPile });
      }
      return out;
    }
    case 'scenario':
      for (const scene of items) {
        for (const slide of objects(scene.slides).length > 0 ? objects(scene.slides) : [scene]) {
          out.push(...reader.heading(slide.title, 3), ...reader.html(slide.description), ...reader.mediaBlocks(slide.media));
          const responses = objects(slide.responses)
            .map((r) => [htmlToText(scalarText(r.description ?? r.title)), htmlToText(scalarText(r.feedback))].filter(Boolean).join(' — '))
            .filter(Boolean);
          if (responses.length > 0) out.push({ type: 'list', ordered: false, items: responses });
        }
      }
      return out;
    case 'button':
    case 'buttonstack':
      for (const item of items) out.push(...reader.html(item.paragraph ?? item.description), ...reader.mediaBlocks(item.media));
      return out;
    default:
      if (items.some((i) => Array.isArray(i.answers))) {
        for (const item of items) questions.push(...readQuestions(reader, item, out));
        return out;
      }
      return items.flatMap((i) => genericItem(reader, i));
  }
}

/** Text of a block family this decoder does not know: its usual text fields, in order. */
function genericItem(reader: RiseReader, item: DataObject, depth = 0): Block[] {
  if (depth > 4 || item.isHidden === true) return [];
  const blocks: Block[] = [...reader.heading(item.heading ?? item.title, 3)];
  for (const key of ['date', 'paragraph', 'description', 'caption', 'text', 'label', 'name']) blocks.push(...reader.html(item[key]));
  blocks.push(...reader.mediaBlocks(item.media));
  for (const side of ['front', 'back']) if (item[side]) blocks.push(...reader.html(obj(item[side]).description));
  for (const child of [...objects(item.items), ...objects(item.markers), ...objects(item.slides), ...objects(item.responses)]) {
    blocks.push(...genericItem(reader, child, depth + 1));
  }
  return blocks;
}
