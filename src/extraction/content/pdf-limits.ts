import zlib from 'node:zlib';

export interface PdfLimits {
  /** Objects, counting those packed in object streams. */
  maxObjects: number;
  /** Bytes of every stream after its Flate decoding, all streams together. */
  maxDecodedBytes: number;
}

export const defaultPdfLimits: PdfLimits = { maxObjects: 500_000, maxDecodedBytes: 256 * 1024 * 1024 };

/** A document over a limit: refused before a parser spends time or memory on it. */
export class DocumentTooLargeError extends Error {}

const OBJECT = /\d{1,10}\s+\d{1,5}\s+obj\b/g;
const STREAM_START = /\bstream(\r\n|\n|\r)/g;
const OBJECT_STREAM_COUNT = /\/Type\s*\/ObjStm\b[\s\S]*?\/N\s+(\d{1,9})|\/N\s+(\d{1,9})[\s\S]*?\/Type\s*\/ObjStm\b/;
/** How far back from `stream` its dictionary is looked for. */
const DICTIONARY_WINDOW = 2048;

/** The number of FlateDecode layers a stream's dictionary asks for, when Flate is all it asks for first. */
function flateLayers(dictionary: string): number {
  const filter = /\/Filter\s*(\[[^\]]*\]|\/\w+)/.exec(dictionary)?.[1] ?? '';
  const names = filter.match(/\/\w+/g) ?? [];
  let layers = 0;
  for (const name of names) {
    if (name !== '/FlateDecode' && name !== '/Fl') break;
    layers++;
  }
  return layers;
}

/**
 * Inflates at most `budget` bytes. Damaged streams give what they hold (as PDF readers do), and a
 * stream that inflates past the budget throws: the caller refuses the document.
 */
function inflateWithin(data: Buffer, budget: number): Buffer {
  try {
    return zlib.inflateSync(data, { maxOutputLength: Math.max(1, budget), finishFlush: zlib.constants.Z_SYNC_FLUSH });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new DocumentTooLargeError(`its streams decode to more than the limit`);
    return Buffer.alloc(0);
  }
}

/**
 * Checks a PDF against the limits by reading its bytes once, before any parser sees it: counts its
 * objects (and those packed in object streams) and inflates its Flate streams within a byte budget.
 * Linear in the file and in the budget. Throws DocumentTooLargeError.
 */
export function checkPdfLimits(bytes: Buffer, limits: PdfLimits = defaultPdfLimits): void {
  const text = bytes.toString('latin1');
  let objects = 0;
  for (OBJECT.lastIndex = 0; OBJECT.exec(text); ) {
    if (++objects > limits.maxObjects) throw new DocumentTooLargeError(`it has more than ${limits.maxObjects} objects`);
  }
  let decoded = 0;
  STREAM_START.lastIndex = 0;
  for (let match = STREAM_START.exec(text); match; match = STREAM_START.exec(text)) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    const window = text.slice(Math.max(0, match.index - DICTIONARY_WINDOW), match.index);
    const dictionary = window.slice(window.lastIndexOf('obj') + 1);
    let data = bytes.subarray(start, end);
    for (let layer = flateLayers(dictionary); layer > 0; layer--) data = inflateWithin(data, limits.maxDecodedBytes - decoded);
    decoded += data.length;
    if (decoded > limits.maxDecodedBytes) throw new DocumentTooLargeError(`its streams decode to more than ${limits.maxDecodedBytes} bytes`);
    const packed = OBJECT_STREAM_COUNT.exec(dictionary);
    if (packed) {
      objects += Number(packed[1] ?? packed[2]);
      if (objects > limits.maxObjects) throw new DocumentTooLargeError(`it has more than ${limits.maxObjects} objects`);
    }
    STREAM_START.lastIndex = end + 'endstream'.length;
  }
}
