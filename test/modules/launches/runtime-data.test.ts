import { describe, expect, it } from 'vitest';
import { assessEventsOf, clockDuration, durationSeconds, isoDuration, refusalOf, runtimeFacts, startingData } from '../../../src/modules/launches/runtime-data.js';

const learner = { id: 'ann', name: 'Ann Lee' };
const item = { masteryScore: 80, completionThreshold: 0.75, launchData: 'mode=exam', timeLimit: null };

describe('SCORM times', () => {
  it('reads 1.2 timespans and 2004 durations, and writes them back', () => {
    expect(durationSeconds('0001:02:03.5')).toBe(3723.5);
    expect(durationSeconds('00:00:30')).toBe(30);
    expect(durationSeconds('PT1H2M3.5S')).toBe(3723.5);
    expect(durationSeconds('P1DT1S')).toBe(86401);
    for (const nonsense of ['', 'P', 'PT', '1:2', 'soon', 'P1H', '12:99:00', null]) expect(durationSeconds(nonsense)).toBe(0);
    expect(isoDuration(3723.5)).toBe('PT1H2M3.5S');
    expect(clockDuration(3723.5)).toBe('0001:02:03.50');
    expect(clockDuration(1e9)).toBe('9999:59:59.99');
  });
});

describe('what a commit means', () => {
  it('takes completion, progress and time from SCORM 2004 data', () => {
    expect(runtimeFacts('2004', { completion_status: 'incomplete', progress_measure: '0.4', total_time: 'PT1M', session_time: 'PT30S' })).toMatchObject({
      completed: false,
      progress: 40,
      status: 'incomplete',
      totalSeconds: 90,
    });
    expect(runtimeFacts('2004', { completion_status: 'incomplete', success_status: 'passed' })).toMatchObject({ completed: true, progress: 100, status: 'passed' });
    expect(runtimeFacts('1.2', { core: { lesson_status: 'failed', score: { raw: '40', max: '100' } } })).toMatchObject({ completed: false, status: 'failed', score: { raw: 40, max: 100 } });
    // Data of any shape is read, never trusted.
    expect(runtimeFacts('1.2', { core: 'nonsense', interactions: [1, 2] })).toMatchObject({ completed: false, progress: 0, totalSeconds: 0, score: null });
  });

  it('scores each interaction with a result by its weighting, else the SCO score', () => {
    const events = assessEventsOf(
      '2004',
      {
        interactions: {
          0: { id: 'q1', result: 'correct', weighting: '2', learner_response: 'a', timestamp: '2026-12-01T10:00:00Z' },
          1: { id: 'q2', result: 'incorrect', learner_response: 'b' },
          2: { id: 'q3', result: '0.5' },
          3: { id: 'survey', result: 'neutral' },
        },
      },
      1000,
    );
    expect(events.map((e) => [e.questionId, e.score, e.maxScore, e.response, e.assessmentTs])).toEqual([
      ['q1', 2, 2, 'a', Date.parse('2026-12-01T10:00:00Z')],
      ['q2', 0, 1, 'b', 1000],
      ['q3', 0.5, 1, null, 1000],
    ]);
    expect(assessEventsOf('1.2', { core: { score: { raw: '85', min: '0', max: '100' } } }, 5)).toEqual([
      expect.objectContaining({ questionId: 'score', score: 85, maxScore: 100 }),
    ]);
    expect(assessEventsOf('1.2', { core: { lesson_status: 'completed' } }, 5)).toEqual([]);
  });

  it('refuses what the standards do not allow, with their error codes', () => {
    expect(refusalOf('1.2', { suspend_data: 'x'.repeat(4096) })).toBeNull();
    expect(refusalOf('1.2', { suspend_data: 'x'.repeat(4097) })).toMatchObject({ errorCode: 405, element: 'cmi.suspend_data' });
    expect(refusalOf('1.2', { core: { lesson_location: 'x'.repeat(256) } })).toMatchObject({ errorCode: 405, element: 'cmi.core.lesson_location' });
    expect(refusalOf('2004', { suspend_data: 'x'.repeat(64000), location: 'x'.repeat(1000) })).toBeNull();
    expect(refusalOf('2004', { location: 'x'.repeat(1001) })).toMatchObject({ errorCode: 406 });
  });
});

describe('the data a SCO starts with', () => {
  it('starts a first attempt with the learner and the manifest values', () => {
    expect(startingData('2004', undefined, learner, item)).toEqual({
      resumed: false,
      cmi: {
        learner_id: 'ann',
        learner_name: 'Ann Lee',
        credit: 'credit',
        mode: 'normal',
        entry: 'ab-initio',
        total_time: 'PT0H0M0S',
        launch_data: 'mode=exam',
        completion_threshold: '0.75',
        scaled_passing_score: '0.8',
      },
    });
    expect(startingData('1.2', undefined, learner, item).cmi).toMatchObject({
      core: { student_id: 'ann', student_name: 'Ann Lee', entry: 'ab-initio', lesson_status: 'not attempted', total_time: '0000:00:00' },
      student_data: { mastery_score: '80' },
    });
  });

  it('resumes a suspended attempt, and one left without Terminate, exactly as saved', () => {
    const saved = { location: 'p7', suspend_data: 'state', completion_status: 'incomplete', total_time: 'PT1M', session_time: 'PT2M', exit: 'suspend', interactions: { 0: { id: 'q1' } } };
    for (const terminated of [true, false]) {
      const { resumed, cmi } = startingData('2004', { cmi: { ...saved, exit: terminated ? 'suspend' : '' }, terminated }, learner, item);
      expect(resumed).toBe(true);
      expect(cmi).toMatchObject({ entry: 'resume', location: 'p7', suspend_data: 'state', total_time: 'PT0H3M0S', interactions: { 0: { id: 'q1' } } });
    }
  });

  it('starts a SCORM 2004 attempt anew after a normal exit; a 1.2 SCO keeps its status', () => {
    const ended = startingData('2004', { cmi: { location: 'p7', suspend_data: 'state', completion_status: 'completed', exit: 'normal' }, terminated: true }, learner, item);
    expect(ended.resumed).toBe(false);
    expect(ended.cmi).not.toHaveProperty('suspend_data');
    expect(ended.cmi).toMatchObject({ entry: 'ab-initio', total_time: 'PT0H0M0S' });
    const done12 = startingData('1.2', { cmi: { core: { lesson_status: 'passed', lesson_location: 'end', exit: '', total_time: '0000:10:00', score: { raw: '90' } }, suspend_data: 's' }, terminated: true }, learner, item);
    expect(done12.resumed).toBe(false);
    expect(done12.cmi).toMatchObject({ core: { entry: '', lesson_status: 'passed', lesson_location: '', score: { raw: '90' }, total_time: '0000:10:00' }, suspend_data: '' });
  });

  it('gives a SCORM 1.2 SCO that finished without suspending, before completing, its bookmark and suspend data back', () => {
    const left = startingData('1.2', { cmi: { core: { lesson_status: 'incomplete', lesson_location: '5', exit: '', total_time: '0000:01:00' }, suspend_data: 'page=5' }, terminated: true }, learner, item);
    expect(left.resumed).toBe(false);
    expect(left.cmi).toMatchObject({ core: { entry: '', lesson_status: 'incomplete', lesson_location: '5', total_time: '0000:01:00' }, suspend_data: 'page=5' });
  });
});
