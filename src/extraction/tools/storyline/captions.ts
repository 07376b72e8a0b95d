import path from 'node:path/posix';
import { captionsText, parseCaptions } from '../../content/captions.js';
import { jsonNumber, obj, scalarText, type DataObject } from '../../content/data-values.js';
import { htmlToText } from '../../content/html.js';
import type { Cue } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';
import { addMediaHint } from '../media-hints.js';
import type { MediaHint } from '../tool.js';
import { readProvidedData } from './data-files.js';

/**
 * WebVTT as Storyline's closed-captions editor publishes it: `{"data": "WEBVTT%0D%0A…"}`, the
 * file percent-encoded in one string.
 */
function encodedWebVtt(data: DataObject): Cue[] {
  const encoded = typeof data.data === 'string' ? data.data : '';
  let text: string;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    return [];
  }
  return /^\ufeff?WEBVTT/.test(text) ? parseCaptions(text) : [];
}

/** Cues of a caption data file (`story_content/*captions*.js`), when it holds timed texts. */
function cuesOf(data: DataObject): Cue[] {
  const webVtt = encodedWebVtt(data);
  if (webVtt.length > 0) return webVtt;
  const found: Cue[] = [];
  const visit = (node: unknown, depth: number) => {
    if (depth > 8 || found.length > 0) return;
    if (Array.isArray(node)) {
      const cues = node.map(obj).flatMap((c): Cue[] => {
        const text = htmlToText(scalarText(c.text ?? c.caption ?? c.content));
        const start = jsonNumber(c.start ?? c.startTime ?? c.begin ?? c.in);
        const end = jsonNumber(c.end ?? c.endTime ?? c.out);
        return text && start !== null && end !== null ? [{ start, end, text }] : [];
      });
      if (cues.length > 0) {
        const milliseconds = cues.some((c) => c.end > 36_000);
        found.push(...cues.map((c) => (milliseconds ? { ...c, start: c.start / 1000, end: c.end / 1000 } : c)));
        return;
      }
      node.forEach((n) => visit(n, depth + 1));
    } else if (node && typeof node === 'object') for (const value of Object.values(node)) visit(value, depth + 1);
  };
  visit(data, 0);
  return found;
}

/**
 * Caption files and caption data of the story, attached to the media the story's asset library
 * links them to (`captions` beside `url`), else to the media they name (or the only one).
 */
export async function attachCaptions(view: PackageView, media: Map<string, MediaHint>, linked: Map<string, string>): Promise<void> {
  const files = view.files();
  const players = [...media.values()].filter((m) => /\.(mp4|m4v|webm|mov|mp3|m4a|wav|ogg|aac)$/i.test(m.path));
  const target = (file: string): MediaHint | undefined => {
    const tokens = path
      .basename(file)
      .replace(/\.[^.]+$/, '')
      .split(/[_\-.\s]+/)
      .filter((t) => t.length >= 6 && !/^captions?$/i.test(t));
    return players.find((m) => tokens.some((t) => path.basename(m.path).includes(t))) ?? (players.length === 1 ? players[0] : undefined);
  };
  for (const file of files.filter((f) => /\.(vtt|srt)$/i.test(f))) {
    const hint = target(file);
    if (hint) addMediaHint(media, { path: hint.path, captions: [file] });
  }
  for (const file of files.filter((f) => /^story_content\/[^/]*captions?[^/]*\.js$/i.test(f))) {
    const mediaPath = linked.get(file) ?? target(file)?.path;
    const text = mediaPath ? await view.text(file) : undefined;
    const data = text === undefined ? undefined : readProvidedData(text);
    const cues = data ? cuesOf(data) : [];
    if (mediaPath && cues.length > 0) addMediaHint(media, { path: mediaPath, transcript: { language: null, text: captionsText(cues), cues } });
  }
}
