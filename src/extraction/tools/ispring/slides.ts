import path from 'node:path/posix';
import { tidyBlocks } from '../../content/blocks.js';
import { asArray, asNumber, asObject, asString, parseJson, type DataObject, type DataValue } from '../../content/data-values.js';
import { elementsOf, htmlToBlocks, htmlToText } from '../../content/html.js';
import { cleanText, hasLetters, isPlayerPrompt, isSentenceLike, normalizeSpace } from '../../content/text.js';
import type { Block } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';
import { addMediaHint } from '../media-hints.js';
import type { MediaHint, PageDraft } from '../tool.js';
import { assigned, loadHandlerArgs } from './player-data.js';

const DECORATIVE = /^(decorative( image)?|decoration|image|picture|graphic|photo)$/i;

export interface Root {
  /** Folder of the player (`res/`, or '' when index.html is at the root of the view). */
  dir: string;
  index: string | null;
}

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Paragraphs of plain slide text: `\r` and `\n` end paragraphs, `\v` breaks lines. */
function textParagraphs(text: string): string[] {
  return text
    .split(/[\r\n\v\u2028\u2029]+/)
    .map((p) => normalizeSpace(p))
    .filter((p) => hasLetters(p));
}

function wordsOf(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
}

/** Whether most words of `text` already appear in `known`. */
function mostlyKnown(text: string, known: Set<string>): boolean {
  const words = [...wordsOf(text)];
  if (words.length === 0) return true;
  return words.filter((w) => known.has(w)).length / words.length >= 0.8;
}

/** A slide or quiz file of the presentation, with the player's data about it. */
export interface SlideInfo {
  title: string | null;
  file: string;
  quiz: boolean;
  /** An interaction of the presentation (`intrN.js`). */
  interaction: boolean;
  info: DataObject | null;
}

export class IspringReader {
  private readonly audioById = new Map<string, string>();
  private readonly imageFiles = new Map<string, string>();
  private readonly indexFile: string;

  constructor(
    readonly view: PackageView,
    readonly root: Root,
    readonly indexHtml: string,
    readonly presentation: DataObject | undefined,
    /** Slide titles by index from an older player's `data/presentation.xml`. */
    readonly legacyTitles: Map<number, string> = new Map(),
  ) {
    this.indexFile = root.index ?? `${root.dir}index.html`;
    for (const audio of elementsOf(indexHtml, 'audio')) {
      const id = /\bid=["']([^"']+)["']/i.exec(audio.attributes)?.[1];
      const src = /\bsrc=["']([^"']+)["']/i.exec(indexHtml.slice(audio.start, audio.end))?.[1];
      if (id && src) this.audioById.set(id, src);
    }
  }

  /** A path of the player (`data/slide1.js`) as a path of the view. */
  file(reference: string): string | null {
    return this.view.resolve(this.indexFile, reference);
  }

  slides(): SlideInfo[] {
    const entries = asArray(this.presentation?.s).map(asObject).filter((s): s is DataObject => !!s);
    if (entries.length) {
      return entries.flatMap((info) => {
        const ref = asString(info.s);
        const file = ref ? this.file(ref) : null;
        if (!file) return [];
        const quiz = info.st === 'q' || /(^|\/)quiz\d*\.js$/i.test(file);
        const interaction = info.st === 'i' || /(^|\/)intr\d*\.js$/i.test(file);
        return [{ title: cleanText(asString(info.t) ?? '') || null, file, quiz, interaction, info }];
      });
    }
    // No presentation data: the slide files in their numeric order (titles from an older player's
    // presentation.xml), then the interactions, then the quizzes.
    const files = this.view
      .files()
      .filter((f) => f.startsWith(`${this.root.dir}data/`) && /\/(slide|intr|quiz)\d+\.js$/i.test(f))
      .sort(naturalCompare);
    const slides = files.filter((f) => /\/slide\d+\.js$/i.test(f));
    const interactions = files.filter((f) => /\/intr\d+\.js$/i.test(f));
    const quizzes = files.filter((f) => /\/quiz\d+\.js$/i.test(f));
    return [
      ...slides.map((file) => {
        const number = Number(/(\d+)\.js$/i.exec(file)?.[1] ?? 0);
        return { title: this.legacyTitles.get(number - 1) ?? null, file, quiz: false, interaction: false, info: null };
      }),
      ...interactions.map((file) => ({ title: null, file, quiz: false, interaction: true, info: null })),
      ...quizzes.map((file) => ({ title: null, file, quiz: true, interaction: false, info: null })),
    ];
  }

  /**
   * An interaction (`intrN.js`): `interactionJson` holds an introduction (`C.i`), its items (`C.is`,
   * tabs, steps or hotspots) and a summary (`C.s`), each a title (`t`) and rich content (`c`);
   * the introduction and summary show only when `v` is not false.
   */
  async interactionPage(slide: SlideInfo, itemId: string | null): Promise<PageDraft> {
    const source = this.view.has(slide.file) ? await this.view.text(slide.file) : undefined;
    const content = asObject(asObject(asObject(source ? assigned(source, 'interactionJson') : undefined)?.d)?.C);
    const parts = [asObject(content?.i), ...asArray(content?.is).map(asObject), asObject(content?.s)].filter(
      (part): part is DataObject => !!part && part.v !== false,
    );
    const blocks: Block[] = [];
    for (const part of parts) {
      const html = (value: DataValue | undefined) => asString(asObject(value)?.a) ?? asString(asObject(value)?.h) ?? '';
      const title = cleanText(htmlToText(html(part.t)));
      if (title) blocks.push({ type: 'heading', level: 2, text: title });
      blocks.push(...htmlToBlocks(html(part.c)).blocks.filter((b) => b.type !== 'image'));
    }
    return { title: slide.title, kind: 'slide', source: slide.file, itemId, blocks: tidyBlocks(blocks) };
  }

  async page(slide: SlideInfo, itemId: string | null): Promise<PageDraft> {
    const source = this.view.has(slide.file) ? await this.view.text(slide.file) : undefined;
    const args = source ? loadHandlerArgs(source) : [];
    const html = args.find((a): a is string => typeof a === 'string' && a.trimStart().startsWith('<')) ?? '';
    const shapesJson = args.find((a): a is string => typeof a === 'string' && a.trimStart().startsWith('{'));
    const shapes = asArray(asObject(shapesJson ? parseJson(shapesJson) : undefined)?.s)
      .map(asObject)
      .filter((s): s is DataObject => !!s);

    const blocks: Block[] = [];
    const seen = new Set<string>();
    const add = (text: string, heading = false) => {
      const key = text.toLowerCase();
      // A video or audio on a slide brings its player's controls ("Play/Pause Button", "Volume
      // Control") as shapes of the slide, in its search text and in the rendered slide alike.
      if (seen.has(key) || isPlayerPrompt(text)) return;
      seen.add(key);
      blocks.push(heading ? { type: 'heading', level: 1, text } : { type: 'paragraph', text });
    };

    // 1. The player's search text of the slide: shapes in reading order, `\r\n` between shapes.
    const search = asString(slide.info?.x);
    const shapeTexts: string[][] = [];
    if (search && hasLetters(search)) {
      for (const shape of search.split(/\r\n/)) shapeTexts.push(textParagraphs(shape));
    } else if (shapes.some((s) => typeof s.t === 'string')) {
      // 2. The slide's own text list: titles first.
      const texts = shapes.filter((s) => typeof s.t === 'string');
      for (const s of [...texts.filter((t) => t.T === true), ...texts.filter((t) => t.T !== true)]) {
        shapeTexts.push(textParagraphs(asString(s.t) ?? ''));
      }
    } else if (html) {
      // 3. The rendered slide, one line per element: lines that continue a sentence are joined again.
      const lines: string[] = [];
      for (const block of htmlToBlocks(html).blocks) {
        if (block.type !== 'paragraph' && block.type !== 'heading') continue;
        for (const line of textParagraphs(block.text)) {
          const previous = lines.at(-1);
          if (previous !== undefined && !/[.!?:;…]$/.test(previous) && (/^\p{Ll}/u.test(line) || /[,\-–]$/.test(previous))) {
            lines[lines.length - 1] = `${previous} ${line}`;
          } else {
            lines.push(line);
          }
        }
      }
      for (const line of lines) shapeTexts.push([line]);
    }
    const title = slide.title;
    shapeTexts.forEach((paragraphs, shapeIndex) => {
      paragraphs.forEach((text, i) => {
        const isTitle = shapeIndex === 0 && i === 0 && title !== null && text.toLowerCase() === title.toLowerCase();
        add(text, isTitle);
      });
    });

    // Alt texts: of shapes in the slide data, and of pictures in the rendered slide.
    const images: { alt: string; src: string | null }[] = [];
    for (const shape of shapes) {
      const alt = cleanText(asString(shape.a) ?? '');
      const src = asString(shape.b);
      images.push({ alt, src: src ? this.file(src) : null });
    }
    for (const match of html.matchAll(/<img\b[^>]*>/gi)) {
      const alt = cleanText(/\balt="([^"]*)"/i.exec(match[0])?.[1] ?? '');
      const src = /\bsrc="([^"]*)"/i.exec(match[0])?.[1];
      images.push({ alt, src: src ? this.file(src) : null });
    }
    for (const image of images) {
      if (!this.usefulAlt(image.alt) || seen.has(`image:${image.alt.toLowerCase()}`)) continue;
      seen.add(`image:${image.alt.toLowerCase()}`);
      const file = image.src && this.view.has(image.src) ? image.src : null;
      if (file) this.imageFiles.set(file, image.alt);
      // Like an href, an image source is relative to the file the page comes from.
      blocks.push({ type: 'image', alt: image.alt, src: file ? path.relative(path.dirname(slide.file), file) : null });
    }

    // Speaker notes, shown to learners in the player's Notes panel, when they say more than the slide.
    const notes = asString(slide.info?.n) ?? '';
    const known = wordsOf(blocks.map((b) => (b.type === 'image' ? b.alt : 'text' in b ? b.text : '')).join(' '));
    const noteParagraphs = textParagraphs(notes);
    if (noteParagraphs.length && !mostlyKnown(noteParagraphs.join(' '), known)) {
      for (const text of noteParagraphs) add(text);
    }
    return { title, kind: 'slide', source: slide.file, itemId, blocks: tidyBlocks(blocks) };
  }

  private usefulAlt(alt: string): boolean {
    if (!hasLetters(alt) || alt.length < 3 || DECORATIVE.test(alt) || isPlayerPrompt(alt) || !isSentenceLike(alt)) return false;
    // Alt texts that are file names or shape names (the picture's original name) describe nothing.
    return !/\.(emf|wmf|png|jpe?g|gif|svg|bmp|tiff?)$/i.test(alt) && !/^(picture|image|graphic|rectangle|oval|group|text ?box)\s*\d+$/i.test(alt);
  }

  media(slides: SlideInfo[]): MediaHint[] {
    const hints = new Map<string, MediaHint>();
    for (const slide of slides) {
      const info = slide.info;
      if (!info) continue;
      for (const sound of asArray(info.S).map(asObject)) {
        const id = asString(sound?.a);
        const src = (id && this.audioById.get(id)) ?? asString(sound?.u) ?? asString(sound?.src);
        const file = src ? this.file(src) : null;
        if (file) addMediaHint(hints, { path: file, durationSeconds: asNumber(sound?.d) ?? null });
      }
      for (const video of asArray(info.V).map(asObject)) {
        const markup = asString(video?.h) ?? '';
        const src = /<source\b[^>]*\bsrc=["']([^"']+)["']/i.exec(markup)?.[1] ?? /\bsrc=["']([^"']+)["']/i.exec(markup)?.[1] ?? asString(video?.u);
        const file = src ? this.file(src) : null;
        if (file) addMediaHint(hints, { path: file, durationSeconds: asNumber(video?.d) ?? null });
      }
    }
    return [...hints.values()];
  }

  /** Pictures of the slides read so far that have a description. */
  imageHints(): MediaHint[] {
    return [...this.imageFiles].map(([file, alt]) => ({ path: file, altText: alt }));
  }
}
