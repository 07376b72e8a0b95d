import type { Warning } from '../result/errors.js';
import type { Item, LanguageString } from '../result/extraction-result.js';
import { ExtractionError } from '../result/errors.js';
import { checkCmi5 } from './cmi5-rules.js';
import { blankItem, type CourseStructure } from './course-structure.js';
import { parseXmlOrdered, type OrderedElement } from './xml.js';

const childrenNamed = (element: OrderedElement, name: string) => element.children.filter((c) => c.name === name);

function languageStrings(element: OrderedElement | undefined): LanguageString[] {
  if (!element) return [];
  const strings = childrenNamed(element, 'langstring');
  if (strings.length === 0) return element.text ? [{ language: null, value: element.text }] : [];
  return strings
    .map((s) => ({ language: s.attributes.lang ?? null, value: s.text.replace(/\s+/g, ' ').trim() }))
    .filter((s) => s.value !== '');
}

const titleOf = (element: OrderedElement) => languageStrings(childrenNamed(element, 'title')[0]);
const number = (raw: string | undefined) => (raw === undefined || raw.trim() === '' || !Number.isFinite(Number(raw)) ? null : Number(raw));

/** Blocks and AUs in document order, which is the course's order in cmi5. */
function readNodes(parent: OrderedElement): Item[] {
  return parent.children
    .filter((c) => c.name === 'au' || c.name === 'block')
    .map((node) => {
      const id = node.attributes.id ?? '';
      const item = blankItem(id, titleOf(node)[0]?.value ?? id);
      if (node.name === 'block') return { ...item, children: readNodes(node) };
      const url = childrenNamed(node, 'url')[0]?.text.trim() || null;
      const mastery = number(node.attributes.masteryScore);
      return {
        ...item,
        launch: url,
        parameters: childrenNamed(node, 'launchParameters')[0]?.text || null,
        move_on: node.attributes.moveOn ?? 'NotApplicable',
        launch_method: node.attributes.launchMethod ?? 'AnyWindow',
        // cmi5 scores mastery from 0 to 1; items carry percentages.
        mastery_score: mastery === null ? null : Math.round(mastery * 1000) / 10,
        data_from_lms: childrenNamed(node, 'entitlementKey')[0]?.text || null,
      };
    });
}

/**
 * Reads a cmi5 course structure (cmi5.xml): the course, its blocks and assignable units, refusing
 * one that breaks the specification's rules. `hasFile` says whether the package holds a file at a
 * path relative to cmi5.xml.
 */
export function readCmi5(bytes: Buffer, descriptorPath: string, warnings: Warning[], hasFile: (path: string) => boolean): CourseStructure {
  const root = parseXmlOrdered(bytes, descriptorPath, warnings).find((e) => e.name === 'courseStructure');
  const course = root ? childrenNamed(root, 'course')[0] : undefined;
  if (!root || !course) {
    throw new ExtractionError('cmi5_invalid', `${descriptorPath} has no <courseStructure> with a <course>.`);
  }
  checkCmi5(root, hasFile);
  const items = readNodes(root);
  const titles = titleOf(course);
  const identifier = course.attributes.id ?? null;
  return {
    standard: 'cmi5',
    version: 'cmi5',
    identifier,
    titles,
    description: languageStrings(childrenNamed(course, 'description')[0])[0]?.value ?? null,
    language: titles[0]?.language ?? null,
    keywords: [],
    typicalLearningTime: null,
    defaultOrganization: identifier,
    organizations: [{ identifier: identifier ?? 'course', title: titles[0]?.value ?? null, items, sequencing: null }],
    resources: [],
    descriptorPath,
    interactions: [],
  };
}
