import type { LaunchItem, LaunchPlan } from '../../extraction/result/launch-plan.js';

/**
 * A package's IMS Simple Sequencing, from the extraction (the manifest's `<sequencing>` read as
 * data: attributes as strings, repeated elements as lists, namespace prefixes dropped, so the
 * `imsss:objectives` and `adlseq:objectives` of one item come as a list), in the shape of
 * scorm-again's sequencing settings: an activity tree whose nodes carry their controls, rules,
 * rollup and objectives. Nothing here trusts the shape: a manifest can hold anything.
 */
type Raw = Record<string, unknown>;

export interface ActivitySettings {
  id: string;
  title: string;
  isVisible?: boolean;
  children?: ActivitySettings[];
  sequencingControls?: Raw;
  sequencingRules?: { preConditionRules?: Raw[]; exitConditionRules?: Raw[]; postConditionRules?: Raw[] };
  rollupRules?: { rules: Raw[] };
  rollupConsiderations?: Raw;
  primaryObjective?: Objective;
  objectives?: Objective[];
  deliveryControls?: Raw;
  attemptLimit?: number;
  attemptAbsoluteDurationLimit?: string;
}

interface Objective {
  objectiveID: string;
  satisfiedByMeasure?: boolean;
  minNormalizedMeasure?: number;
  mapInfo: Raw[];
}

const record = (value: unknown): Raw => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : {});
const list = (value: unknown): Raw[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(record);
/** A simple element's text: `<x>0.8</x>` reads as "0.8", or as `{value: "0.8"}` when it has attributes. */
const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof record(value).value === 'string' ? (record(value).value as string) : undefined);
const flag = (value: unknown): boolean | undefined => (value === 'true' ? true : value === 'false' ? false : undefined);
const number = (value: unknown): number | undefined => {
  const text = textOf(value);
  const parsed = text === undefined || text.trim() === '' ? Number.NaN : Number(text);
  return Number.isFinite(parsed) ? parsed : undefined;
};

/** The fields that have a value. */
function defined<T extends Raw>(fields: T): T | undefined {
  const kept = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
  return Object.keys(kept).length > 0 ? kept : undefined;
}

const FLAGS = (source: Raw, names: string[]) => Object.fromEntries(names.map((name) => [name, flag(source[name])]));

function controls(sequencing: Raw): Raw | undefined {
  const mode = record(sequencing.controlMode);
  const rollup = record(sequencing.rollupRules);
  const constrained = record(sequencing.constrainedChoiceConsiderations);
  const random = record(sequencing.randomizationControls);
  const delivery = record(sequencing.deliveryControls);
  return defined({
    ...FLAGS(mode, ['choice', 'choiceExit', 'flow', 'forwardOnly', 'useCurrentAttemptObjectiveInfo', 'useCurrentAttemptProgressInfo']),
    ...FLAGS(constrained, ['preventActivation', 'constrainChoice']),
    ...FLAGS(rollup, ['rollupObjectiveSatisfied', 'rollupProgressCompletion']),
    objectiveMeasureWeight: number(rollup.objectiveMeasureWeight),
    selectionTiming: typeof random.selectionTiming === 'string' ? random.selectionTiming : undefined,
    selectCount: number(random.selectCount),
    randomizeChildren: flag(random.reorderChildren),
    randomizationTiming: typeof random.randomizationTiming === 'string' ? random.randomizationTiming : undefined,
    ...FLAGS(delivery, ['tracked', 'completionSetByContent', 'objectiveSetByContent']),
  });
}

/** Rules with an action and at least one condition: the engine is never handed half a rule. */
const complete = (rules: Raw[]) => rules.filter((rule) => typeof rule.action === 'string' && (rule.conditions as unknown[]).length > 0);
const named = (conditions: Raw[]) => conditions.filter((condition) => typeof condition.condition === 'string');

function rules(entries: unknown): Raw[] {
  return complete(
    list(entries).map((rule) => {
      const conditions = record(rule.ruleConditions);
      return {
        action: record(rule.ruleAction).action,
        conditionCombination: conditions.conditionCombination === 'any' ? 'any' : 'all',
        conditions: named(list(conditions.ruleCondition)).map((condition) =>
          defined({
            condition: condition.condition,
            operator: condition.operator === 'not' ? 'not' : undefined,
            referencedObjective: typeof condition.referencedObjective === 'string' ? condition.referencedObjective : undefined,
            parameters: number(condition.measureThreshold) === undefined ? undefined : { threshold: number(condition.measureThreshold) },
          }),
        ),
      };
    }),
  );
}

function sequencingRules(sequencing: Raw): ActivitySettings['sequencingRules'] {
  const source = record(sequencing.sequencingRules);
  const some = (entries: unknown) => (rules(entries).length > 0 ? rules(entries) : undefined);
  return defined({
    preConditionRules: some(source.preConditionRule),
    exitConditionRules: some(source.exitConditionRule),
    postConditionRules: some(source.postConditionRule),
  });
}

function rollupRules(sequencing: Raw): { rules: Raw[] } | undefined {
  const entries = complete(
    list(record(sequencing.rollupRules).rollupRule).map((rule) => {
      const conditions = record(rule.rollupConditions);
      return defined({
        action: record(rule.rollupAction).action,
        consideration: typeof rule.childActivitySet === 'string' ? rule.childActivitySet : 'all',
        minimumCount: number(rule.minimumCount),
        minimumPercent: number(rule.minimumPercent),
        conditionCombination: conditions.conditionCombination === 'all' ? 'all' : 'any',
        conditions: named(list(conditions.rollupCondition)).map((condition) => ({ condition: condition.condition, operator: condition.operator === 'not' ? 'not' : 'noOp' })),
      })!;
    }),
  );
  return entries.length > 0 ? { rules: entries } : undefined;
}

const MAP_FLAGS = [
  'readSatisfiedStatus',
  'readNormalizedMeasure',
  'writeSatisfiedStatus',
  'writeNormalizedMeasure',
  'readCompletionStatus',
  'writeCompletionStatus',
  'readProgressMeasure',
  'writeProgressMeasure',
  'readRawScore',
  'writeRawScore',
  'readMinScore',
  'writeMinScore',
  'readMaxScore',
  'writeMaxScore',
  'updateAttemptData',
];

/**
 * The objectives of an activity: the IMS ones, with the maps SCORM 2004 4th edition adds under the
 * same objective ids (`adlseq:objectives`) joined to them.
 */
function objectives(sequencing: Raw): { primary: Objective | undefined; others: Objective[] } {
  const byId = new Map<string, Objective>();
  let primaryId: string | undefined;
  const add = (source: Raw, primary: boolean) => {
    const id = typeof source.objectiveID === 'string' ? source.objectiveID : undefined;
    if (!id) return;
    if (primary) primaryId = id;
    const objective = byId.get(id) ?? { objectiveID: id, mapInfo: [] };
    objective.satisfiedByMeasure ??= flag(source.satisfiedByMeasure);
    objective.minNormalizedMeasure ??= number(source.minNormalizedMeasure);
    for (const map of list(source.mapInfo)) {
      if (typeof map.targetObjectiveID === 'string') objective.mapInfo.push({ targetObjectiveID: map.targetObjectiveID, ...defined(FLAGS(map, MAP_FLAGS)) });
    }
    byId.set(id, objective);
  };
  for (const group of list(sequencing.objectives)) {
    for (const primary of list(group.primaryObjective)) add(primary, true);
    for (const objective of list(group.objective)) add(objective, false);
  }
  const primary = primaryId === undefined ? undefined : byId.get(primaryId);
  return { primary, others: [...byId.values()].filter((objective) => objective !== primary) };
}

function sequencingOf(raw: Record<string, unknown> | null): Omit<ActivitySettings, 'id' | 'title'> {
  const sequencing = record(raw);
  const limits = record(sequencing.limitConditions);
  const considerations = record(sequencing.rollupConsiderations);
  const { primary, others } = objectives(sequencing);
  return defined({
    sequencingControls: controls(sequencing),
    sequencingRules: sequencingRules(sequencing),
    rollupRules: rollupRules(sequencing),
    rollupConsiderations: defined({
      requiredForSatisfied: considerations.requiredForSatisfied,
      requiredForNotSatisfied: considerations.requiredForNotSatisfied,
      requiredForCompleted: considerations.requiredForCompleted,
      requiredForIncomplete: considerations.requiredForIncomplete,
      measureSatisfactionIfActive: flag(considerations.measureSatisfactionIfActive),
    }),
    primaryObjective: primary,
    objectives: others.length > 0 ? others : undefined,
    attemptLimit: number(limits.attemptLimit),
    attemptAbsoluteDurationLimit: typeof limits.attemptAbsoluteDurationLimit === 'string' ? limits.attemptAbsoluteDurationLimit : undefined,
  }) ?? {};
}

function activity(item: LaunchItem): ActivitySettings {
  return {
    id: item.identifier,
    title: item.title,
    isVisible: item.visible,
    ...(item.children.length > 0 ? { children: item.children.map(activity) } : {}),
    ...sequencingOf(item.sequencing),
  };
}

/** The activity tree of a SCORM 2004 package's default organization, for the runtime's sequencing engine. */
export function activityTree(plan: LaunchPlan): ActivitySettings | null {
  if (!plan.organization) return null;
  return {
    id: plan.organization.identifier,
    title: plan.organization.title ?? plan.title ?? 'Course',
    children: plan.items.map(activity),
    ...sequencingOf(plan.organization.sequencing),
  };
}
