import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { planItems, type LaunchItem, type LaunchPlan } from '../../extraction/result/launch-plan.js';
import type { Tx } from '../../infra/db/database.js';
import type { ContentExtraction, Launch } from '../../infra/db/schema.js';
import { ObjectNotFoundError, readCapped, type Storage } from '../../infra/storage/storage.js';
import { LRUCache } from 'lru-cache';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../../http/errors.js';
import type { Principal } from '../accounts/principal.js';
import type { CollectionsService } from '../collections/service.js';
import type { LearnerTokens } from '../progress/learner-tokens.js';
import type { ProgressService } from '../progress/service.js';
import type { ContentExtractionsService } from '../scorm-files/extractions-service.js';
import { resultKeysOf } from '../scorm-files/storage-keys.js';
import { writeLaunchProgress } from './progress-writes.js';
import type { AttemptKey, LaunchesRepository } from './repository.js';
import { assessEventsOf, refusalOf, runtimeFacts, startingData, withHeldTotalTime, type Cmi, type ScormVersion } from './runtime-data.js';

/** A launch session lasts a working day: long enough for a long course, short enough to be forgotten. */
const SESSION_TTL_MS = 12 * 3600_000;
const PLAN_CACHE_MS = 10 * 60_000;
const SESSION_CACHE_MS = 60_000;
/** A launch plan is small (items and file sizes); a hostile package's is still bounded by its limits. */
const MAX_PLAN_BYTES = 32 * 1024 * 1024;
/** Where a manager's previews keep their runtime data: never a context identifier (no `#` allowed there). */
const PREVIEW_CONTEXT_KEY = '#preview';

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');
const parse = <T>(json: string): T => JSON.parse(json) as T;

export interface LaunchInput {
  scormFileId: number;
  learner: { userId: string; name: string | null } | { token: string };
  contextId?: string;
  redirectUrl?: string;
  preview?: boolean;
}

export interface Commit {
  delivery: number;
  sequence: number;
  terminated: boolean;
  cmi: Cmi;
}

/** A commit the standard does not allow: the runtime answers the SCO with its error code. */
export class RuntimeError extends AppError {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(400, 'runtime_data_refused', message, { errorCode });
  }
}

export class LaunchUnavailableError extends AppError {
  constructor() {
    super(410, 'launch_unavailable', 'This launch link was already used or has expired: ask for a new one.');
  }
}

export interface Playable {
  launch: Launch;
  plan: LaunchPlan;
  version: ScormVersion;
}

function versionOf(plan: LaunchPlan): ScormVersion {
  return plan.version?.startsWith('1.2') ? '1.2' : '2004';
}

/**
 * The built-in player: launches a package for a learner, hands its SCOs their data, and turns
 * what they commit into the progress API's records (views, assessment attempts, the enrollment's
 * summary and certificate), in the collection made from the file and the launch's context.
 */
export class LaunchesService {
  private readonly plans = new LRUCache<number, LaunchPlan>({ max: 200, ttl: PLAN_CACHE_MS });
  /** Sessions already looked up: a launch row does not change once opened, and the runtime calls often. */
  private readonly sessions = new LRUCache<string, Launch>({ max: 10_000, ttl: SESSION_CACHE_MS });
  /** Commits of one SCO attempt, one at a time in this process: each reads what the one before saved. */
  private readonly committing = new Map<string, Promise<unknown>>();

  constructor(
    private readonly repository: LaunchesRepository,
    private readonly deps: {
      extractions: Pick<ContentExtractionsService, 'latestCompleted'>;
      collections: Pick<CollectionsService, 'courseOfFile' | 'getContext'>;
      progress: Pick<ProgressService, 'view' | 'submitAssessment'>;
      learnerTokens: Pick<LearnerTokens, 'verify'>;
      storage: Storage;
      playerUrl: string;
      launchTtlSeconds: number;
    },
  ) {}

  async create(principal: Principal, input: LaunchInput): Promise<{ launch_id: string; launch_url: string; expires_at: number }> {
    const { extraction } = await this.deps.extractions.latestCompleted(principal, input.scormFileId);
    const plan = await this.planOf(extraction);
    if (plan.standard === 'aicc') {
      throw new ConflictError('launch_not_supported', `This player runs SCORM, cmi5 and xAPI packages; SCORM file ${input.scormFileId} is AICC.`);
    }
    if (!firstLaunchable(plan.items)) {
      throw new ConflictError('nothing_to_launch', `SCORM file ${input.scormFileId} has no item to launch.`);
    }
    const learner = 'token' in input.learner ? await this.learnerOfToken(principal, input.learner.token) : input.learner;
    let course: { collection: string; context: string } | null = null;
    if (!input.preview) {
      const { collection, defaultContext } = await this.deps.collections.courseOfFile(principal, input.scormFileId);
      const context = await this.deps.collections.getContext(principal, input.contextId ?? defaultContext);
      if (context.collection_identifier !== collection.collection.identifier) {
        throw new BadRequestError('context_not_of_file', `Context ${context.identifier} is not a context of the course made from SCORM file ${input.scormFileId}.`);
      }
      course = { collection: collection.collection.identifier, context: context.identifier };
    }
    const token = randomBytes(32).toString('base64url');
    const id = randomUUID();
    const now = Date.now();
    const expiresAt = now + this.deps.launchTtlSeconds * 1000;
    await this.repository.create({
      id,
      organization_id: principal.organizationId,
      scorm_file_id: input.scormFileId,
      content_extraction_id: extraction.id,
      user_id: learner.userId,
      learner_name: learner.name ?? (await this.repository.lastLearnerName(principal.organizationId, learner.userId)),
      collection_identifier: course?.collection ?? null,
      context_identifier: course?.context ?? null,
      preview: input.preview ? 1 : 0,
      redirect_url: input.redirectUrl ?? null,
      token_hash: sha256(token),
      expires_at: expiresAt,
      opened_at: null,
      session_hash: null,
      session_expires_at: null,
      created_at: now,
    });
    return { launch_id: id, launch_url: `${this.deps.playerUrl}/player/launch/${token}`, expires_at: expiresAt };
  }

  private async learnerOfToken(principal: Principal, token: string): Promise<{ userId: string; name: string | null }> {
    try {
      const learner = await this.deps.learnerTokens.verify(token, principal.organizationId);
      return { userId: learner.userId, name: learner.name };
    } catch (error) {
      throw new BadRequestError('invalid_learner_token', `The learner token was refused: ${(error as Error).message}`);
    }
  }

  /** Exchanges a launch token for a session secret, once. */
  async open(token: string): Promise<{ session: string; launch: Launch }> {
    const session = randomBytes(32).toString('base64url');
    const now = Date.now();
    const launch = await this.repository.open(sha256(token), sha256(session), now, now + SESSION_TTL_MS);
    if (!launch) throw new LaunchUnavailableError();
    return { session, launch };
  }

  /** The launch a session secret opens, with its plan; 404 for an unknown or expired session. */
  async playable(session: string): Promise<Playable> {
    const hash = sha256(session);
    const launch = this.sessions.get(hash) ?? (await this.repository.bySession(hash));
    if (launch) this.sessions.set(hash, launch);
    if (!launch || (launch.session_expires_at ?? 0) < Date.now()) {
      throw new NotFoundError('launch_session_not_found', 'This player session has ended: open the course from its launch link again.');
    }
    return this.withPlan(launch);
  }

  /** The launch with the plan of its package: what the xAPI sessions of a launch are answered from. */
  async playableOf(launchId: string): Promise<Playable> {
    const launch = await this.repository.byId(launchId);
    if (!launch) throw new NotFoundError('launch_session_not_found', 'This launch no longer exists.');
    return this.withPlan(launch);
  }

  private async withPlan(launch: Launch): Promise<Playable> {
    const plan = await this.planOf({ id: launch.content_extraction_id, final_output_path: await this.resultPathOf(launch) });
    return { launch, plan, version: versionOf(plan) };
  }

  /** The status of each SCO for the table of contents: the runtime's own words (completed, passed, incomplete…). */
  async statuses(playable: Playable): Promise<Record<string, string>> {
    const rows = await this.repository.attempts(this.keyOf(playable.launch, ''));
    return Object.fromEntries(rows.map((row) => [row.item_id, runtimeFacts(playable.version, parse<Cmi>(row.cmi)).status || 'incomplete']));
  }

  /**
   * A SCO about to be shown: its data to start with (resumed, or a new attempt), and the delivery
   * number its commits carry. The first delivery starts the learner's view of the content.
   */
  async deliver(playable: Playable, itemId: string): Promise<{ delivery: number; resumed: boolean; cmi: Cmi; version: ScormVersion }> {
    const item = planItems(playable.plan).get(itemId);
    if (!item?.launch) throw new NotFoundError('item_not_found', `The course has no item ${itemId} to launch.`);
    const { launch, version } = playable;
    const key = this.keyOf(launch, itemId);
    const saved = await this.repository.attempt(key);
    const starting = startingData(
      version,
      saved ? { cmi: parse<Cmi>(saved.cmi), terminated: saved.terminated === 1 } : undefined,
      { id: launch.user_id, name: launch.learner_name ?? launch.user_id },
      { masteryScore: item.mastery_score, completionThreshold: item.completion_threshold, launchData: item.data_from_lms, timeLimit: item.time_limit },
    );
    const newAttempt = saved !== undefined && !starting.resumed && version === '2004';
    const row = await this.repository.deliver(key, { launchId: launch.id, newAttempt, cmi: JSON.stringify(starting.cmi) }, Date.now());
    await writeLaunchProgress(launch, itemId, `${row.id}:${row.delivery}:start`, (learner, ref, msgid) =>
      this.deps.progress.view(learner, msgid, ref, { kind: 'start' }),
    );
    return { delivery: row.delivery, resumed: starting.resumed, cmi: starting.cmi, version };
  }

  /**
   * Saves a SCO's commit and records what it means for the learner's progress. A commit of an
   * older delivery, or with a sequence number not above the last one saved, changes nothing: it
   * is stale, or a retry of one already saved. Each progress write has a message id made from the
   * commit, and the runtime data is saved with the last of them: a retry after a crash writes
   * nothing twice. Commits of one SCO attempt are applied one at a time in this process.
   */
  async commit(playable: Playable, itemId: string, commit: Commit): Promise<{ stale: boolean }> {
    const refusal = refusalOf(playable.version, commit.cmi);
    if (refusal) throw new RuntimeError(refusal.errorCode, refusal.message);
    const key = this.keyOf(playable.launch, itemId);
    const serialKey = JSON.stringify(key);
    const previous = this.committing.get(serialKey) ?? Promise.resolve();
    const run = previous.then(
      () => this.applyCommit(playable, key, commit),
      () => this.applyCommit(playable, key, commit),
    );
    this.committing.set(serialKey, run);
    try {
      return await run;
    } finally {
      if (this.committing.get(serialKey) === run) this.committing.delete(serialKey);
    }
  }

  private async applyCommit(playable: Playable, key: AttemptKey, commit: Commit): Promise<{ stale: boolean }> {
    const { launch, version } = playable;
    const row = await this.repository.attempt(key);
    if (!row) throw new NotFoundError('item_not_delivered', `Item ${key.itemId} was not launched in this session.`);
    if (commit.delivery !== row.delivery || commit.sequence <= row.sequence) return { stale: true };
    const held = parse<Cmi>(row.cmi);
    const cmi = withHeldTotalTime(version, commit.cmi, held);
    const before = runtimeFacts(version, held);
    const after = runtimeFacts(version, cmi);
    const messageId = `${row.id}:${row.delivery}:${commit.sequence}`;
    const now = Date.now();
    // Session time is reported in whole commits: what was already added to the view is not added again.
    const timeSpent = Math.max(0, after.totalSeconds - row.recorded_seconds);
    // The score first: the update may complete the content, and a certificate may be judged on the score.
    const events = assessEventsOf(version, cmi, now);
    const earlier = assessEventsOf(version, held, now);
    if (events.length > 0 && JSON.stringify(events.map(withoutTime)) !== JSON.stringify(earlier.map(withoutTime))) {
      await writeLaunchProgress(launch, key.itemId, `${messageId}:assessment`, (learner, ref, msgid) =>
        this.deps.progress.submitAssessment(learner, msgid, { ...ref, attemptId: launch.id }, events),
      );
    }
    // The runtime data is saved in the transaction of the commit's last progress write: answered
    // once, written once. A preview writes no progress and saves it alone.
    const ends = after.completed && !before.completed;
    let saved: boolean | undefined;
    const save = async (executor?: Tx) => {
      const data = { sequence: commit.sequence, cmi: JSON.stringify(cmi), terminated: commit.terminated, recordedSeconds: Math.max(row.recorded_seconds, after.totalSeconds) };
      saved = await this.repository.saveCommit(row.id, { delivery: row.delivery, sequence: row.sequence }, data, now, executor);
    };
    await writeLaunchProgress(launch, key.itemId, `${messageId}:update`, (learner, ref, msgid) =>
      this.deps.progress.view(
        learner,
        msgid,
        ref,
        {
          kind: 'update',
          timeSpent,
          progressDetails: { mimetype: 'application/vnd.scorm', progress: after.progress, status: after.status, ...(after.score ? { score: after.score } : {}) },
        },
        ends ? undefined : save,
      ),
    );
    if (ends) {
      await writeLaunchProgress(launch, key.itemId, `${messageId}:end`, (learner, ref, msgid) => this.deps.progress.view(learner, msgid, ref, { kind: 'end' }, save));
    }
    if (saved === undefined) await save();
    return { stale: !saved };
  }

  /** SCORM 2004: the sequencing engine's state the learner left, to resume from. */
  sequencingState(playable: Playable): Promise<string | null> {
    return this.repository.sequencingState(this.keyOf(playable.launch, ''));
  }

  async saveSequencingState(playable: Playable, state: string): Promise<void> {
    await this.repository.saveSequencingState(this.keyOf(playable.launch, ''), state, Date.now());
  }

  /** A file of the launched package: 404 for anything the package does not hold. */
  async file(playable: Playable, path: string, range?: { start: number; end: number }): Promise<{ stream: Readable; size: number }> {
    const size = playable.plan.files[path];
    if (size === undefined || !Object.hasOwn(playable.plan.files, path)) throw new NotFoundError('file_not_found', `The course has no file ${path}.`);
    const key = `${resultKeysOf(await this.resultPathOf(playable.launch)).content}/${path}`;
    try {
      const stream = range ? await this.deps.storage.readRange(key, range.start, range.end) : await this.deps.storage.read(key);
      return { stream, size };
    } catch (error) {
      if (error instanceof ObjectNotFoundError) throw new NotFoundError('file_not_found', `The course has no file ${path}.`);
      throw error;
    }
  }

  private keyOf(launch: Launch, itemId: string): AttemptKey {
    return {
      organizationId: launch.organization_id,
      userId: launch.user_id,
      scormFileId: launch.scorm_file_id,
      contextKey: launch.preview === 1 ? PREVIEW_CONTEXT_KEY : (launch.context_identifier ?? ''),
      itemId,
    };
  }

  private readonly resultPaths = new LRUCache<number, string>({ max: 1000, ttl: PLAN_CACHE_MS });

  private async resultPathOf(launch: Launch): Promise<string> {
    const cached = this.resultPaths.get(launch.content_extraction_id);
    if (cached) return cached;
    const path = await this.repository.resultPath(launch.content_extraction_id);
    if (!path) throw new NotFoundError('launch_session_not_found', 'The course of this session is no longer stored.');
    this.resultPaths.set(launch.content_extraction_id, path);
    return path;
  }

  private async planOf(extraction: Pick<ContentExtraction, 'id' | 'final_output_path'>): Promise<LaunchPlan> {
    const cached = this.plans.get(extraction.id);
    if (cached) return cached;
    if (!extraction.final_output_path) throw new ConflictError('extraction_not_completed', `Content extraction ${extraction.id} has no result.`);
    let json: string;
    try {
      json = await readCapped(await this.deps.storage.read(resultKeysOf(extraction.final_output_path).plan), MAX_PLAN_BYTES, 'launch plan');
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error;
      throw new ConflictError(
        'extraction_not_playable',
        `Content extraction ${extraction.id} was made before the player existed: start a new extraction of the file to play it.`,
      );
    }
    const plan = parse<LaunchPlan>(json);
    this.plans.set(extraction.id, plan);
    return plan;
  }
}

const withoutTime = (event: { assessmentTs: number }) => ({ ...event, assessmentTs: 0 });

/** The first item of a tree that can be launched, depth first. */
function firstLaunchable(items: LaunchItem[]): LaunchItem | undefined {
  for (const item of items) {
    if (item.launch) return item;
    const child = firstLaunchable(item.children);
    if (child) return child;
  }
  return undefined;
}
