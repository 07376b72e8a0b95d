import type { Cue } from '../result/extraction-result.js';
import { cleanText } from './text.js';

/** "00:01:02.500", "01:02.500" or SRT's "00:01:02,500" in seconds. */
function seconds(timestamp: string): number {
  const parts = timestamp.trim().replace(',', '.').split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + (Number.isFinite(part) ? part : 0), 0);
}

const TIMING = /^\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})/;

/** Cue text without voice/class/style tags and entities (`<v Ann>`, `<i>`, `&nbsp;`). */
function cueText(lines: string[]): string {
  return cleanText(lines.join(' ').replace(/<[^<>]*>/g, ' ').replace(/\{\\[^{}]*\}/g, ' '));
}

/** Parses WebVTT or SubRip captions; both are blocks of a timing line and text lines. */
export function parseCaptions(content: string): Cue[] {
  const cues: Cue[] = [];
  for (const block of content.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const lines = block.split('\n');
    const timingIndex = lines.findIndex((line) => TIMING.test(line));
    if (timingIndex < 0) continue; // header, NOTE, STYLE or REGION blocks
    const [, start = '0', end = '0'] = TIMING.exec(lines[timingIndex] ?? '') ?? [];
    const text = cueText(lines.slice(timingIndex + 1));
    if (text) cues.push({ start: seconds(start), end: seconds(end), text });
  }
  return cues;
}

/** The words spoken, once: rolling captions that repeat the previous cue are folded. */
export function captionsText(cues: Cue[]): string {
  const lines: string[] = [];
  for (const cue of cues) {
    const previous = lines.at(-1);
    if (previous === cue.text) continue;
    if (previous && cue.text.startsWith(previous)) lines[lines.length - 1] = cue.text;
    else lines.push(cue.text);
  }
  return lines.join(' ');
}

/** The language of a caption file from its name: `video_en.vtt`, `video.pt-BR.srt`. */
export function captionLanguage(path: string): string | null {
  const match = /[._-]([a-z]{2}(?:[-_][A-Za-z]{2})?)\.(vtt|srt)$/i.exec(path);
  return match ? match[1]!.replace('_', '-') : null;
}
