import path from 'node:path/posix';
import { captionLanguage, captionsText, parseCaptions } from './content/captions.js';
import { MEDIA_HEAD_BYTES, mediaDuration, mediaType } from './content/media.js';
import { isSentenceLike } from './content/text.js';
import type { Block, Media, Transcript } from './result/extraction-result.js';
import type { PackageView } from './source/package-view.js';
import type { MediaHint, PageDraft } from './tools/tool.js';

/** Player skins, fonts and runtime assets (versioned library folders too): files of the player, not of the course. */
const PLAYER_ASSET =
  /(^|\/)(scormdriver|lms|html5\/lib|lib|libraries|common_html5|fonts?|fontawesome[^/]*|playbar[^/]*|skins?|themes?|vendor|node_modules|mathjax|mediaplayer|tocicons|toc_icons|\.tmb)\/|(^|\/)[A-Za-z][\w.]*-\d+(\.\d+)+\//i;
/** Icons a page gives the browser (tab, home screen, tiles): never course media. */
const BROWSER_ICON = /(^|\/)(favicon[^/]*|apple-touch-icon[^/]*|android-chrome-[^/]*|mstile-[^/]*|safari-pinned-tab\.svg)$/i;

/** MP4s whose index sits after the media data are read whole up to this size for their duration. */
const MAX_FULL_MEDIA_READ = 32 * 1024 * 1024;
const CUES_PER_PARAGRAPH = 6;

async function durationOf(view: PackageView, file: string, size: number): Promise<number | null> {
  try {
    const fromHead = mediaDuration(file, await view.head(file, MEDIA_HEAD_BYTES), size);
    if (fromHead !== null || size <= MEDIA_HEAD_BYTES || size > MAX_FULL_MEDIA_READ || !/\.(mp4|m4v|m4a|mov)$/i.test(file)) {
      return fromHead;
    }
    return mediaDuration(file, await view.bytes(file, MAX_FULL_MEDIA_READ), size);
  } catch {
    return null;
  }
}

/** The base name a caption file belongs to: `intro_en.vtt`, `intro.en.vtt` and `intro.vtt` all caption `intro`. */
function captionStem(file: string): string {
  return path.basename(file).replace(/\.(vtt|srt)$/i, '').replace(/[._-][a-z]{2}([-_][A-Za-z]{2})?$/, '').toLowerCase();
}

/**
 * Every media file of the package (player assets aside) with size, alt text, duration and
 * transcripts; files the package or its tool references but does not contain are listed as
 * missing. Caption files also become transcript pages, so their words are searchable.
 */
export async function buildMediaInventory(
  view: PackageView,
  hints: MediaHint[],
  referenced: string[],
): Promise<{ media: Media[]; transcriptPages: PageDraft[] }> {
  const byPath = new Map<string, Media>();
  const add = (file: string, missing: boolean) => {
    const type = mediaType(file);
    if (!type || byPath.has(file)) return;
    byPath.set(file, {
      path: file,
      kind: type.kind,
      mime: type.mime,
      size_bytes: missing ? null : view.size(file),
      missing,
      alt_text: null,
      duration_seconds: null,
      transcripts: [],
    });
  };
  for (const file of view.files()) if (!PLAYER_ASSET.test(file) && !BROWSER_ICON.test(file)) add(file, false);
  for (const file of [...referenced, ...hints.map((h) => h.path)]) if (!view.has(file)) add(file, true);

  const captions = new Map<string, Transcript>();
  for (const media of byPath.values()) {
    if (media.kind === 'caption' && !media.missing) {
      const content = await view.text(media.path);
      const cues = content ? parseCaptions(content) : [];
      const transcript: Transcript = {
        source: media.path,
        format: media.path.toLowerCase().endsWith('.srt') ? 'srt' : 'vtt',
        language: captionLanguage(media.path),
        text: captionsText(cues),
        cues,
      };
      captions.set(media.path, transcript);
      media.transcripts.push(transcript);
      media.duration_seconds = cues.at(-1)?.end ?? null;
    } else if ((media.kind === 'audio' || media.kind === 'video') && !media.missing && media.size_bytes !== null) {
      media.duration_seconds = await durationOf(view, media.path, media.size_bytes);
    }
  }

  const attached = new Set<string>();
  for (const hint of hints) {
    const media = byPath.get(hint.path);
    if (!media) continue;
    if (hint.altText && !media.alt_text) media.alt_text = hint.altText;
    if (hint.durationSeconds && media.duration_seconds === null) media.duration_seconds = hint.durationSeconds;
    for (const caption of hint.captions ?? []) {
      const transcript = captions.get(caption);
      if (transcript && !media.transcripts.includes(transcript)) media.transcripts.push(transcript);
      attached.add(caption);
    }
    if (hint.transcript?.text) {
      media.transcripts.push({ source: 'inline', format: 'inline', language: hint.transcript.language, text: hint.transcript.text, cues: hint.transcript.cues });
    }
  }
  // Captions no tool linked: attach them to the audio or video of the same name in the same folder.
  const playable = new Map<string, Media>();
  for (const m of byPath.values()) {
    const key = `${path.dirname(m.path)}/${path.basename(m.path).replace(/\.[^.]+$/, '').toLowerCase()}`;
    if ((m.kind === 'video' || m.kind === 'audio') && !playable.has(key)) playable.set(key, m);
  }
  for (const [caption, transcript] of captions) {
    if (attached.has(caption)) continue;
    playable.get(`${path.dirname(caption)}/${captionStem(caption)}`)?.transcripts.push(transcript);
  }

  // The media each transcript is of: an inline one by the media's path, a caption file by its own.
  const mediaOf = new Map<string, Media>();
  for (const m of byPath.values()) {
    if (m.kind === 'caption') continue;
    mediaOf.set(m.path, m);
    for (const t of m.transcripts) if (!mediaOf.has(t.source)) mediaOf.set(t.source, m);
  }
  const inline = hints.filter((h) => h.transcript?.text).map((h) => ({ source: h.path, transcript: h.transcript! }));
  const transcriptPages: PageDraft[] = [
    ...[...captions.values()].map((transcript) => ({ source: transcript.source, transcript })),
    ...inline,
  ]
    .filter(({ transcript }) => transcript.text)
    .map(({ source, transcript }) => ({
      title: transcriptTitle(mediaOf.get(source)),
      kind: 'transcript',
      source,
      blocks: transcriptBlocks(transcript),
    }));
  return { media: [...byPath.values()], transcriptPages };
}

/**
 * A transcript's title: what its media shows (alt text), else its file's name when that reads as
 * words ("Safety_Briefing.mp4"); never a bare file name ("27250.mp3").
 */
function transcriptTitle(media: Media | undefined): string {
  const name = media ? path.basename(media.path).replace(/\.[^.]+$/, '').replace(/[_-]+/g, ' ').trim() : '';
  const about = media?.alt_text ?? (isSentenceLike(name) && !/\d{3,}/.test(name) ? name : null);
  return about ? `Transcript: ${about}` : 'Transcript';
}

/** A transcript as paragraphs of a few cues each (one paragraph when it has no cues). */
function transcriptBlocks(transcript: { text: string; cues: Transcript['cues'] }): Block[] {
  if (transcript.cues.length === 0) return [{ type: 'paragraph', text: transcript.text }];
  const blocks: Block[] = [];
  for (let i = 0; i < transcript.cues.length; i += CUES_PER_PARAGRAPH) {
    blocks.push({ type: 'paragraph', text: captionsText(transcript.cues.slice(i, i + CUES_PER_PARAGRAPH)) });
  }
  return blocks;
}
