import type { MediaHint } from './tool.js';

/**
 * Adds what a decoder learned about a media file to what it knew, by path. A file met again (a
 * slide's audio the player also preloads, an image on two pages) keeps its first alt text,
 * duration and transcript, gains those it lacked, and collects every caption file. Empty values
 * (null, '', 0) say nothing, so a hint lists only what is known.
 */
export function addMediaHint(hints: Map<string, MediaHint>, hint: MediaHint): void {
  const known = hints.get(hint.path) ?? { path: hint.path };
  if (hint.altText && !known.altText) known.altText = hint.altText;
  if (hint.durationSeconds && !known.durationSeconds) known.durationSeconds = hint.durationSeconds;
  if (hint.transcript && !known.transcript) known.transcript = hint.transcript;
  if (hint.captions?.length) known.captions = [...new Set([...(known.captions ?? []), ...hint.captions])];
  hints.set(hint.path, known);
}
