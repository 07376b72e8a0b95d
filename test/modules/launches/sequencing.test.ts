import { describe, expect, it } from 'vitest';
import { extractPackage } from '../../../src/extraction/extract-package.js';
import { launchPlan, type LaunchPlan } from '../../../src/extraction/result/launch-plan.js';
import { activityTree } from '../../../src/modules/launches/sequencing.js';
import { fixture, haveFixtures } from '../../support/fixtures.js';

const planOf = async (name: string) => launchPlan(await extractPackage(fixture(name)), {});

describe.skipIf(!haveFixtures)('the activity tree handed to the sequencing engine', () => {
  it('carries the control modes, pre-condition rules and objective maps of a forced sequence', async () => {
    const tree = activityTree(await planOf('golf-scorm2004-3rd-seq-forced-sequential.zip'))!;
    expect(tree).toMatchObject({ id: 'golf_sample_default_org', sequencingControls: { choice: true, flow: true } });
    expect(tree.children!.map((child) => child.id)).toEqual(['playing_item', 'etuqiette_item', 'handicapping_item', 'havingfun_item', 'assessment_item']);
    const etiquette = tree.children![1]!;
    expect(etiquette.sequencingRules).toEqual({
      preConditionRules: [
        {
          action: 'disabled',
          conditionCombination: 'any',
          conditions: [
            { condition: 'satisfied', operator: 'not', referencedObjective: 'previous_sco_satisfied' },
            { condition: 'objectiveStatusKnown', operator: 'not', referencedObjective: 'previous_sco_satisfied' },
          ],
        },
      ],
    });
    expect(etiquette.primaryObjective).toEqual({
      objectiveID: 'etiquette_satisfied',
      mapInfo: [{ targetObjectiveID: 'com.scorm.golfsamples.sequencing.forcedsequential.etiquette_satisfied', readSatisfiedStatus: true, writeSatisfiedStatus: true }],
    });
    expect(etiquette.objectives).toEqual([
      {
        objectiveID: 'previous_sco_satisfied',
        mapInfo: [{ targetObjectiveID: 'com.scorm.golfsamples.sequencing.forcedsequential.playing_satisfied', readSatisfiedStatus: true, writeSatisfiedStatus: false }],
      },
    ]);
    // The shared rules of the sequencing collection the item refers to.
    expect(etiquette.sequencingControls).toEqual({ objectiveMeasureWeight: 0, completionSetByContent: true, objectiveSetByContent: true });
  });

  it("joins SCORM 2004 4th edition's completion maps to the objectives they extend", async () => {
    const tree = activityTree(await planOf('golf-scorm2004-4th-seq-posttest-rollup.zip'))!;
    const etiquette = tree.children![1]!;
    expect(etiquette.primaryObjective).toEqual({
      objectiveID: 'ettiquette_completed',
      mapInfo: [{ targetObjectiveID: 'com.scorm.golfsamples.sequencing.forcedsequential.ettiquette_completed', readCompletionStatus: true, writeCompletionStatus: true }],
    });
    const quiz = tree.children![4]!;
    expect(quiz.sequencingRules!.preConditionRules).toHaveLength(2);
    expect(quiz.sequencingRules!.preConditionRules![0]).toMatchObject({ action: 'hiddenFromChoice', conditionCombination: 'all' });
    expect(quiz.sequencingControls).toMatchObject({ rollupObjectiveSatisfied: true, rollupProgressCompletion: true, objectiveMeasureWeight: 1 });
  });
});

describe('sequencing of any shape', () => {
  it('reads a manifest whose sequencing is nonsense without failing, keeping nothing it cannot read', () => {
    const item = (sequencing: unknown) => ({
      identifier: 'i',
      title: 'I',
      launch: 'a.html',
      parameters: null,
      visible: true,
      sco: true,
      mastery_score: null,
      completion_threshold: null,
      data_from_lms: null,
      time_limit: null,
      sequencing: sequencing as Record<string, unknown>,
      children: [],
    });
    const plan: LaunchPlan = {
      plan_version: 1,
      standard: 'scorm',
      version: '2004 4th Edition',
      title: 'T',
      organization: { identifier: 'org', title: null, sequencing: { controlMode: 'yes', objectives: [null, 7, { primaryObjective: [{}, { objectiveID: 5 }] }] } },
      items: [
        item({ sequencingRules: { preConditionRule: [null, 'x', { ruleConditions: 3 }] }, rollupRules: { rollupRule: {} }, limitConditions: { attemptLimit: 'many' } }),
        item(null),
      ],
      files: {},
    };
    expect(activityTree(plan)).toEqual({
      id: 'org',
      title: 'T',
      children: [
        { id: 'i', title: 'I', isVisible: true },
        { id: 'i', title: 'I', isVisible: true },
      ],
    });
  });
});
