import type { Warning } from '../result/errors.js';
import type { LanguageString, Question, QuestionType } from '../result/extraction-result.js';
import { ExtractionError } from '../result/errors.js';
import { makeQuestion } from '../tools/question.js';
import { blankItem, type CourseStructure } from './course-structure.js';
import { attr, child, children, parseXml, text, type XmlNode } from './xml.js';

const ACTIVITY_TYPES = 'http://adlnet.gov/expapi/activities/';

function languageStrings(nodes: XmlNode[]): LanguageString[] {
  return nodes
    .map((n) => ({ language: attr(n, 'lang') ?? null, value: typeof n['#text'] === 'string' ? n['#text'].trim() : '' }))
    .filter((s) => s.value !== '');
}

const first = (node: XmlNode, name: string) => languageStrings(children(node, name))[0]?.value ?? null;

const INTERACTION_TYPES: Record<string, QuestionType> = {
  'true-false': 'true_false',
  choice: 'choice',
  'fill-in': 'fill_in',
  'long-fill-in': 'essay',
  matching: 'matching',
  sequencing: 'sequencing',
  likert: 'likert',
  performance: 'other',
  numeric: 'fill_in',
  other: 'other',
};

/** An xAPI `cmi.interaction` activity as a question, with its correct response pattern decoded. */
function interaction(activity: XmlNode, descriptorPath: string): Question {
  const kind = text(child(activity, 'interactionType')) ?? 'other';
  const pattern = children(child(activity, 'correctResponsePatterns'), 'correctResponsePattern')
    .map((p) => text(p) ?? '')
    .join('[,]');
  const components = (name: string) =>
    children(child(activity, name), 'component').map((c) => ({
      id: text(child(c, 'id')) ?? '',
      text: first(c, 'description') ?? '',
    }));
  const correctIds = new Set(pattern.split('[,]').map((p) => p.trim()));
  const type = INTERACTION_TYPES[kind] ?? 'other';
  const choices = components('choices').map((c) => ({ ...c, correct: correctIds.has(c.id) }));
  const sources = new Map(components('source').map((c) => [c.id, c.text]));
  const targets = new Map(components('target').map((c) => [c.id, c.text]));
  const matches =
    type === 'matching'
      ? pattern
          .split('[,]')
          .map((pair) => pair.split('[.]'))
          .filter((pair): pair is [string, string] => pair.length === 2)
          .map(([s, t]) => ({ source: sources.get(s) ?? s, target: targets.get(t) ?? t }))
      : [];
  return makeQuestion({
    id: attr(activity, 'id') ?? '',
    type: type === 'choice' && correctIds.size > 1 ? 'multiple_response' : type,
    prompt: first(activity, 'name') ?? first(activity, 'description') ?? '',
    source: descriptorPath,
    choices,
    ...(choices.length === 0 && type !== 'matching' && pattern ? { correctAnswers: pattern.split('[,]') } : {}),
    matches,
  });
}

/** Reads a Tin Can / xAPI package descriptor (tincan.xml): its activities and interactions. */
export function readTincan(bytes: Buffer, descriptorPath: string, warnings: Warning[]): CourseStructure {
  const activities = children(child(child(parseXml(bytes, descriptorPath, warnings), 'tincan'), 'activities'), 'activity');
  if (activities.length === 0) throw new ExtractionError('tincan_invalid', `${descriptorPath} declares no activity.`);
  const typeOf = (a: XmlNode) => (attr(a, 'type') ?? '').replace(ACTIVITY_TYPES, '');
  const course = activities.find((a) => typeOf(a) === 'course') ?? activities.find((a) => child(a, 'launch')) ?? activities[0]!;
  const titles = languageStrings(children(course, 'name'));
  const identifier = attr(course, 'id') ?? null;
  const launch = first(course, 'launch');
  const modules = activities
    .filter((a) => a !== course && typeOf(a) === 'module')
    .map((a) => ({ ...blankItem(attr(a, 'id') ?? '', first(a, 'name') ?? attr(a, 'id') ?? ''), launch: first(a, 'launch') }));
  const root = { ...blankItem(identifier ?? 'course', titles[0]?.value ?? identifier ?? ''), launch, children: modules };
  return {
    standard: 'xapi',
    version: 'Tin Can (tincan.xml)',
    identifier,
    titles,
    description: first(course, 'description'),
    language: titles[0]?.language ?? null,
    keywords: [],
    typicalLearningTime: null,
    defaultOrganization: identifier,
    organizations: [{ identifier: identifier ?? 'course', title: titles[0]?.value ?? null, items: [root], sequencing: null }],
    resources: [],
    descriptorPath,
    interactions: activities.filter((a) => typeOf(a) === 'cmi.interaction').map((a) => interaction(a, descriptorPath)),
  };
}
