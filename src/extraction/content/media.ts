import type { MediaKind } from '../result/extraction-result.js';

const KINDS: Record<string, { kind: MediaKind; mime: string }> = {
  png: { kind: 'image', mime: 'image/png' },
  jpg: { kind: 'image', mime: 'image/jpeg' },
  jpeg: { kind: 'image', mime: 'image/jpeg' },
  gif: { kind: 'image', mime: 'image/gif' },
  svg: { kind: 'image', mime: 'image/svg+xml' },
  webp: { kind: 'image', mime: 'image/webp' },
  bmp: { kind: 'image', mime: 'image/bmp' },
  mp3: { kind: 'audio', mime: 'audio/mpeg' },
  wav: { kind: 'audio', mime: 'audio/wav' },
  m4a: { kind: 'audio', mime: 'audio/mp4' },
  aac: { kind: 'audio', mime: 'audio/aac' },
  ogg: { kind: 'audio', mime: 'audio/ogg' },
  oga: { kind: 'audio', mime: 'audio/ogg' },
  flac: { kind: 'audio', mime: 'audio/flac' },
  mp4: { kind: 'video', mime: 'video/mp4' },
  m4v: { kind: 'video', mime: 'video/mp4' },
  mov: { kind: 'video', mime: 'video/quicktime' },
  webm: { kind: 'video', mime: 'video/webm' },
  ogv: { kind: 'video', mime: 'video/ogg' },
  flv: { kind: 'video', mime: 'video/x-flv' },
  avi: { kind: 'video', mime: 'video/x-msvideo' },
  pdf: { kind: 'document', mime: 'application/pdf' },
  docx: { kind: 'document', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  pptx: { kind: 'document', mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
  xlsx: { kind: 'document', mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  doc: { kind: 'document', mime: 'application/msword' },
  vtt: { kind: 'caption', mime: 'text/vtt' },
  srt: { kind: 'caption', mime: 'application/x-subrip' },
};

/** The media kind and MIME type of a path by its extension; undefined for non-media files. */
export function mediaType(path: string): { kind: MediaKind; mime: string } | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return extension ? KINDS[extension] : undefined;
}

/** How many leading bytes the duration readers need for most files. */
export const MEDIA_HEAD_BYTES = 256 * 1024;

const MP3_BITRATES = {
  v1l3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2l3: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const MP3_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

function mp3Duration(head: Buffer, fileSize: number): number | null {
  let offset = 0;
  if (head.toString('latin1', 0, 3) === 'ID3' && head.length >= 10) {
    offset = 10 + (((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f));
  }
  for (; offset + 4 < head.length; offset++) {
    if (head[offset] !== 0xff || (head[offset + 1]! & 0xe0) !== 0xe0) continue;
    const version = (head[offset + 1]! >> 3) & 0x3;
    const layer = (head[offset + 1]! >> 1) & 0x3;
    if (version === 1 || layer !== 1) continue; // only MPEG layer III
    const bitrate = (version === 3 ? MP3_BITRATES.v1l3 : MP3_BITRATES.v2l3)[head[offset + 2]! >> 4];
    const sampleRate = MP3_RATES[version]?.[(head[offset + 2]! >> 2) & 0x3];
    if (!bitrate || !sampleRate) continue;
    const samplesPerFrame = version === 3 ? 1152 : 576;
    const mono = head[offset + 3]! >> 6 === 3;
    const sideInfo = version === 3 ? (mono ? 17 : 32) : mono ? 9 : 17;
    const xing = offset + 4 + sideInfo;
    const tag = head.toString('latin1', xing, xing + 4);
    if ((tag === 'Xing' || tag === 'Info') && head.length >= xing + 12 && (head.readUInt32BE(xing + 4) & 0x1) !== 0) {
      return (head.readUInt32BE(xing + 8) * samplesPerFrame) / sampleRate;
    }
    return ((fileSize - offset) * 8) / (bitrate * 1000);
  }
  return null;
}

function wavDuration(head: Buffer, fileSize: number): number | null {
  if (head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') return null;
  let byteRate = 0;
  for (let offset = 12; offset + 8 <= head.length; ) {
    const id = head.toString('latin1', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 16 <= head.length) byteRate = head.readUInt32LE(offset + 16);
    if (id === 'data') {
      const dataSize = Math.min(size, fileSize - offset - 8);
      return byteRate > 0 ? dataSize / byteRate : null;
    }
    offset += 8 + size + (size % 2);
  }
  return null;
}

/** MP4/MOV: the movie header (`moov/mvhd`) gives timescale and duration. */
function mp4Duration(bytes: Buffer): number | null {
  const findBox = (from: number, to: number, type: string): { start: number; end: number } | null => {
    for (let offset = from; offset + 8 <= to; ) {
      let size = bytes.readUInt32BE(offset);
      let header = 8;
      if (size === 1 && offset + 16 <= to) {
        size = Number(bytes.readBigUInt64BE(offset + 8));
        header = 16;
      } else if (size === 0) size = to - offset;
      if (size < header) return null;
      if (bytes.toString('latin1', offset + 4, offset + 8) === type) return { start: offset + header, end: Math.min(to, offset + size) };
      offset += size;
    }
    return null;
  };
  const moov = findBox(0, bytes.length, 'moov');
  const mvhd = moov && findBox(moov.start, moov.end, 'mvhd');
  if (!mvhd || mvhd.start + 32 > bytes.length) return null;
  const version = bytes[mvhd.start];
  const timescale = version === 1 ? bytes.readUInt32BE(mvhd.start + 20) : bytes.readUInt32BE(mvhd.start + 12);
  const duration = version === 1 ? Number(bytes.readBigUInt64BE(mvhd.start + 24)) : bytes.readUInt32BE(mvhd.start + 16);
  return timescale > 0 ? duration / timescale : null;
}

/**
 * The playing time an audio or video file declares in its headers, from its first bytes (the
 * whole file for MP4s whose index sits at the end). Null when the format or the bytes do not say.
 */
export function mediaDuration(path: string, bytes: Buffer, fileSize: number): number | null {
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  const duration =
    extension === 'mp3'
      ? mp3Duration(bytes, fileSize)
      : extension === 'wav'
        ? wavDuration(bytes, fileSize)
        : extension && ['mp4', 'm4v', 'm4a', 'mov'].includes(extension)
          ? mp4Duration(bytes)
          : null;
  return duration === null || !Number.isFinite(duration) || duration <= 0 ? null : Math.round(duration * 100) / 100;
}
