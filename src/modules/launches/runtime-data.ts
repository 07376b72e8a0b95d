import type { AssessEvent } from '../progress/aggregates.js';

/**
 * The SCORM run-time data model as the player's runtime commits it (the `cmi` object of
 * scorm-again, SCORM 1.2 or 2004 shape), and what the service makes of it: the limits it
 * enforces, the learner's progress, the assessment attempt, and the data a resumed SCO gets.
 * Commits come from the learner's browser: nothing here trusts their shape.
 */
export type ScormVersion = '1.2' | '2004';
export type Cmi = Record<string, unknown>;

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const numeric = (value: unknown): number | null => {
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : null;
};

/** The standards' smallest permitted maximum of each string the service keeps, and the error a longer one gets. */
const LIMITS: Record<ScormVersion, { element: string; path: string[]; max: number }[]> = {
  '1.2': [
    { element: 'cmi.suspend_data', path: ['suspend_data'], max: 4096 },
    { element: 'cmi.core.lesson_location', path: ['core', 'lesson_location'], max: 255 },
  ],
  '2004': [
    { element: 'cmi.suspend_data', path: ['suspend_data'], max: 64000 },
    { element: 'cmi.location', path: ['location'], max: 1000 },
  ],
};
/** SCORM 1.2 "Incorrect Data Type"; SCORM 2004 "Data Model Element Type Mismatch". */
export const SIZE_ERROR_CODE: Record<ScormVersion, number> = { '1.2': 405, '2004': 406 };
/** Interactions kept per attempt: ten times what the 2004 standard asks an LMS to hold (250). */
export const MAX_INTERACTIONS = 2500;

const at = (cmi: Cmi, path: string[]): unknown => path.reduce<unknown>((node, key) => record(node)[key], cmi);

export interface RuntimeRefusal {
  errorCode: number;
  element: string;
  message: string;
}

/** What in a commit the standard does not allow, or null. */
export function refusalOf(version: ScormVersion, cmi: Cmi): RuntimeRefusal | null {
  for (const limit of LIMITS[version]) {
    const value = text(at(cmi, limit.path));
    if (value.length > limit.max) {
      return {
        errorCode: SIZE_ERROR_CODE[version],
        element: limit.element,
        message: `${limit.element} holds ${value.length} characters; SCORM ${version} allows ${limit.max}.`,
      };
    }
  }
  const interactions = Object.keys(record(cmi.interactions)).length;
  if (interactions > MAX_INTERACTIONS) {
    return { errorCode: SIZE_ERROR_CODE[version], element: 'cmi.interactions', message: `${interactions} interactions; at most ${MAX_INTERACTIONS} are kept.` };
  }
  return null;
}

/** Seconds of a SCORM 1.2 timespan (`HHHH:MM:SS.SS`) or a SCORM 2004 duration (`P1DT2H3M4.5S`). */
export function durationSeconds(value: unknown): number {
  const raw = text(value).trim();
  const clock = /^(\d{1,4}):([0-5]?\d):([0-5]?\d(?:\.\d{1,2})?)$/.exec(raw);
  if (clock) return Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
  const iso = /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(raw);
  if (!iso || raw === 'P' || raw.endsWith('T')) return 0;
  // Years and months as the standard's reference reckons them: 365 and 30 days.
  const [years, months, days, hours, minutes, seconds] = iso.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  return ((years * 365 + months * 30 + days) * 24 + hours) * 3600 + minutes * 60 + seconds;
}

/** A SCORM 2004 duration for a number of seconds (`PT1H2M3.5S`). */
export function isoDuration(seconds: number): string {
  const hundredths = Math.round(Math.max(0, seconds) * 100);
  const h = Math.floor(hundredths / 360000);
  const m = Math.floor((hundredths % 360000) / 6000);
  const s = (hundredths % 6000) / 100;
  return `PT${h}H${m}M${s}S`;
}

/** A SCORM 1.2 timespan for a number of seconds (`0001:02:03.50`). */
export function clockDuration(seconds: number): string {
  const hundredths = Math.round(Math.min(Math.max(0, seconds), 9999 * 3600 + 3599.99) * 100);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const h = Math.floor(hundredths / 360000);
  const m = Math.floor((hundredths % 360000) / 6000);
  const s = Math.floor((hundredths % 6000) / 100);
  const fraction = hundredths % 100;
  return `${pad(h, 4)}:${pad(m, 2)}:${pad(s, 2)}${fraction ? `.${pad(fraction, 2)}` : ''}`;
}

export interface RuntimeFacts {
  /** Completed, or passed: the SCO is done. */
  completed: boolean;
  /** 0-100, from 2004's progress measure; 100 once completed. */
  progress: number;
  status: string;
  exit: string;
  /** The session's time plus the time of the attempt before it. */
  totalSeconds: number;
  score: { raw: number; min: number | null; max: number | null; scaled: number | null } | null;
}

/**
 * A commit's data with the total time the service holds for the attempt. The total time is the
 * LMS's: the runtime leaves it out of a commit, or adds the session to it when the SCO terminates,
 * so only the service's own value, the time before this session, is added to the session's time.
 */
export function withHeldTotalTime(version: ScormVersion, committed: Cmi, held: Cmi): Cmi {
  if (version === '2004') return { ...committed, total_time: record(held).total_time ?? 'PT0S' };
  return { ...committed, core: { ...record(committed.core), total_time: record(held.core).total_time ?? '0000:00:00' } };
}

export function runtimeFacts(version: ScormVersion, cmi: Cmi): RuntimeFacts {
  const core = record(cmi.core);
  const score = record(version === '1.2' ? core.score : cmi.score);
  const raw = numeric(score.raw);
  const scaled = numeric(score.scaled);
  let completed: boolean;
  let status: string;
  let progress: number;
  if (version === '1.2') {
    status = text(core.lesson_status);
    completed = status === 'completed' || status === 'passed';
    progress = completed ? 100 : 0;
  } else {
    const completion = text(cmi.completion_status);
    const success = text(cmi.success_status);
    status = success === 'passed' || success === 'failed' ? success : completion;
    completed = completion === 'completed' || success === 'passed';
    const measure = numeric(cmi.progress_measure);
    progress = completed ? 100 : measure === null ? 0 : Math.min(100, Math.max(0, measure * 100));
  }
  const timeSource = version === '1.2' ? core : cmi;
  return {
    completed,
    progress,
    status,
    exit: text(version === '1.2' ? core.exit : cmi.exit),
    totalSeconds: durationSeconds(timeSource.total_time) + durationSeconds(timeSource.session_time),
    score:
      raw === null && scaled === null
        ? null
        : { raw: raw ?? (scaled === null ? 0 : scaled * 100), min: numeric(score.min), max: numeric(score.max), scaled },
  };
}

/** A result the standards write for a response judged right. */
const CORRECT = new Set(['correct']);
const WRONG = new Set(['wrong', 'incorrect', 'unanticipated']);

/**
 * The assessment events of an attempt: one per interaction that has a result (its weighting as
 * its maximum, full marks when correct), else one for the SCO's own score. A SCO with neither
 * gives none.
 */
export function assessEventsOf(version: ScormVersion, cmi: Cmi, now: number): AssessEvent[] {
  const events: AssessEvent[] = [];
  for (const [index, value] of Object.entries(record(cmi.interactions))) {
    const interaction = record(value);
    const result = text(interaction.result);
    const numericResult = numeric(result);
    if (!CORRECT.has(result) && !WRONG.has(result) && numericResult === null) continue;
    const weight = Math.max(0, numeric(interaction.weighting) ?? 1);
    const maxScore = numericResult === null ? weight : Math.max(weight, numericResult, 0);
    const score = numericResult === null ? (CORRECT.has(result) ? weight : 0) : Math.min(Math.max(numericResult, 0), maxScore);
    const timestamp = Date.parse(text(version === '1.2' ? interaction.time : interaction.timestamp));
    events.push({
      questionId: text(interaction.id) || `interaction-${index}`,
      score,
      maxScore,
      assessmentTs: version === '2004' && Number.isFinite(timestamp) ? timestamp : now,
      type: text(interaction.type) || null,
      title: text(interaction.description) || null,
      response: text(version === '1.2' ? interaction.student_response : interaction.learner_response) || null,
      duration: durationSeconds(interaction.latency) || null,
    });
  }
  if (events.length > 0) return events;
  const facts = runtimeFacts(version, cmi);
  if (!facts.score) return [];
  const max = facts.score.max ?? 100;
  const raw = Math.min(Math.max(facts.score.raw - (facts.score.min ?? 0), 0), max);
  return [{ questionId: 'score', score: raw, maxScore: max, assessmentTs: now, type: 'score', title: null, response: null, duration: null }];
}

export interface Learner {
  id: string;
  name: string;
}

/** What the package's manifest hands the SCO of an item. */
export interface ItemValues {
  masteryScore: number | null;
  completionThreshold: number | null;
  launchData: string | null;
  timeLimit: string | null;
}

/**
 * The data a SCO starts with. A suspended attempt, or one left without Finish/Terminate (the tab
 * was closed), is resumed: its data exactly as saved, `entry` = resume. Otherwise a SCORM 2004
 * SCO starts a new attempt, and a 1.2 SCO keeps its status and score (1.2 has no attempts), and
 * its bookmark and suspend data until it is completed: a SCO that finishes without suspending when
 * its page unloads (many do, when the browser skips their beforeunload) still finds its place.
 */
export function startingData(
  version: ScormVersion,
  saved: { cmi: Cmi; terminated: boolean } | undefined,
  learner: Learner,
  item: ItemValues,
): { cmi: Cmi; resumed: boolean } {
  const facts = saved ? runtimeFacts(version, saved.cmi) : undefined;
  const resumed = saved !== undefined && (facts!.exit === 'suspend' || !saved.terminated);
  const kept = saved && (resumed || version === '1.2') ? saved.cmi : {};
  const total = resumed || (saved && version === '1.2') ? facts!.totalSeconds : 0;
  if (version === '1.2') {
    const core = record(kept.core);
    const placeKept = resumed || (saved !== undefined && !facts!.completed);
    return {
      resumed,
      cmi: {
        core: {
          student_id: learner.id,
          student_name: learner.name,
          lesson_location: placeKept ? text(core.lesson_location) : '',
          lesson_status: text(core.lesson_status) || 'not attempted',
          credit: 'credit',
          entry: resumed ? 'resume' : saved ? '' : 'ab-initio',
          lesson_mode: 'normal',
          score: pick(record(core.score), ['raw', 'min', 'max']),
          total_time: clockDuration(total),
        },
        suspend_data: placeKept ? text(kept.suspend_data) : '',
        launch_data: item.launchData ?? '',
        comments: text(kept.comments),
        objectives: kept.objectives ?? {},
        student_data: {
          mastery_score: item.masteryScore === null ? '' : String(item.masteryScore),
          ...(item.timeLimit ? { max_time_allowed: item.timeLimit } : {}),
        },
      },
    };
  }
  return {
    resumed,
    cmi: {
      ...(resumed
        ? pick(kept, ['location', 'suspend_data', 'completion_status', 'success_status', 'progress_measure', 'comments_from_learner', 'learner_preference'])
        : {}),
      ...(resumed ? { score: pick(record(kept.score), ['scaled', 'raw', 'min', 'max']), interactions: kept.interactions ?? {}, objectives: kept.objectives ?? {} } : {}),
      learner_id: learner.id,
      learner_name: learner.name,
      credit: 'credit',
      mode: 'normal',
      entry: resumed ? 'resume' : 'ab-initio',
      total_time: isoDuration(total),
      launch_data: item.launchData ?? '',
      ...(item.completionThreshold === null ? {} : { completion_threshold: String(item.completionThreshold) }),
      ...(item.masteryScore === null ? {} : { scaled_passing_score: String(item.masteryScore / 100) }),
      ...(item.timeLimit ? { max_time_allowed: item.timeLimit } : {}),
    },
  };
}

/** The string fields of an object that are named, for data handed back to a SCO. */
function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = source[key];
    if (typeof value === 'string' && value !== '') out[key] = value;
    else if (typeof value === 'object' && value !== null) out[key] = value;
  }
  return out;
}
