import { asArray, asNumber, asObject, asString } from '../../content/data-values.js';
import { addMediaHint } from '../media-hints.js';
import type { MediaHint } from '../tool.js';
import { T, type ModelReader } from './model.js';

/** Slide narration with its captions and duration, every other audio or video, and described images. */
export function mediaHints(reader: ModelReader, slides: string[]): MediaHint[] {
  const hints = new Map<string, MediaHint>();
  const resolve = (ref: string) => reader.view.resolve('index.html', ref);
  for (const slideName of slides) {
    const slide = reader.obj(slideName);
    const found = reader.slideAudio(slideName);
    if (!slide || !found) continue;
    const file = resolve(asString(found.audio.src) ?? '');
    if (!file) continue;
    const offset = ((asNumber(found.audio.from) ?? 0) - (asNumber(slide.from) ?? 0)) / reader.fps;
    const cues = reader.captionCues(asArray(slide.audCC), offset);
    const duration = asNumber(found.audio.du);
    addMediaHint(hints, {
      path: file,
      durationSeconds: duration !== undefined ? duration / 1000 : null,
      transcript: cues.length ? { language: null, text: cues.map((c) => c.text).join(' '), cues } : null,
    });
  }
  // Every other audio or video object of the model (object audio, play-audio actions).
  for (const value of Object.values(reader.D)) {
    const object = asObject(value);
    const src = asString(object?.src);
    if (!object || !src || !/\.(mp3|wav|ogg|m4a|aac|mp4|webm|flv|f4v|mov|m4v)$/i.test(src)) continue;
    const file = resolve(src);
    if (!file) continue;
    const duration = asNumber(object.du);
    addMediaHint(hints, { path: file, durationSeconds: duration !== undefined ? duration / 1000 : null });
  }
  // Files the runtime preloads: referenced, so a missing one is reported.
  for (const ref of [...reader.model.audios, ...reader.model.videos]) {
    const file = resolve(ref);
    if (file) addMediaHint(hints, { path: file });
  }
  // Images with a real description, when the image is a file of the package (not a sprite in dr/*.json).
  for (const [name, value] of Object.entries(reader.D)) {
    const item = asObject(value);
    if (asNumber(item?.type) !== T.imageBox) continue;
    const image = reader.image(name);
    if (image?.file) addMediaHint(hints, { path: image.file, altText: image.alt });
  }
  return [...hints.values()];
}
