import path from 'node:path/posix';
import type { PackageView } from '../../source/package-view.js';
import { addMediaHint } from '../media-hints.js';
import type { MediaHint } from '../tool.js';
import { authoredAlt, MEDIA_FILE, STRING, stringOf, type ParsedPage } from './page.js';

/** Videos and sounds with their caption files; images with alternative text the author wrote. */
export function readMedia(view: PackageView, page: ParsedPage, hidden: Set<string>, media: Map<string, MediaHint>): void {
  for (const object of page.objects.values()) {
    if (hidden.has(object.name)) continue;
    if (object.type === 'ObjMedia') {
      const src = object.args.find((a) => MEDIA_FILE.test(a)) ?? object.args[8];
      const resolved = src ? view.resolve(page.file, src) : null;
      if (!resolved) continue;
      const captions = [...page.source.matchAll(new RegExp(String.raw`\b${object.name}\.addCaption\(\s*(?:${STRING})`, 'g'))]
        .map((m) => view.resolve(page.file, stringOf(m, 1)))
        .filter((c): c is string => !!c);
      addMediaHint(media, { path: resolved, captions });
    } else if (object.type === 'ObjImage') {
      const src = object.args[1];
      const alt = authoredAlt(object);
      const resolved = src ? view.resolve(page.file, src) : null;
      if (resolved && alt) addMediaHint(media, { path: resolved, altText: alt });
    }
  }
  for (const src of page.mediaReferences) {
    const resolved = view.resolve(page.file, src);
    if (resolved) addMediaHint(media, { path: resolved });
  }
}

/** Caption files no page links, named after their media (`movie.mp4.srt`, `movie.vtt`). */
export function attachLooseCaptions(view: PackageView, media: Map<string, MediaHint>): void {
  const linked = new Set([...media.values()].flatMap((m) => m.captions ?? []));
  for (const caption of view.files().filter((f) => /\.(srt|vtt)$/i.test(f) && !linked.has(f))) {
    const stem = path.basename(caption).replace(/\.(srt|vtt)$/i, '').toLowerCase();
    const target = [...media.values()].find((m) => {
      const base = path.basename(m.path).toLowerCase();
      return base === stem || base.replace(/\.\w+$/, '') === stem;
    });
    if (target) addMediaHint(media, { path: target.path, captions: [caption] });
  }
}
