import path from 'node:path/posix';
import { tidyBlocks } from '../../content/blocks.js';
import { num, obj, objects, scalarText, type DataObject } from '../../content/data-values.js';
import { htmlToBlocks, htmlToText } from '../../content/html.js';
import { normalizeSpace } from '../../content/text.js';
import type { Block, Question } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';
import { addMediaHint } from '../media-hints.js';
import { prefixOutput, storyline } from '../storyline/index.js';
import type { AssessmentDraft, MediaHint, PageDraft } from '../tool.js';
import { readBlock, readLegacyLesson } from './blocks.js';
import { readQuestions, unaskedOf } from './questions.js';

/** Reads the lessons of a course into pages and assessments, with the media and embedded stories they use. */
export class RiseReader {
  readonly pages: PageDraft[] = [];
  readonly assessments: AssessmentDraft[] = [];
  private readonly media = new Map<string, MediaHint>();
  private readonly storylines = new Set<string>();
  /** Storyline outputs found in the current lesson, placed after it. */
  private pendingStories: { folder: string; title: string | null }[] = [];

  constructor(
    private readonly view: PackageView,
    private readonly root: string,
    readonly source: string,
  ) {}

  mediaHints(): MediaHint[] {
    return [...this.media.values()];
  }

  /** An asset path of the view: the first name (raw or URL-decoded, or its base name) present under assets/. */
  private asset(names: string[]): { path: string; present: boolean } | null {
    const tried: string[] = [];
    for (const name of names.filter((n) => n && !/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(n))) {
      for (const candidate of [name, path.basename(name)]) {
        const resolved = this.view.resolve(`${this.root}index.html`, candidate.startsWith('assets/') ? candidate : `assets/${candidate}`);
        if (!resolved) continue;
        if (this.view.has(resolved)) return { path: resolved, present: true };
        tried.push(resolved);
      }
    }
    return tried[0] ? { path: tried[0], present: false } : null;
  }

  /** Caption files named anywhere in a media record. */
  private captions(record: DataObject): string[] {
    const found: string[] = [];
    const visit = (node: unknown, depth: number) => {
      if (depth > 4) return;
      if (typeof node === 'string' && /\.(vtt|srt)(\?.*)?$/i.test(node)) {
        const file = this.asset([node]);
        if (file) found.push(file.path);
      } else if (node && typeof node === 'object') for (const value of Object.values(node)) visit(value, depth + 1);
    };
    visit(record, 0);
    return [...new Set(found)];
  }

  /** Blocks and media hints of a `media` record (image, video, audio, attachment, embed). */
  mediaBlocks(media: unknown, fallbackAlt?: unknown): Block[] {
    const m = obj(media);
    const blocks: Block[] = [];
    const image = obj(m.image);
    if (Object.keys(image).length > 0) {
      const names = [image.useCrushedKey === false ? '' : scalarText(image.crushedKey), scalarText(image.key), scalarText(image.src), scalarText(image.crushedKey)];
      const file = this.asset(names);
      const alt = normalizeSpace(scalarText(image.altText) || scalarText(image.alt) || scalarText(obj(fallbackAlt).altText) || scalarText(obj(fallbackAlt).alt));
      if (file) addMediaHint(this.media, { path: file.path, altText: alt });
      if (alt) blocks.push({ type: 'image', alt, src: file?.path ?? null });
    }
    for (const kind of ['video', 'audio'] as const) {
      const record = obj(m[kind]);
      if (Object.keys(record).length === 0) continue;
      const file = this.asset([scalarText(record.key), scalarText(record.src), scalarText(record.filename)]);
      const duration = num(record.duration);
      const transcript = htmlToText(scalarText(record.transcript));
      if (file) {
        addMediaHint(this.media, {
          path: file.path,
          durationSeconds: duration && duration > 0 ? duration : null,
          captions: this.captions(record),
          transcript: transcript ? { language: null, text: transcript, cues: [] } : null,
        });
      }
    }
    const attachment = obj(m.attachment);
    if (Object.keys(attachment).length > 0) {
      const file = this.asset([scalarText(attachment.key), scalarText(attachment.filename)]);
      if (file) addMediaHint(this.media, { path: file.path });
    }
    const embed = obj(m.embed);
    // An embedded web page shows as a card with its title and description; a player shows its title.
    blocks.push(...this.html(embed.title));
    if (scalarText(embed.embedType) === 'link') blocks.push(...this.html(embed.description));
    return blocks;
  }

  /** The course's cover picture: a media file of the course, with no text of its own. */
  coverImage(media: unknown): void {
    this.mediaBlocks(media);
  }

  html(value: unknown): Block[] {
    const text = scalarText(value);
    return text.trim() ? htmlToBlocks(text).blocks : [];
  }

  /** A table, as HTML or as rows of cells. */
  table(value: unknown): Block[] {
    if (typeof value === 'string') return this.html(value);
    const rows = (Array.isArray(value) ? value : Array.isArray(obj(value).rows) ? (obj(value).rows as unknown[]) : []).map((row) =>
      (Array.isArray(row) ? row : Array.isArray(obj(row).cells) ? (obj(row).cells as unknown[]) : []).map((cell) => {
        const c = obj(cell);
        return htmlToText(typeof cell === 'string' ? cell : scalarText(c.value ?? c.text ?? c.content ?? c.paragraph));
      }),
    );
    const kept = rows.filter((row) => row.some(Boolean));
    return kept.length > 0 ? [{ type: 'table', rows: kept }] : [];
  }

  heading(value: unknown, level: number): Block[] {
    const text = htmlToText(scalarText(value));
    return text ? [{ type: 'heading', level, text }] : [];
  }

  embeddedStory(story: DataObject): void {
    const src = scalarText(story.src);
    const title = htmlToText(scalarText(story.title)) || null;
    if (!src) return;
    const resolved = this.view.resolve(`${this.root}index.html`, `assets/${src}`);
    const folder = resolved ? path.dirname(resolved) : null;
    if (!folder || folder === '.') return;
    if (!this.view.has(`${folder}/html5/data/js/data.js`)) {
      this.view.warn('rise_storyline_missing', `The Storyline block "${scalarText(story.title)}" points to ${folder}, which is not in the package.`);
      return;
    }
    this.pendingStories.push({ folder, title });
  }

  /** The cover page: the course title and the description the learner reads before starting. */
  cover(title: string | null, description: unknown): void {
    const blocks = this.html(description);
    if (blocks.length > 0) this.pages.push({ title, kind: 'page', source: this.source, blocks: tidyBlocks(blocks) });
  }

  async lesson(lesson: DataObject, courseTitle: string | null): Promise<void> {
    if (lesson.deleted === true || lesson.isHidden === true) return;
    const type = scalarText(lesson.type).toLowerCase();
    const title = htmlToText(scalarText(lesson.title)) || null;
    // A section is a heading of the course's menu; a lesson that only embeds (a web page, a
    // form) shows its title alone. Either way the title is what the learner reads.
    const titleBlocks: Block[] = title ? [{ type: 'heading', level: 2, text: title }] : [];
    if (type === 'section') {
      this.pages.push({ title, kind: 'section', source: this.source, blocks: titleBlocks });
      return;
    }
    const questions: Question[] = [];
    const blocks: Block[] = [...this.html(lesson.description), ...this.mediaBlocks(obj(lesson.headerImage).media)];
    // Blocks carry a family; the items of the first Rise's lesson types do not.
    if (type === 'quiz' || objects(lesson.items).some((item) => typeof item.family === 'string')) {
      for (const item of objects(lesson.items)) {
        if (type === 'quiz' && !item.family) questions.push(...readQuestions(this, item, blocks));
        else blocks.push(...readBlock(this, item, questions));
      }
    } else blocks.push(...readLegacyLesson(this, lesson, questions));
    const pageIndex = this.pages.length;
    const tidy = tidyBlocks(blocks);
    this.pages.push({ title: title ?? courseTitle, kind: 'lesson', source: this.source, blocks: tidy.length > 0 ? tidy : titleBlocks });
    if (questions.length > 0) {
      const settings = obj(lesson.settings);
      this.assessments.push({
        title,
        source: this.source,
        pageIndex,
        passingScore: type === 'quiz' ? num(settings.passingScore) : null,
        questionsPerAttempt: questions.length - unaskedOf(objects(lesson.items)),
        questions,
      });
    }
    const stories = this.pendingStories;
    this.pendingStories = [];
    for (const { folder, title: storyTitle } of stories) await this.story(folder, storyTitle);
  }

  /** Adds an embedded Storyline output's slides, questions and media, paths under `folder`. */
  async story(folder: string, title: string | null = null): Promise<void> {
    if (this.storylines.has(folder)) return;
    this.storylines.add(folder);
    const output = prefixOutput(await storyline.extract(this.view.sub(folder)), folder);
    const offset = this.pages.length;
    // An untitled slide takes the name the course gives the interaction.
    this.pages.push(...output.pages.map((page) => ({ ...page, title: page.title ?? title ?? output.title ?? null })));
    for (const assessment of output.assessments) {
      this.assessments.push({ ...assessment, pageIndex: assessment.pageIndex === null || assessment.pageIndex === undefined ? null : assessment.pageIndex + offset });
    }
    for (const hint of output.media) addMediaHint(this.media, hint);
  }

  /** Storyline outputs under assets/ that no block named (older exports), after the lessons. */
  async unreferencedStories(): Promise<void> {
    const pattern = new RegExp(`^${this.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}assets/(.+)/html5/data/js/data\\.js$`);
    for (const file of this.view.files()) {
      const folder = pattern.exec(file)?.[1];
      if (folder) await this.story(`${this.root}assets/${folder}`);
    }
  }
}
