import { badRequest } from './envelope.js';

/** Content and enrollment status, as the progress API numbers them. */
export const NOT_STARTED = 0;
export const IN_PROGRESS = 1;
export const COMPLETED = 2;

export interface ViewState {
  status: number;
  progress: number;
  timeSpent: number;
  /** The progress details last sent, per mimetype. */
  progressDetails: Record<string, Record<string, unknown>>;
  completedAt: number | null;
}

export type ViewChange =
  | { kind: 'start' }
  | { kind: 'update'; progressDetails: Record<string, unknown>; timeSpent: number }
  | { kind: 'end' };

const clampPercent = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : null;

/**
 * The next view state (Sunbird's rules): status and progress never go back, completion forces
 * progress to 100, time spent adds up, progress details are kept per mimetype as sent.
 */
export function applyView(previous: ViewState | undefined, change: ViewChange, now: number): ViewState {
  const state: ViewState = {
    status: previous?.status ?? NOT_STARTED,
    progress: previous?.progress ?? 0,
    timeSpent: previous?.timeSpent ?? 0,
    progressDetails: { ...previous?.progressDetails },
    completedAt: previous?.completedAt ?? null,
  };
  if (change.kind === 'update') {
    const mimetype = change.progressDetails.mimetype ?? change.progressDetails.mimeType;
    state.progressDetails[typeof mimetype === 'string' && mimetype ? mimetype : 'default'] = change.progressDetails;
    state.progress = Math.max(state.progress, clampPercent(change.progressDetails.progress) ?? 0);
    state.timeSpent += change.timeSpent;
  }
  const reached = change.kind === 'end' || state.progress >= 100 ? COMPLETED : IN_PROGRESS;
  state.status = Math.max(state.status, reached);
  if (state.status === COMPLETED) {
    state.progress = 100;
    state.completedAt ??= now;
  }
  return state;
}

export interface AssessEvent {
  questionId: string;
  score: number;
  maxScore: number;
  assessmentTs: number;
  type: string | null;
  title: string | null;
  response: unknown;
  duration: number | null;
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** An assessment event in either accepted form: plain, or Sunbird's ASSESS telemetry event. */
export function readAssessEvent(raw: unknown, index: number): AssessEvent {
  const field = (name: string) => `request.assessments[${index}].${name}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw badRequest(`request.assessments[${index}]`, 'Assessment event must be an object');
  }
  const event = raw as Record<string, unknown>;
  const edata = event.eid === 'ASSESS' && typeof event.edata === 'object' && event.edata !== null ? (event.edata as Record<string, unknown>) : undefined;
  const item = edata && typeof edata.item === 'object' && edata.item !== null ? (edata.item as Record<string, unknown>) : undefined;
  const questionId = text(item?.id ?? event.questionId);
  const score = edata ? edata.score : event.score;
  const maxScore = item ? item.maxscore : event.maxScore;
  const assessmentTs = edata ? event.ets : event.assessmentTs;
  if (!questionId) throw badRequest(field(edata ? 'edata.item.id' : 'questionId'), 'Question Id cannot be empty');
  if (!finite(score) || score < 0) throw badRequest(field(edata ? 'edata.score' : 'score'), 'Score must be a number, zero or more');
  if (!finite(maxScore) || maxScore < 0) {
    throw badRequest(field(edata ? 'edata.item.maxscore' : 'maxScore'), 'Max score must be a number, zero or more');
  }
  if (score > maxScore) throw badRequest(field(edata ? 'edata.score' : 'score'), 'Score cannot be more than the max score');
  if (!finite(assessmentTs)) throw badRequest(field(edata ? 'ets' : 'assessmentTs'), 'Assessment timestamp must be epoch milliseconds');
  return {
    questionId,
    score,
    maxScore,
    assessmentTs,
    type: text(item?.type ?? event.type),
    title: text(item?.title ?? event.title),
    response: edata ? (edata.resvalues ?? null) : (event.response ?? null),
    duration: finite(edata ? edata.duration : event.duration) ? ((edata ? edata.duration : event.duration) as number) : null,
  };
}

/** An attempt with new events: per question the latest event wins; the attempt's score is the sum. */
export function mergeAttempt(
  questions: Record<string, AssessEvent>,
  events: AssessEvent[],
): { questions: Record<string, AssessEvent>; score: number; maxScore: number } {
  const merged = { ...questions };
  for (const event of events) {
    const current = merged[event.questionId];
    if (!current || event.assessmentTs >= current.assessmentTs) merged[event.questionId] = event;
  }
  const all = Object.values(merged);
  return {
    questions: merged,
    score: all.reduce((sum, e) => sum + e.score, 0),
    maxScore: all.reduce((sum, e) => sum + e.maxScore, 0),
  };
}

export interface BestScore {
  score: number;
  max_score: number;
  attempts: number;
}

export interface EnrollmentProgress {
  status: number;
  progress: number;
  completedOn: number | null;
}

/**
 * An enrollment's status and progress from its contents' statuses: progress is the share of
 * required leaves completed (every leaf when none is marked required), as a whole percent. Like a
 * content's, an enrollment's status and progress never go back.
 */
export function summarize(
  contentStatus: Record<string, number>,
  contents: { contentId: string; optional: boolean }[],
  previous: EnrollmentProgress,
  now: number,
): EnrollmentProgress {
  const required = contents.some((c) => !c.optional) ? contents.filter((c) => !c.optional) : contents;
  const done = required.filter((c) => contentStatus[c.contentId] === COMPLETED).length;
  const started = contents.some((c) => (contentStatus[c.contentId] ?? NOT_STARTED) > NOT_STARTED);
  const complete = required.length > 0 && done === required.length;
  const status = Math.max(previous.status, complete ? COMPLETED : started ? IN_PROGRESS : NOT_STARTED);
  return {
    status,
    progress: Math.max(previous.progress, required.length === 0 ? 0 : Math.floor((done * 100) / required.length)),
    completedOn: status === COMPLETED ? (previous.completedOn ?? now) : null,
  };
}

/**
 * Whether a completed enrollment meets its context's certificate criteria: the best scores of its
 * required contents (every content when none is required), as a share of their maximum.
 */
export function meetsCriteria(
  minScorePercent: number | null,
  assessmentStatus: Record<string, BestScore>,
  contents: { contentId: string; optional: boolean }[],
): boolean {
  if (minScorePercent === null) return true;
  const counted = new Set((contents.some((c) => !c.optional) ? contents.filter((c) => !c.optional) : contents).map((c) => c.contentId));
  const scores = Object.entries(assessmentStatus)
    .filter(([contentId]) => counted.has(contentId))
    .map(([, score]) => score);
  const max = scores.reduce((sum, s) => sum + s.max_score, 0);
  if (max === 0) return false;
  return (scores.reduce((sum, s) => sum + s.score, 0) * 100) / max >= minScorePercent;
}
