import { DomUtils, parseDocument } from 'htmlparser2';
import { asArray, asNumber, asObject, asString, Identifier, type DataObject } from '../../content/data-values.js';
import { parseJsLiteral } from '../../content/js-literals.js';
import { normalizeSpace } from '../../content/text.js';
import type { QuestionType } from '../../result/extraction-result.js';
import type { PackageView } from '../../source/package-view.js';
import { makeQuestion } from '../question.js';
import { exitLinks, pageTitle, STRING, stringOf, textOf, type PageObject, type PageQuestions, type ParsedPage, type TextObject } from './page.js';

/*
 * Lectora Online and the window-object publishes: a page declares its objects in script
 * (`var text83 = new jsWndText(); //Object name`) and groups them (`qu12.arChld=[text13,radio14]`);
 * what each object shows on each device lives in per-device scripts, `device_Desktop/<page>.js`,
 * as `text83.rcdData.att_Desktop = { innerHtml: "...", cssText: "...", cwObj: {...}, objData: {...} }`.
 * A question object's `cwObj` holds its type (`questType`) and correct values (`arrAns`, written
 * with `\u` escapes); its choices are form inputs whose `<label for>` is a text object.
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

/** Position of an object on the device: its rectangle in `objData`, else its style. */
function positionOf(object: DeviceObject): { x: number | null; y: number | null } {
  const rect = asArray(asArray(object.objData?.a)[3]);
  const style = (property: string) => {
    const m = new RegExp(String.raw`(?:^|;)\s*${property}:\s*(-?[\d.e+-]+)px`).exec(object.css);
    return m ? Number(m[1]) : null;
  };
  return { x: asNumber(rect[0]) ?? style('left'), y: asNumber(rect[1]) ?? style('top') };
}

export function parseWndPage(file: string, source: string, script: string | null): ParsedPage {
  const device = deviceObjects(script ?? '');
  const objects = new Map<string, PageObject>();
  for (const m of source.matchAll(/^[ \t]*var\s+(\w+)\s*=\s*new\s+(jsWnd\w+)\s*\(\s*\)\s*;?[ \t]*(?:\/\/(.*))?$/gm)) {
    const name = m[1] as string;
    if (!objects.has(name)) objects.set(name, { name, type: m[2] as string, args: [], at: m.index ?? 0, label: normalizeSpace(m[3] ?? '') });
  }
  const children = new Map<string, string[]>();
  for (const m of source.matchAll(/^[ \t]*(\w+)\.arChld\s*=\s*\[([^\]]*)\]/gm)) {
    children.set(m[1] as string, (m[2] as string).split(',').map((s) => s.trim()).filter(Boolean));
  }

  const texts: TextObject[] = [];
  for (const object of objects.values()) {
    const shown = device.get(object.name);
    if (object.type !== 'jsWndText' || !shown) continue;
    texts.push({ name: object.name, html: shown.html, hidden: /visibility:\s*hidden/i.test(shown.css), footer: false, x: positionOf(shown).x, at: object.at });
  }

  const doc = parseDocument(source, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
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
    device,
    children,
  };
}

/** Lectora's question types (`questType`, and `<type>` in test files). */
export function questionType(code: number, allowMultiple: boolean): QuestionType {
  switch (code) {
    case 1:
      return 'true_false';
    case 2:
      return allowMultiple ? 'multiple_response' : 'choice';
    case 14:
      return 'multiple_response';
    case 3:
    case 4:
      return 'essay';
    case 5:
    case 13:
      return 'fill_in';
    case 6:
      return 'matching';
    case 7:
      return 'drag_drop';
    case 9:
      return 'hotspot';
    case 11:
      return 'sequencing';
    case 16:
      return 'likert';
    default:
      return 'other';
  }
}

/** Lectora writes answer values with `\uXXXX` escapes (and commas in a value as `&#44`). */
export const unescapeLectora = (value: string): string =>
  value.replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/&#44;?/g, ',');

/**
 * Whether a choice's value is among the correct ones. Several correct values are joined by commas,
 * and a comma inside a value is not always escaped: the value must fill whole list positions.
 */
export function isCorrectValue(value: string, correct: string[]): boolean {
  const key = normalizeSpace(value);
  if (!key) return false;
  return correct.some((c) => {
    const list = normalizeSpace(c);
    return list === key || `,${list.replace(/\s*,\s*/g, ',')},`.includes(`,${key.replace(/\s*,\s*/g, ',')},`);
  });
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
      const input = DomUtils.findOne((e) => e.name === 'input' || e.name === 'textarea', parseDocument(markup).children);
      return input ? [{ name, id: input.attribs.id ?? '', type: input.name === 'textarea' ? 'textarea' : (input.attribs.type ?? 'text').toLowerCase(), value: input.attribs.value ?? '', x: positionOf(device.get(name) as DeviceObject).x }] : [];
    });
    const visible = texts.some((t) => !t.hidden && !offPage(t.x)) || inputs.some((i) => !offPage(i.x));
    if (!visible) {
      children.forEach((c) => result.hidden.add(c));
      if (variable) result.hiddenVariables.add(variable);
      continue;
    }
    children.forEach((c) => result.members.add(c));

    // A choice's label is the text whose `<label for>` names its input; the prompt is the first other text.
    const labels = new Map<string, string>();
    let prompt = '';
    for (const text of texts) {
      // The prompt sits in a `<legend>`, even when it labels a text entry.
      const labelled = /<legend/i.test(text.html) ? null : /\bfor\s*=\s*"([^"]+)"/.exec(text.html);
      if (labelled) labels.set(labelled[1] as string, textOf(text.html));
      else if (!prompt) prompt = text.html;
    }
    const correct = asArray(cwObj.arrAns).map((a) => unescapeLectora(asString(a) ?? ''));
    const choices = inputs.filter((i) => i.type === 'radio' || i.type === 'checkbox');
    const code = asNumber(cwObj.questType) ?? 0;
    const type = questionType(code, choices.some((c) => c.type === 'checkbox'));
    if (choices.length === 0 && type !== 'fill_in' && type !== 'essay') continue;
    result.questions.push({
      variable,
      question: makeQuestion({
        id: `${page.file.replace(/\.html?$/i, '')}#${object.name}`,
        type,
        prompt,
        source: page.file,
        choices: choices.map((input, i) => {
          const value = unescapeLectora(input.value);
          const label = labels.get(input.id) ?? (/\bfor\s*=\s*"([^"]+)"/.test(device.get(input.name)?.html ?? '') ? textOf(device.get(input.name)?.html ?? '') : '');
          return { id: String(i + 1), text: label || value, correct: correct.length > 0 ? isCorrectValue(value, correct) : null };
        }),
        correctAnswers: choices.length === 0 ? correct.flatMap((c) => c.split('|')).filter(Boolean) : undefined,
        feedback: { correct: feedbackOf(page.source, cwObj.correctFeedbackFunc), incorrect: feedbackOf(page.source, cwObj.incorrectFeedbackFunc) },
      }),
    });
  }
  return result;
}
