import { ExtractionError } from '../result/errors.js';
import type { OrderedElement } from './xml.js';

// The cmi5 specification's rules for a course structure (section 13 and CourseStructure.xsd),
// checked in code: a package that breaks one is refused with the rule's code, as an LMS would.

const MOVE_ON = new Set(['NotApplicable', 'Passed', 'Completed', 'CompletedAndPassed', 'CompletedOrPassed']);
const LAUNCH_METHOD = new Set(['AnyWindow', 'OwnWindow']);
/** Query parameters the LMS adds to every AU's launch URL. */
const LAUNCH_PARAMETERS = new Set(['endpoint', 'fetch', 'actor', 'registration', 'activityId']);
/** An IRI: a scheme, then characters an IRI may hold (RFC 3987), at least one of them. */
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`\u0000-\u001f\u007f]+$/u;
/** A URI reference (RFC 3986): no spaces, controls or excluded characters; `%` only as an escape. */
const URI_REFERENCE = /^(?:[^\s<>"{}|\\^`%\u0000-\u001f\u007f]|%[0-9A-Fa-f]{2})+$/u;
const MAX_LISTED = 5;

const childrenNamed = (element: OrderedElement, name: string) => element.children.filter((c) => c.name === name);

function refuse(code: string, problem: string, found: string[]): never {
  const listed = found.slice(0, MAX_LISTED).join('; ');
  const more = found.length > MAX_LISTED ? ` and ${found.length - MAX_LISTED} more` : '';
  throw new ExtractionError(code, `${problem}: ${listed}${more}.`);
}

/**
 * The order of the XSD's sequences, by element: each of these children comes after those of a
 * lower rank. Other names (a vendor's extensions, which the XSD allows at the end) are not ranked.
 */
const SEQUENCES: Record<string, Record<string, number>> = {
  courseStructure: { course: 0, objectives: 1, au: 2, block: 2 },
  course: { title: 0, description: 1 },
  block: { title: 0, description: 1, objectives: 2, au: 3, block: 3 },
  au: { title: 0, description: 1, objectives: 2, url: 3, launchParameters: 4, entitlementKey: 5 },
};

function orderProblem(element: OrderedElement, what: string): string | undefined {
  const ranks = SEQUENCES[element.name] ?? {};
  let last: OrderedElement | undefined;
  for (const child of element.children) {
    const rank = ranks[child.name];
    if (rank === undefined) continue;
    if (last && rank < ranks[last.name]!) return `${what} has <${child.name}> after <${last.name}> (the schema's order is ${Object.keys(ranks).join(', ')})`;
    last = child;
  }
  return undefined;
}

/** The XSD's structure: required children in their order, allowed values, at least one AU. */
function schemaProblems(root: OrderedElement): string[] {
  const problems: string[] = [];
  const inOrder = (element: OrderedElement, what: string) => {
    const problem = orderProblem(element, what);
    if (problem) problems.push(problem);
  };
  inOrder(root, 'the course structure');
  const needs = (element: OrderedElement, what: string, names: string[]) => {
    for (const name of names) {
      const found = childrenNamed(element, name);
      if (found.length !== 1) problems.push(`${what} has ${found.length} <${name}> (one is required)`);
      else if (name !== 'url' && childrenNamed(found[0]!, 'langstring').length === 0) problems.push(`${what}'s <${name}> has no <langstring>`);
    }
  };
  const courses = childrenNamed(root, 'course');
  if (courses.length !== 1) problems.push(`the course structure has ${courses.length} <course> elements (one is required)`);
  for (const course of courses) {
    needs(course, 'the course', ['title', 'description']);
    inOrder(course, 'the course');
  }
  const defined = new Set<string>();
  for (const objectives of childrenNamed(root, 'objectives')) {
    for (const objective of childrenNamed(objectives, 'objective')) {
      needs(objective, `objective ${objective.attributes.id ?? '(no id)'}`, ['title', 'description']);
      if (objective.attributes.id) defined.add(objective.attributes.id);
    }
  }
  const nodes = (parent: OrderedElement) => parent.children.filter((c) => c.name === 'au' || c.name === 'block');
  const walk = (node: OrderedElement) => {
    const what = `${node.name === 'au' ? 'AU' : 'block'} ${node.attributes.id ?? '(no id)'}`;
    needs(node, what, node.name === 'au' ? ['title', 'description', 'url'] : ['title', 'description']);
    inOrder(node, what);
    for (const objectives of childrenNamed(node, 'objectives')) {
      for (const reference of childrenNamed(objectives, 'objective')) {
        if (!defined.has(reference.attributes.idref ?? '')) problems.push(`${what} refers to objective ${reference.attributes.idref ?? '(no idref)'}, which the course does not define`);
      }
    }
    if (node.name === 'block') {
      if (nodes(node).length === 0) problems.push(`${what} holds no AU or block`);
      nodes(node).forEach(walk);
      return;
    }
    const { moveOn, launchMethod, masteryScore } = node.attributes;
    if (moveOn !== undefined && !MOVE_ON.has(moveOn)) problems.push(`${what} has moveOn "${moveOn}"`);
    if (launchMethod !== undefined && !LAUNCH_METHOD.has(launchMethod)) problems.push(`${what} has launchMethod "${launchMethod}"`);
    if (masteryScore !== undefined && !(/^\s*[0-9.]+\s*$/.test(masteryScore) && Number(masteryScore) >= 0 && Number(masteryScore) <= 1)) {
      problems.push(`${what} has masteryScore "${masteryScore}" (a decimal from 0 to 1 is required)`);
    }
  };
  nodes(root).forEach(walk);
  if (nodes(root).length === 0) problems.push('the course structure has no AU or block');
  return problems;
}

/** Every element that defines an id (course, objectives, blocks, AUs), in document order. */
function identified(root: OrderedElement): { id: string | undefined; what: string }[] {
  const found: { id: string | undefined; what: string }[] = [];
  for (const objectives of childrenNamed(root, 'objectives')) {
    for (const objective of childrenNamed(objectives, 'objective')) found.push({ id: objective.attributes.id, what: 'objective' });
  }
  const visit = (element: OrderedElement) => {
    if (!['course', 'block', 'au'].includes(element.name)) return;
    found.push({ id: element.attributes.id, what: element.name === 'au' ? 'AU' : element.name });
    if (element.name === 'block') element.children.forEach(visit);
  };
  root.children.forEach(visit);
  return found;
}

function launchUrlProblems(au: OrderedElement, hasFile: (path: string) => boolean): { invalid: string[]; collisions: string[]; missing: string[] } {
  const url = childrenNamed(au, 'url')[0]?.text.trim() ?? '';
  const id = au.attributes.id ?? '(no id)';
  const result = { invalid: [] as string[], collisions: [] as string[], missing: [] as string[] };
  const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(url);
  let parsed: URL | undefined;
  try {
    parsed = URI_REFERENCE.test(url) ? new URL(url, 'https://package.invalid/') : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed || (absolute && !/^https?:$/i.test(parsed.protocol))) {
    result.invalid.push(`AU ${id}: "${url}"`);
    return result;
  }
  const collided = [...parsed.searchParams.keys()].filter((name) => LAUNCH_PARAMETERS.has(name));
  if (collided.length > 0) result.collisions.push(`AU ${id}: ${collided.join(', ')}`);
  if (!absolute) {
    const path = url.replace(/[?#].*$/, '').replace(/^\.?\//, '');
    let decoded = path;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // An escape that decodes to nothing valid: the path is looked up as written.
    }
    if (!hasFile(decoded)) result.missing.push(`AU ${id}: ${decoded || '(empty)'}`);
  }
  return result;
}

/**
 * Refuses a course structure that breaks a rule of the cmi5 specification. `hasFile` says whether
 * the package holds a file at a path relative to cmi5.xml (a bare cmi5.xml holds none).
 */
export function checkCmi5(root: OrderedElement, hasFile: (path: string) => boolean): void {
  const schema = schemaProblems(root);
  if (schema.length > 0) refuse('cmi5_schema_invalid', 'The course structure does not follow the cmi5 schema', schema);

  const ids = identified(root);
  const notIri = ids.filter(({ id }) => !IRI.test(id ?? '')).map(({ id, what }) => `${what} "${id ?? ''}"`);
  if (notIri.length > 0) refuse('cmi5_id_not_iri', 'cmi5 ids must be IRIs', notIri);
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const { id = '', what } of ids) {
    if (seen.has(id)) duplicates.push(`${what} "${id}"`);
    seen.add(id);
  }
  if (duplicates.length > 0) refuse('cmi5_duplicate_id', 'Ids must be unique across the course, its blocks, objectives and AUs', duplicates);

  const aus: OrderedElement[] = [];
  const collect = (parent: OrderedElement) => {
    for (const c of parent.children) {
      if (c.name === 'au') aus.push(c);
      if (c.name === 'block') collect(c);
    }
  };
  collect(root);
  const problems = aus.map((au) => launchUrlProblems(au, hasFile));
  const all = (key: 'invalid' | 'collisions' | 'missing') => problems.flatMap((p) => p[key]);
  if (all('invalid').length > 0) refuse('cmi5_au_url_invalid', 'AU launch URLs must be valid URLs (http, https or relative)', all('invalid'));
  if (all('collisions').length > 0) {
    refuse('cmi5_launch_parameter_collision', 'AU launch URLs must not carry the parameters the LMS adds (endpoint, fetch, actor, registration, activityId)', all('collisions'));
  }
  if (all('missing').length > 0) refuse('cmi5_au_file_missing', 'Relative AU launch URLs must name a file of the package', all('missing'));
}
