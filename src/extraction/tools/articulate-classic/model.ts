import type { DataObject, DataValue } from '../../content/data-values.js';
import type { OrderedElement } from '../../manifest/xml.js';
import type { Asset } from '../storyline/slides.js';

/*
 * The classic player's XML read into the data model of Storyline's later HTML5 player, which
 * describes the same things (slides of layers of objects, interactions with choices and answers
 * that show feedback layers) in JSON. Only what the reading of slides and questions uses is kept.
 */

const NUMERIC = new Set(['width', 'height', 'xpos', 'ypos', 'points', 'maxpoints', 'passpercent', 'duration']);
const KEY_NAMES: Record<string, string> = { lmsid: 'lmsId', acctype: 'accType', xpos: 'xPos', ypos: 'yPos', passpercent: 'passPercent' };

const childrenNamed = (element: OrderedElement | undefined, name: string): OrderedElement[] =>
  element ? element.children.filter((c) => c.name === name) : [];
const childNamed = (element: OrderedElement | undefined, name: string): OrderedElement | undefined =>
  element?.children.find((c) => c.name === name);

/** Attributes with the model's names and types: numbers for sizes and scores, booleans for flags. */
function attributes(element: OrderedElement): DataObject {
  const result: DataObject = {};
  for (const [name, value] of Object.entries(element.attributes)) {
    const key = KEY_NAMES[name] ?? name;
    if (NUMERIC.has(name) && value.trim() !== '' && Number.isFinite(Number(value))) result[key] = Number(value);
    else if (value === 'true' || value === 'false') result[key] = value === 'true';
    else result[key] = value;
  }
  return result;
}

/** Media files by the ids the model gives them, as Storyline's asset library does. */
export class AssetTable {
  readonly assets = new Map<number, Asset>();
  private readonly ids = new Map<string, number>();

  id(url: string, durationMs: number | null): number {
    const known = this.ids.get(url);
    if (known !== undefined) return known;
    const id = this.ids.size + 1;
    this.ids.set(url, id);
    this.assets.set(id, { url, duration: durationMs && durationMs > 0 ? durationMs / 1000 : null });
    return id;
  }
}

const milliseconds = (value: string | undefined): number | null => (value && Number.isFinite(Number(value)) ? Number(value) : null);

/** Player variables (`&_player.Score;`) stand in text for values, never course text. */
const stripVariables = (html: string) => html.replace(/&(amp;)?_?player\.[\w.$#]*;?/g, ' ');

function textLib(element: OrderedElement): DataValue[] {
  return childrenNamed(childNamed(element, 'textlib'), 'textdata').map((entry): DataObject => {
    const vartext = childNamed(entry, 'vartext');
    return vartext ? { type: entry.attributes.type ?? '', vartext: stripVariables(vartext.text) } : { type: entry.attributes.type ?? '' };
  });
}

function imageLib(element: OrderedElement, table: AssetTable): DataValue[] {
  return childrenNamed(childNamed(element, 'imagelib'), 'imagedata').flatMap((image) => {
    // Flash-era exports name a .swf and keep the picture the HTML5 player shows beside it.
    const url = /\.swf$/i.test(image.attributes.url ?? '') ? image.attributes.altimage : image.attributes.url;
    return url ? [{ assetId: table.id(url, null), altText: image.attributes.alttext ?? '' }] : [];
  });
}

function audioLib(element: OrderedElement, table: AssetTable): DataValue[] {
  return childrenNamed(childNamed(element, 'audiolib'), 'audio').flatMap((audio) =>
    audio.attributes.url ? [{ assetId: table.id(audio.attributes.url, milliseconds(audio.attributes.duration)) }] : [],
  );
}

function objectModel(element: OrderedElement, table: AssetTable, depth: number): DataObject {
  const data = childNamed(element, 'data');
  const vectorData = childNamed(data, 'vectordata');
  const videoData = childNamed(data, 'videodata') ?? childNamed(element, 'videodata');
  const video: DataObject = videoData?.attributes.url
    ? { assetId: table.id(videoData.attributes.url, milliseconds(videoData.attributes.duration)), altText: videoData.attributes.alttext ?? '' }
    : {};
  return {
    ...attributes(element),
    kind: element.name,
    data: { vectorData: { altText: vectorData?.attributes.alttext ?? '' }, videodata: video },
    textLib: textLib(element),
    imagelib: imageLib(element, table),
    audiolib: audioLib(element, table),
    objects: depth < 20 ? objectsOf(element, table, depth + 1) : [],
  };
}

/** The objects an element holds, whatever wrappers (`objects`, groups) they sit in. */
function objectsOf(element: OrderedElement, table: AssetTable, depth: number): DataValue[] {
  return childrenNamed(element, 'objects').flatMap((list) => list.children.map((child) => objectModel(child, table, depth)));
}

/** A slide file's `<slide>`: its own objects are the base layer, `<slidelayers>` the others. */
export function slideModel(slide: OrderedElement, table: AssetTable): DataObject {
  const base = { id: slide.attributes.id ?? '', isBaseLayer: true, objects: objectsOf(slide, table, 0), audiolib: audioLib(slide, table) };
  const layers = childrenNamed(childNamed(slide, 'slidelayers'), 'slidelayer').map((layer) => ({
    id: layer.attributes.id ?? '',
    isBaseLayer: false,
    objects: objectsOf(layer, table, 0),
    audiolib: audioLib(layer, table),
  }));
  return { ...attributes(slide), slideLayers: [base, ...layers] };
}

/** Actions as the model nests them: `if_action` with `thenActions`/`elseActions`, `objRef` targets. */
function actionsModel(element: OrderedElement | undefined, depth = 0): DataValue[] {
  if (!element || depth > 30) return [];
  return element.children.map((action) => ({
    ...attributes(action),
    kind: action.name,
    objRef: { value: childNamed(action, 'objref')?.attributes.value ?? '' },
    thenActions: actionsModel(childNamed(action, 'then_actions'), depth + 1),
    elseActions: actionsModel(childNamed(action, 'else_actions'), depth + 1),
    actions: actionsModel(childNamed(action, 'actions'), depth + 1),
  }));
}

/** The conditions an answer is evaluated on, flattened (`equals`, `pair`, inside `and`/`or`). */
function evaluation(element: OrderedElement | undefined): DataValue[] {
  const statements: DataValue[] = [];
  const visit = (node: OrderedElement, depth: number) => {
    for (const child of node.children) {
      if (child.name === 'equals' || child.name === 'pair') statements.push({ ...attributes(child), kind: child.name });
      else if (depth < 10 && child.name !== 'not') visit(child, depth + 1);
    }
  };
  if (element) visit(element, 0);
  return statements;
}

/** An `<interaction>` of the story data: choices, statements, and answers marked correct or not. */
export function interactionModel(interaction: OrderedElement): DataObject {
  const texts = (list: string, item: string) => childrenNamed(childNamed(interaction, list), item).map(attributes);
  return {
    ...attributes(interaction),
    choices: texts('choices', 'choice'),
    statements: texts('statements', 'statement'),
    answers: childrenNamed(childNamed(interaction, 'answers'), 'answer').map((answer) => ({
      ...attributes(answer),
      evaluate: { statements: evaluation(childNamed(answer, 'evaluate')) },
      actions: actionsModel(childNamed(answer, 'actions')),
    })),
  };
}
