import { inflateSync } from 'node:zlib';
import { parseJson, type DataValue } from '../../content/data-values.js';
import { callArguments, literalsAfter } from '../../content/js-literals.js';

/** Decoded presentation and quiz data above this size is refused (a zlib bomb, not a course). */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

/** A base64 blob of the player: plain JSON, or zlib-deflated JSON (`eN...`). */
function decodeBlob(encoded: string): DataValue | undefined {
  const trimmed = encoded.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseJson(trimmed);
  if (!/^[A-Za-z0-9+/=_-]+$/.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed, 'base64');
  let text: string;
  if (bytes[0] === 0x78 && [0x01, 0x5e, 0x9c, 0xda].includes(bytes[1] ?? -1)) {
    try {
      text = inflateSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
    } catch {
      return undefined;
    }
  } else {
    text = bytes.toString('utf8');
  }
  return parseJson(text.replace(/^\ufeff/, ''));
}

/** The value assigned to `name` in a script (`var name = "...";` or `name = {...}`), decoded. */
export function assigned(source: string, name: string): DataValue | undefined {
  for (const value of literalsAfter(source, new RegExp(`\\b${name}\\s*=\\s*(?=["'\`{\\[])`))) {
    if (typeof value === 'string') {
      const decoded = decodeBlob(value);
      if (decoded !== undefined) return decoded;
    } else if (value !== null) {
      return value;
    }
  }
  return undefined;
}

/** The arguments of the player's `loadHandler(index, html, json)` call in a slide file (its longest call). */
export function loadHandlerArgs(source: string): DataValue[] {
  return callArguments(source, 'loadHandler').reduce<DataValue[]>((longest, args) => (args.length > longest.length ? args : longest), []);
}
