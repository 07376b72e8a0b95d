import { DomUtils } from 'htmlparser2';
import { elementsOf, parseHtml } from '../../content/html.js';
import { asArray, asNumber, asObject, asString, Identifier, type DataObject } from '../../content/data-values.js';
import { parseJsLiteral } from '../../content/js-literals.js';
import { normalizeSpace } from '../../content/text.js';
import type { PackageView } from '../../source/package-view.js';
import { makeQuestion } from '../question.js';
import { pairsOf, pairTexts, readInteractions } from './interactions.js';
import { isCorrectValue, isDefaultPart, listOf, questionType, unescapeLectora } from './values.js';
import { boxOf, exitLinks, pageTitle, STRING, stringOf, textOf, type Box, type PageObject, type PageQuestions, type ParsedPage, type TextObject } from './page.js';

/*
 * Lectora Online and the window-object publishes: a page declares its objects in script
 * (`var text83 = new jsWndText(); //Object name`) and groups them (`qu12.arChld=[text13,radio14]`);
 * what each object shows on each device lives in per-device scripts, `device_Desktop/<page>.js`,
 * as `text83.rcdData.att_Desktop = { innerHtml: "...", cssText: "...", cwObj: {...}, objData: {...} }`.
 * A question object's `cwObj` holds its type (`questType`) and correct values (`arrAns`, written
 * with `\u` escapes): the chosen values, a ranking's items in order joined by commas, or the pairs
 * of a matching or drag-and-drop question (interactions.ts). Choices are form inputs, and a
 * ranking's drop-down lists, whose `<label for>` is a text object.
 */

const MAX_DEVICE_BYTES = 8 * 1024 * 1024;
/** The device a learner on a computer sees first; the others are fallbacks. */
const DEVICE_PREFERENCE = ['desktop', 'tabletlandscape', 'tablet', 'tabletportrait', 'phonelandscape', 'phone', 'phoneportrait'];

export interface DeviceObject {
  html: string;
  css: string;
  cwObj: DataObject | undefined;
  objData: DataObject | undefined;
}

/** Whether a page builds window objects rather than `Obj*` objects. */
export const isWndPage = (source: string): boolean => /\bnew\s+jsWnd\w+\s*\(/.test(source);

/** The page's device script, from the most desktop-like device folder that has one. */
export async function readDeviceScript(view: PackageView, pageFile: string): Promise<string | null> {
  const stem = pageFile.replace(/\.html?$/i, '').toLowerCase();
  const candidates = new Map<string, string>();
  for (const file of view.files()) {
    const m = /^device_(\w+)\/([^/]+)\.js$/i.exec(file);
    if (m && (m[2] as string).toLowerCase() === stem) candidates.set((m[1] as string).toLowerCase(), file);
  }
  const rank = (device: string) => {
    const i = DEVICE_PREFERENCE.indexOf(device);
    return i < 0 ? DEVICE_PREFERENCE.length : i;
  };
  const best = [...candidates.entries()].sort((a, b) => rank(a[0]) - rank(b[0]))[0];
  return best ? ((await view.text(best[1], MAX_DEVICE_BYTES)) ?? null) : null;
}

/** The objects a device script describes, by object name, for its own view. */
function deviceObjects(script: string): Map<string, DeviceObject> {
  const objects = new Map<string, DeviceObject>();
  for (const m of script.matchAll(/^[ \t]*(\w+)\.rcdData\.att_\w+\s*=\s*/gm)) {
    const name = m[1] as string;
    if (name === 'rcdObj' || objects.has(name)) continue;
    const record = asObject(parseJsLiteral(script, (m.index ?? 0) + m[0].length)?.value);
    if (!record) continue;
    objects.set(name, {
      html: asString(record.innerHtml) ?? '',
      css: asString(record.cssText) ?? '',
      cwObj: asObject(record.cwObj),
      objData: asObject(record.objData),
    });
  }
  return objects;
}

/** An object's rectangle on the device: the one in `objData`, else its style. */
export function boxOfDevice(object: DeviceObject | undefined): Box | null {
  if (!object) return null;
  const style = (property: string) => new RegExp(String.raw`(?:^|;)\s*${property}:\s*(-?[\d.e+-]+)px`).exec(object.css)?.[1];
  return boxOf(asArray(asArray(object.objData?.a)[3])) ?? boxOf(['left', 'top', 'width', 'height'].map(style));
}

const MAX_PARTS = 10_000;

/** The objects of the page's questions and of the groups inside them. */
function questionParts(objects: Map<string, PageObject>, children: Map<string, string[]>): Set<string> {
  const parts = new Set<string>();
  const queue = [...objects.values()].filter((o) => /^jsWnd\w*Question$/.test(o.type)).map((o) => o.name);
  while (queue.length && parts.size < MAX_PARTS) {
    for (const child of children.get(queue.shift() as string) ?? []) {
      if (!parts.has(child)) {
        parts.add(child);
        queue.push(child);
      }
    }
  }
  return parts;
}

/** The words a shape draws: each SVG `<text>` a paragraph of its `<tspan>` lines. */
function svgText(html: string): string {
  const paragraphs = elementsOf(html, 'text').map((m) =>
    [...m.body.matchAll(/<tspan\b[^>]*>([^<]*)<\/tspan>/gi)].map((t) => (t[1] as string).trim()).filter(Boolean).join(' '),
  );
  return paragraphs.filter(Boolean).map((p) => `<p>${p}</p>`).join('');
}

/** The label of a form input, written beside it in the input's own markup. */
function inputLabel(html: string): string {
  const label = elementsOf(html, 'label')[0]?.body ?? '';
  return label.trim() ? `<p>${label}</p>` : '';
}

export function parseWndPage(file: string, source: string, script: string | null): ParsedPage {
  const device = deviceObjects(script ?? '');
  const objects = new Map<string, PageObject>();
  for (const m of source.matchAll(/^[ \t]*var\s+(\w+)\s*=\s*new\s+(jsWnd\w+)\s*\(\s*\)\s*;?[ \t]*(?:\/\/(.*))?$/gm)) {
    const name = m[1] as string;
    if (!objects.has(name)) objects.set(name, { name, type: m[2] as string, args: [], at: m.index ?? 0, label: normalizeSpace(m[3] ?? ''), box: boxOfDevice(device.get(name)) });
  }
  const children = new Map<string, string[]>();
  for (const m of source.matchAll(/^[ \t]*(\w+)\.arChld\s*=\s*\[([^\]]*)\]/gm)) {
    children.set(m[1] as string, (m[2] as string).split(',').map((s) => s.trim()).filter(Boolean));
  }

  // Text objects; shapes that carry words (drawn as SVG text); and the labels of radio buttons and
  // check boxes that belong to no question (a question reads its own choices).
  const inQuestion = questionParts(objects, children);
  const texts: TextObject[] = [];
  for (const object of objects.values()) {
    const shown = device.get(object.name);
    if (!shown) continue;
    const html =
      object.type === 'jsWndText'
        ? shown.html
        : object.type === 'jsWndShape'
          ? svgText(shown.html)
          : /^jsWndForm(Radio|Checkbox|CheckBox)$/.test(object.type) && !inQuestion.has(object.name)
            ? inputLabel(shown.html)
            : '';
    if (!html) continue;
    texts.push({ name: object.name, html, hidden: /visibility:\s*hidden/i.test(shown.css), footer: false, box: boxOfDevice(shown), at: object.at });
  }

  const doc = parseHtml(source, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  const titleElement = DomUtils.getElementsByTagName('title', doc, true, 1)[0];
  const htmlElement = DomUtils.getElementsByTagName('html', doc, true, 1)[0];
  const exitTarget = (fn: string): string | null => {
    const m = source.match(new RegExp(String.raw`function\s+${fn}\s*\(\s*\)\s*\{\s*trivExitPage\(\s*(?:${STRING})`));
    return m ? stringOf(m, 1).replace(/[?#].*$/, '') || null : null;
  };
  const width = /pgWidth_Desktop\s*=\s*(\d+)/i.exec(source) ?? /\bwidth:\s*(\d+)px/.exec(/pgStyle_\w+\s*=\s*'([^']*)'/.exec(script ?? '')?.[1] ?? '');
  return {
    file,
    title: pageTitle(titleElement ? DomUtils.textContent(titleElement) : ''),
    language: htmlElement?.attribs.lang?.trim() || null,
    prev: exitTarget('trivPrevPage'),
    next: exitTarget('trivNextPage'),
    links: exitLinks(source),
    texts,
    objects,
    source,
    pageWidth: width ? Number(width[1]) : null,
    mediaReferences: [],
    interactions: readInteractions(`${source}\n${script ?? ''}`),
    buttons: [],
    device,
    children,
  };
}

/** The message a feedback action shows: `trivAlert('id', 'Title', 'message')` in its function. */
function feedbackOf(source: string, action: unknown): string | null {
  if (typeof action !== 'string' || !/^\w+$/.test(action)) return null;
  const body = new RegExp(String.raw`\b${action}\s*=\s*function\s*\([^)]*\)\s*\{([\s\S]{0,4000}?)\n\s*\};`).exec(source)?.[1] ?? '';
  const alert = new RegExp(String.raw`trivAlert\(\s*${STRING}\s*,\s*${STRING}\s*,\s*${STRING}`).exec(body);
  return alert ? stringOf(alert, 3) || null : null;
}

/** The questions of a window-object page, and the objects of those the learner never sees. */
export function readWndQuestions(page: ParsedPage, offPage: (x: number | null) => boolean): PageQuestions {
  const result: PageQuestions = { questions: [], hidden: new Set(), members: new Set(), hiddenVariables: new Set() };
  const device = page.device ?? new Map<string, DeviceObject>();
  for (const object of page.objects.values()) {
    const cwObj = device.get(object.name)?.cwObj;
    if (!/^jsWnd\w*Question$/.test(object.type) || !cwObj) continue;
    const children = page.children?.get(object.name) ?? [];
    const variable = cwObj.varQuest instanceof Identifier ? cwObj.varQuest.name : null;
    const texts = children.map((c) => page.texts.find((t) => t.name === c)).filter((t): t is TextObject => !!t);
    const inputs = children.flatMap((name) => {
      const markup = device.get(name)?.html ?? '';
      const input = DomUtils.findOne((e) => e.name === 'input' || e.name === 'textarea', parseHtml(markup).children);
      return input ? [{ name, id: input.attribs.id ?? '', type: input.name === 'textarea' ? 'textarea' : (input.attribs.type ?? 'text').toLowerCase(), value: input.attribs.value ?? '', x: boxOfDevice(device.get(name))?.x ?? null }] : [];
    });
    const visible = texts.some((t) => !t.hidden && !offPage(t.box?.x ?? null)) || inputs.some((i) => !offPage(i.x));
    if (!visible) {
      children.forEach((c) => result.hidden.add(c));
      if (variable) result.hiddenVariables.add(variable);
      continue;
    }
    children.forEach((c) => result.members.add(c));

    // A choice's label is the text whose `<label for>` names its input; the prompt is the first
    // other text that is not an item to pair.
    const interaction = page.interactions.get(object.name);
    const paired = new Set([...(interaction?.sources.values() ?? []), ...(interaction?.targets.values() ?? [])]);
    const labels = new Map<string, string>();
    let prompt = '';
    for (const text of texts.filter((t) => !paired.has(t.name))) {
      // The prompt sits in a `<legend>`, even when it labels a text entry.
      const labelled = /<legend/i.test(text.html) ? null : /\bfor\s*=\s*"([^"]+)"/.exec(text.html);
      if (labelled) labels.set(labelled[1] as string, textOf(text.html));
      else if (!prompt) prompt = text.html;
    }
    const answers = asArray(cwObj.arrAns).map((a) => asString(a) ?? '');
    const correct = answers.map(unescapeLectora);
    const choices = inputs.filter((i) => i.type === 'radio' || i.type === 'checkbox');
    const code = asNumber(cwObj.questType) ?? 0;
    const type = questionType(code, choices.some((c) => c.type === 'checkbox'));
    const base = {
      id: `${page.file.replace(/\.html?$/i, '')}#${object.name}`,
      type,
      prompt: isDefaultPart(textOf(prompt)) ? '' : prompt,
      source: page.file,
      feedback: { correct: feedbackOf(page.source, cwObj.correctFeedbackFunc), incorrect: feedbackOf(page.source, cwObj.incorrectFeedbackFunc) },
    };
    if ((type === 'matching' || type === 'drag_drop') && interaction) {
      const { choices: items, matches, correctAnswers } = pairTexts(page, interaction, pairsOf(answers), prompt);
      result.questions.push({ variable, question: makeQuestion({ ...base, choices: items.map((text) => ({ text, correct: null })), matches, correctAnswers }) });
      continue;
    }
    if (type === 'sequencing') {
      // Each item has a drop-down list of positions; the answer is the items in order.
      const items = [...labels.values()].map((text) => ({ text, correct: null }));
      result.questions.push({ variable, question: makeQuestion({ ...base, choices: items, correctAnswers: listOf(answers[0] ?? '') }) });
      continue;
    }
    if (choices.length === 0 && type !== 'fill_in' && type !== 'essay') continue;
    result.questions.push({
      variable,
      question: makeQuestion({
        ...base,
        choices: choices.map((input, i) => {
          const value = unescapeLectora(input.value);
          const label = labels.get(input.id) ?? (/\bfor\s*=\s*"([^"]+)"/.test(device.get(input.name)?.html ?? '') ? textOf(device.get(input.name)?.html ?? '') : '');
          const text = label || value;
          return { id: String(i + 1), text: isDefaultPart(text) ? '' : text, correct: correct.length > 0 ? isCorrectValue(value, correct) : null };
        }),
        correctAnswers: choices.length === 0 ? correct.flatMap((c) => c.split('|')).filter(Boolean) : undefined,
      }),
    });
  }
  return result;
}
