import path from 'node:path/posix';
import { captionsText } from '../../content/captions.js';
import { stringLiterals } from '../../content/js-literals.js';
import { mediaType } from '../../content/media.js';
import { normalizeSpace } from '../../content/text.js';
import { attr, child, children, parseXml, text, type XmlNode } from '../../manifest/xml.js';
import type { Block, Cue, Question } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';
import { itemLaunching, launchInView } from '../items.js';
import { addMediaHint } from '../media-hints.js';
import { makeQuestion, type QuestionInput } from '../question.js';
import type { AssessmentDraft, MediaHint, ToolDecoder, ToolDetection, ToolOutput } from '../tool.js';
import { altLanguage, altText, listItems, rootDescription, rtfText, tracksOf, type XmpTrack } from './xmp.js';

/*
 * TechSmith Camtasia web publishes (Smart Player): `<name>.html` (or `<name>_player.html`) plays
 * `<name>.mp4` and reads what the video shows besides its pictures from `<name>_config.xml`, an
 * XMP document (see xmp.ts): the table of contents, the captions and the quizzes. The same XML is
 * also a JavaScript string in `scripts/config_xml.js` (`TSC.embedded_config_xml = '…'`), for
 * playing from disk; that copy is read only where the XML file is absent. A package may hold
 * several publishes, one a folder.
 */

const XML_CONFIG = /_config\.xml$/i;
const JS_CONFIG = /(^|\/)scripts\/config_xml\.js$/i;
const MAX_CONFIGS = 200;
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
const MAX_QUESTIONS = 5000;
const HEAD_BYTES = 8192;

interface Config {
  file: string;
  /** The publish's folder: the XML file's, or the folder holding `scripts/`. */
  folder: string;
}

const isXmpHead = (head: string): boolean => /techsmith\.com\/xmp/i.test(head) && /<x:xmpmeta\b/.test(head);

/** Camtasia's XMP files in the view, one per publish: the XML file, else the script copy in its folder. */
async function findConfigs(view: PackageView): Promise<Config[]> {
  const candidates = view.files().filter((f) => XML_CONFIG.test(f) || JS_CONFIG.test(f));
  const configs: Config[] = [];
  for (const file of candidates.slice(0, MAX_CONFIGS)) {
    const head = (await view.head(file, HEAD_BYTES).catch(() => Buffer.alloc(0))).toString('utf8');
    if (!isXmpHead(head)) continue;
    const isScript = JS_CONFIG.test(file);
    if (isScript && !/TSC\.embedded_config_xml/.test(head)) continue;
    const folder = isScript ? path.dirname(path.dirname(file)) : path.dirname(file);
    configs.push({ file, folder: folder === '.' ? '' : folder });
  }
  const withXml = new Set(configs.filter((c) => XML_CONFIG.test(c.file)).map((c) => c.folder));
  return configs.filter((c) => XML_CONFIG.test(c.file) || !withXml.has(c.folder));
}

/**
 * The package is Camtasia's when the videos are what it launches: every launching item starts a
 * file in a publish's folder (a course that only embeds a video keeps its own reader), or, without
 * items, a publish sits at the root.
 */
function launchesPublishes(view: PackageView, configs: Config[]): boolean {
  const folders = new Set(configs.map((c) => c.folder));
  const launches = view.items.map((item) => launchInView(view, item)).filter((l): l is string => !!l && !/^[a-z][a-z0-9+.-]*:/i.test(l));
  if (launches.length === 0) return folders.has('');
  return launches.every((launch) => {
    const folder = path.dirname(launch);
    return folders.has(folder === '.' ? '' : folder);
  });
}

async function configXml(view: PackageView, config: Config): Promise<string | undefined> {
  if ((view.size(config.file) ?? Infinity) > MAX_CONFIG_BYTES) return undefined;
  const content = await view.text(config.file);
  if (!content || XML_CONFIG.test(config.file)) return content;
  return stringLiterals(content).find((literal) => /^\s*<x:xmpmeta\b/.test(literal));
}

const version = (source: string | undefined): string | null =>
  source && /camtasia/i.test(source) ? (/\d+(?:\.\d+)+/.exec(source)?.[0] ?? null) : null;

async function detect(view: PackageView): Promise<ToolDetection | null> {
  const configs = await findConfigs(view);
  if (configs.length === 0 || !launchesPublishes(view, configs)) return null;
  const head = (await view.head((configs[0] as Config).file, HEAD_BYTES).catch(() => Buffer.alloc(0))).toString('utf8');
  return { version: version(/\bdc:source="([^"]*)"/.exec(head)?.[1]) };
}

// ---------------------------------------------------------------------------------------------
// Questions.

/**
 * The answer a multiple-choice question marks correct: `correctAnswer` is that answer's bit
 * (1 = the first, 4 = the third), as the Smart Player grades it; 0 or none leaves the question
 * ungraded (a poll), and a value that is no single answer's bit marks none.
 */
function correctIndex(mask: string | undefined, count: number): number | null {
  if (!mask || !/^\d+$/.test(mask)) return null;
  const index = Array.from({ length: Math.min(count, 30) }, (_, i) => i).find((i) => 2 ** i === Number(mask));
  return index ?? null;
}

function feedbackOf(question: XmlNode): { correct?: string; incorrect?: string } {
  const feedback: { correct?: string; incorrect?: string } = {};
  for (const item of listItems(child(question, 'feedback'))) {
    const description = child(item, 'Description');
    const reason = attr(description, 'reason');
    const words = altText(child(description, 'name'));
    if (words && (reason === 'correct' || reason === 'incorrect')) feedback[reason] = words;
  }
  return feedback;
}

function questionInput(question: XmlNode, id: string, source: string): QuestionInput {
  const kind = (attr(question, 'type') ?? '').toUpperCase();
  const answers = listItems(child(question, 'answerArray'))
    .map((item) => text(child(child(item, 'Description'), 'answer')) ?? '')
    .filter(Boolean);
  const base = { id, prompt: text(child(question, 'question')) ?? '', source, feedback: feedbackOf(question) };
  if (kind === 'FITB') return { ...base, type: 'fill_in', correctAnswers: answers };
  if (kind === 'SHORT' || answers.length === 0) return { ...base, type: 'essay' };
  const correct = correctIndex(text(child(question, 'correctAnswer')), answers.length);
  return {
    ...base,
    type: 'choice',
    choices: answers.map((answer, index) => ({ text: answer, correct: correct === null ? null : index === correct })),
  };
}

function quizzes(track: XmpTrack, source: string, prefix: string, budget: { left: number }): AssessmentDraft[] {
  const assessments: AssessmentDraft[] = [];
  for (const [setIndex, marker] of track.markers.entries()) {
    const questions: Question[] = [];
    const entries = listItems(child(marker.node, 'questions')).flatMap((item) => children(item, 'Description'));
    for (const [index, entry] of entries.entries()) {
      if (budget.left <= 0) break;
      budget.left -= 1;
      const question = makeQuestion(questionInput(entry, `${prefix}q${setIndex + 1}-${attr(entry, 'id') ?? index + 1}`, source));
      if (question.prompt || question.choices.length > 0) questions.push(question);
    }
    const title = normalizeSpace(attr(marker.node, 'questionSetName') ?? '') || null;
    if (questions.length > 0) assessments.push({ title, source, questions });
  }
  return assessments;
}

// ---------------------------------------------------------------------------------------------
// Chapters and captions.

function captionCues(track: XmpTrack): Cue[] {
  const cues: Cue[] = [];
  for (const marker of track.markers) {
    const words = rtfText(altText(child(marker.node, 'name')));
    const duration = Number(attr(marker.node, 'duration'));
    if (words) cues.push({ start: marker.start, end: marker.start + (Number.isFinite(duration) && duration > 0 ? duration / 1000 : 0), text: words });
  }
  return cues;
}

/** Chapter names as headings, each followed by what the captions say until the next chapter. */
function videoBlocks(chapters: { title: string; start: number }[], cues: Cue[]): Block[] {
  const blocks: Block[] = [];
  const said = (from: number, to: number) => captionsText(cues.filter((cue) => cue.start >= from && cue.start < to));
  const opening = said(0, chapters[0]?.start ?? Infinity);
  if (opening) blocks.push({ type: 'paragraph', text: opening });
  for (const [index, chapter] of chapters.entries()) {
    blocks.push({ type: 'heading', level: 2, text: chapter.title });
    const words = said(chapter.start, chapters[index + 1]?.start ?? Infinity);
    if (words) blocks.push({ type: 'paragraph', text: words });
  }
  return blocks;
}

/** The video a publish plays, when it is a file of the package. */
function videoOf(view: PackageView, config: Config, description: XmlNode): string | null {
  const listed = listItems(child(child(child(description, 'contentList'), 'Description'), 'files'))
    .map((item) => attr(item, 'value') ?? '')
    .map((value) => view.resolve(config.file, value))
    .find((file): file is string => file !== null && view.has(file) && mediaType(file)?.kind === 'video');
  if (listed) return listed;
  const stem = path.basename(config.file).replace(XML_CONFIG, '');
  const sibling = view.files().find((f) => path.dirname(f) === (config.folder || '.') && mediaType(f)?.kind === 'video' && path.basename(f).startsWith(stem));
  return sibling ?? null;
}

async function extract(view: PackageView): Promise<ToolOutput> {
  const output: ToolOutput = { pages: [], assessments: [], media: [] };
  const media = new Map<string, MediaHint>();
  const configs = await findConfigs(view);
  const budget = { left: MAX_QUESTIONS };
  for (const [index, config] of configs.entries()) {
    const xml = await configXml(view, config);
    if (!xml) continue;
    let description: XmlNode | undefined;
    try {
      description = rootDescription(parseXml(Buffer.from(xml), config.file, view.warnings));
    } catch {
      view.warn('camtasia_config_unreadable', `${config.file} is not readable XMP.`, config.file);
      continue;
    }
    if (!description) continue;
    const tracks = tracksOf(description);
    const title = normalizeSpace(attr(description, 'title') ?? '') || null;
    output.title ??= title;
    output.language ??= altLanguage(child(description, 'langName'));

    const chapters = tracks
      .filter((t) => t.type === 'TableOfContents')
      .flatMap((t) => t.markers)
      .map((m) => ({ title: normalizeSpace(attr(m.node, 'name') ?? ''), start: m.start }))
      .filter((c) => c.title)
      .sort((a, b) => a.start - b.start);
    // The first caption track is the one the player shows; others are further languages.
    const captionTrack = tracks.find((t) => t.type === 'Caption');
    const cues = captionTrack ? captionCues(captionTrack) : [];
    const video = videoOf(view, config, description);
    if (video && cues.length > 0) addMediaHint(media, { path: video, transcript: { language: null, text: captionsText(cues), cues } });

    const launches = view.files().filter((f) => path.dirname(f) === (config.folder || '.') && /\.html?$/i.test(f));
    const itemId = itemLaunching(view, launches);
    const pageIndex = output.pages.length;
    output.pages.push({ title, kind: 'page', source: config.file, itemId, blocks: videoBlocks(chapters, cues) });
    const prefix = configs.length > 1 ? `v${index + 1}-` : '';
    for (const track of tracks.filter((t) => t.type === 'Quiz')) {
      output.assessments.push(...quizzes(track, config.file, prefix, budget).map((a) => ({ ...a, itemId, pageIndex })));
    }
  }
  output.media = [...media.values()];
  return output;
}

export const camtasia: ToolDecoder = { name: 'TechSmith Camtasia', detect, extract };
