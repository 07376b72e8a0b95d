/**
 * Readers for data an authoring tool wrote (JSON, or JavaScript literals read by js-literals.ts):
 * its shape is the tool's, not ours, so every read checks the type instead of trusting a cast.
 *
 * Two families: `asObject`, `asString`, `asNumber` say whether the field is there (undefined when
 * it is absent or of another type); `obj`, `str`, `num` are for walking data of unknown shape,
 * where an absent field simply reads as empty.
 */

export type DataValue = null | boolean | number | string | Identifier | DataValue[] | DataObject;
export interface DataObject {
  [key: string]: DataValue;
}

/**
 * A name that code puts where a value would be (`QUESTION_TYPE_CHOICE`, `cp.ch`): its value is not
 * in the source, so it is kept by name. Only js-literals.ts makes them; JSON has none.
 */
export class Identifier {
  constructor(readonly name: string) {}
}

/** An object of data: not null, an array or an Identifier. */
export function isObject(value: unknown): value is DataObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Identifier);
}

export const asObject = (value: unknown): DataObject | undefined => (isObject(value) ? value : undefined);
export const asArray = (value: unknown): DataValue[] => (Array.isArray(value) ? (value as DataValue[]) : []);
export const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A finite number, or text holding one: tools write numbers both ways. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

export const obj = (value: unknown): DataObject => asObject(value) ?? {};
export const str = (value: unknown): string => asString(value) ?? '';
export const num = (value: unknown): number | null => asNumber(value) ?? null;

/** The entries of a list, each read as an object (any other entry as an empty one, keeping positions). */
export const objects = (value: unknown): DataObject[] => asArray(value).map(obj);

/** A field as text where ids and values may be numbers: a string, or a number written out. */
export const scalarText = (value: unknown): string => (typeof value === 'number' ? String(value) : str(value));

/** A number as JSON writes it: text that looks like a number is text here. */
export const jsonNumber = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** JSON text as data; undefined when it is not JSON. */
export function parseJson(text: string): DataValue | undefined {
  try {
    return JSON.parse(text) as DataValue;
  } catch {
    return undefined;
  }
}
