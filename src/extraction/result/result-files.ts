import fs from 'node:fs';
import { once } from 'node:events';
import { resultToMarkdown } from './markdown.js';
import type { ExtractionResult, Item, PackageFacts, Statistics } from './extraction-result.js';

/** The arrays of a result that can grow with the package, read back a slice at a time. */
export const SLICED_SECTIONS = ['resources', 'pages', 'assessments', 'media', 'chunks', 'warnings'] as const;
export type SlicedSection = (typeof SLICED_SECTIONS)[number];

/** A run of consecutive elements of a section: byte range [start, end) of the JSON file. */
export interface ResultSlice {
  first: number;
  count: number;
  start: number;
  end: number;
}

/** An item of the default organization's tree, flattened, for an outline. */
export interface OutlineRow {
  depth: number;
  identifier: string;
  title: string;
  launch: string | null;
  mastery_score: number | null;
}

/**
 * What a reader of a stored result needs without reading the result itself: its facts, the head
 * of its outline, and where each slice of its long sections lies in the JSON file.
 */
export interface ResultIndex {
  index_version: 1;
  json_bytes: number;
  format_version: string;
  package: PackageFacts;
  default_organization: string | null;
  statistics: Statistics;
  /** The first OUTLINE_ROWS items of the default organization, depth first. */
  outline: OutlineRow[];
  outline_total: number;
  /** The launchable items of the default organization (up to LAUNCHABLE_ITEMS). */
  launchable_items: { identifier: string; title: string }[];
  launchable_items_total: number;
  sections: Record<SlicedSection, { total: number; slices: ResultSlice[] }>;
}

export const OUTLINE_ROWS = 2000;
export const LAUNCHABLE_ITEMS = 5000;
/** A slice holds at most this many elements, and ends after the element that takes it past SLICE_BYTES. */
export const SLICE_ELEMENTS = 25;
const SLICE_BYTES = 1024 * 1024;

function defaultItems(result: ExtractionResult): Item[] {
  const organization = result.organizations.find((o) => o.identifier === result.default_organization) ?? result.organizations[0];
  return organization?.items ?? [];
}

function outlineOf(items: Item[]): { outline: OutlineRow[]; total: number; launchable: { identifier: string; title: string }[]; launchableTotal: number } {
  const outline: OutlineRow[] = [];
  const launchable: { identifier: string; title: string }[] = [];
  let total = 0;
  let launchableTotal = 0;
  // An explicit stack: a hostile manifest can nest items deeper than the call stack goes.
  const stack: { item: Item; depth: number }[] = items.map((item) => ({ item, depth: 0 })).reverse();
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { item, depth } = next;
    total++;
    if (outline.length < OUTLINE_ROWS) {
      outline.push({ depth, identifier: item.identifier, title: item.title, launch: item.launch, mastery_score: item.mastery_score });
    }
    if (item.launch) {
      launchableTotal++;
      if (launchable.length < LAUNCHABLE_ITEMS) launchable.push({ identifier: item.identifier, title: item.title });
    }
    for (let i = item.children.length - 1; i >= 0; i--) stack.push({ item: item.children[i] as Item, depth: depth + 1 });
  }
  return { outline, total, launchable, launchableTotal };
}

/** A JSON file written piece by piece, counting its bytes. */
class CountingWriter {
  bytes = 0;
  constructor(private readonly out: fs.WriteStream) {}

  async write(text: string): Promise<void> {
    this.bytes += Buffer.byteLength(text);
    if (!this.out.write(text)) await once(this.out, 'drain');
  }
}

/** `JSON.stringify(value, null, 2)` of a value nested `depth` levels inside the document. */
const indented = (value: unknown, depth: number) => JSON.stringify(value, null, 2).replace(/\n/g, `\n${'  '.repeat(depth)}`);

/**
 * Writes the result as the same JSON that `JSON.stringify(result, null, 2)` gives, one element of
 * a long section at a time (never the whole document as one string), and returns the index of it.
 */
async function writeJson(result: ExtractionResult, file: string): Promise<ResultIndex['sections'] & { bytes: number }> {
  const out = fs.createWriteStream(file, { flush: true });
  const json = new CountingWriter(out);
  const sections = {} as ResultIndex['sections'];
  const keys = Object.keys(result) as (keyof ExtractionResult)[];
  await json.write('{');
  for (const [k, key] of keys.entries()) {
    await json.write(`${k === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `);
    const value = result[key];
    if (!(SLICED_SECTIONS as readonly string[]).includes(key) || !Array.isArray(value) || value.length === 0) {
      await json.write(indented(value, 1));
      continue;
    }
    const slices: ResultSlice[] = [];
    await json.write('[');
    for (const [i, element] of (value as unknown[]).entries()) {
      await json.write(`${i === 0 ? '' : ','}\n    `);
      const start = json.bytes;
      await json.write(indented(element, 2));
      const last = slices.at(-1);
      if (last && last.count < SLICE_ELEMENTS && last.end - last.start < SLICE_BYTES) {
        last.count++;
        last.end = json.bytes;
      } else {
        slices.push({ first: i, count: 1, start, end: json.bytes });
      }
    }
    await json.write('\n  ]');
    sections[key as SlicedSection] = { total: value.length, slices };
  }
  await json.write('\n}');
  out.end();
  await once(out, 'finish');
  for (const section of SLICED_SECTIONS) sections[section] ??= { total: 0, slices: [] };
  return Object.assign(sections, { bytes: json.bytes });
}

export interface ResultFilePaths {
  json: string;
  markdown: string;
  index: string;
}

/** Writes a result as its JSON, its Markdown rendering and its index, each flushed to disk. */
export async function writeResultFiles(result: ExtractionResult, paths: ResultFilePaths): Promise<ResultIndex> {
  const { bytes, ...sections } = await writeJson(result, paths.json);
  await fs.promises.writeFile(paths.markdown, resultToMarkdown(result), { flush: true });
  const { outline, total, launchable, launchableTotal } = outlineOf(defaultItems(result));
  const index: ResultIndex = {
    index_version: 1,
    json_bytes: bytes,
    format_version: result.format_version,
    package: result.package,
    default_organization: result.default_organization,
    statistics: result.statistics,
    outline,
    outline_total: total,
    launchable_items: launchable,
    launchable_items_total: launchableTotal,
    sections,
  };
  await fs.promises.writeFile(paths.index, JSON.stringify(index), { flush: true });
  return index;
}
