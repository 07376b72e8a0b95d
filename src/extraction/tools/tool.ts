import type { Block, PageKind, Question, Transcript } from '../result/extraction-result.js';
import type { PackageView } from '../source/package-view.js';

/**
 * One page, slide or lesson of learner text as a tool decoder found it. Paths are relative to the
 * view the decoder was given.
 */
export interface PageDraft {
  title: string | null;
  kind: PageKind;
  source: string;
  /** The organization item it belongs to, when the decoder knows; otherwise matched by source. */
  itemId?: string | null;
  /** For a page of a document (PDF): its page number. */
  pageNumber?: number | null;
  blocks: Block[];
}

export interface AssessmentDraft {
  title: string | null;
  source: string;
  itemId?: string | null;
  /** Index into the decoder's own `pages` of the page the questions sit on, if any. */
  pageIndex?: number | null;
  passingScore?: number | null;
  /** How many of its questions one attempt asks, when it draws fewer than all (a question pool). */
  questionsPerAttempt?: number | null;
  questions: Question[];
}

/** What a decoder learned about a media file: alt text, captions, an inline transcript, a duration. */
export interface MediaHint {
  path: string;
  altText?: string | null;
  /** Caption files (.vtt, .srt) of this media, as package paths relative to the view. */
  captions?: string[];
  transcript?: Omit<Transcript, 'source' | 'format'> & { text: string } | null;
  durationSeconds?: number | null;
}

export interface ToolOutput {
  /** The course's real title when the manifest's is generic (Captivate's "Captivate E-Learning Course"). */
  title?: string | null;
  description?: string | null;
  language?: string | null;
  pages: PageDraft[];
  assessments: AssessmentDraft[];
  media: MediaHint[];
}

export interface ToolDetection {
  version: string | null;
}

/**
 * A decoder for one authoring tool's output. detect() must be cheap (file names, a small file);
 * extract() reads the tool's own data, not its rendered player.
 */
export interface ToolDecoder {
  /** Product name as users know it, e.g. "Articulate Rise 360". */
  name: string;
  detect(view: PackageView): Promise<ToolDetection | null>;
  extract(view: PackageView): Promise<ToolOutput>;
}

