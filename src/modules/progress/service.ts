import { hash, randomBytes, randomUUID } from 'node:crypto';
import type { Db, Tx } from '../../infra/db/database.js';
import { LanedGroupCommit } from '../../infra/db/group-commit.js';
import type { Metrics } from '../../infra/metrics.js';
import type { Context } from '../../infra/db/schema.js';
import type { CollectionsRepository, CollectionWithContents, EnrollmentState } from '../collections/repository.js';
import {
  applyView,
  COMPLETED,
  IN_PROGRESS,
  meetsCriteria,
  mergeAttempt,
  NOT_STARTED,
  summarize,
  type AssessEvent,
  type BestScore,
  type ViewChange,
  type ViewState,
} from './aggregates.js';
import { badRequest, forbidden, ProgressError } from './envelope.js';
import type { Learner } from './learner-tokens.js';
import type { Claim, ConsumptionSave, ConsumptionState, ProgressRepository, SummaryRow, ViewKey, ViewRows } from './repository.js';

export interface ContentRef {
  contentId: string;
  collectionId?: string;
  contextId?: string;
}

/** Where a consumption happens: organic, through a collection, or in a context of a collection. */
interface Scope {
  contentId: string;
  collection: CollectionWithContents | undefined;
  context: (Context & { collection_identifier: string }) | undefined;
}

const VIEW_MESSAGES: Record<ViewChange['kind'], string> = {
  start: 'Progress started',
  update: 'Progress Updated',
  end: 'Progress ended',
};

const parse = <T>(json: string): T => JSON.parse(json) as T;
/** View records read for one learner's record: far more than a learner has. */
const LEARNER_VIEWS = 10_000;

/**
 * One write of the progress API, as the group commit applies it with the others of its batch.
 * `apply` refuses with a ProgressError before it changes anything; a view's rows are read
 * beforehand (`view`) and its new consumption returned, so a batch reads and writes all of them
 * together.
 */
interface Write {
  claim: Claim | undefined;
  response: unknown;
  view?: ViewKey;
  apply(tx: Tx, rows: ViewRows | undefined): Promise<ConsumptionSave | void>;
}

type Outcome = { value: unknown } | { refusal: ProgressError };

/**
 * One record per learner and content in each context, in each collection without one, and
 * organically; with the context's id (`contextId`), whose enrollment a write reads with it.
 */
function viewKey(learner: Learner, ref: ContentRef, contextId: number | null): ViewKey {
  const contextKey = ref.contextId ?? (ref.collectionId ? `collection:${ref.collectionId}` : '');
  return { organizationId: learner.organizationId, userId: learner.userId, contentId: ref.contentId, contextKey, contextId };
}

interface Leaves {
  ids: Set<string>;
  contents: { contentId: string; optional: boolean }[];
}

const leavesOfCollection = new WeakMap<CollectionWithContents, Leaves>();

/**
 * A collection's leaf contents as the aggregates read them, worked out once per collection read
 * (collections are cached): every write checks its content against them, whatever their number.
 */
function leavesOf(collection: CollectionWithContents): Leaves {
  let leaves = leavesOfCollection.get(collection);
  if (!leaves) {
    const contents = collection.contents.map((c) => ({ contentId: c.content_id, optional: c.optional === 1 }));
    leaves = { ids: new Set(contents.map((c) => c.contentId)), contents };
    leavesOfCollection.set(collection, leaves);
  }
  return leaves;
}

function viewState(row: ConsumptionState | undefined): ViewState | undefined {
  return row
    ? {
        status: row.status,
        progress: row.progress,
        timeSpent: row.time_spent,
        progressDetails: parse(row.progress_details),
        completedAt: row.completed_at,
      }
    : undefined;
}

/**
 * What learners viewed, how far they got, how they scored and what they completed. Writes go
 * through the group commit, so each is acknowledged only once durable; aggregates (the
 * enrollment's summary) are updated in the same transaction as the event that changes them.
 */
export class ProgressService {
  private readonly writes: LanedGroupCommit<Write, Outcome>;

  constructor(
    private readonly progress: ProgressRepository,
    private readonly collections: CollectionsRepository,
    db: Db,
    writeLanes: number,
    private readonly metrics: Pick<Metrics, 'progressWrites' | 'groupCommitBatches'>,
  ) {
    const batchSizes = metrics.groupCommitBatches.labels({ writes: 'progress' });
    this.writes = new LanedGroupCommit(db, writeLanes, (tx, writes) => this.applyBatch(tx, writes), batchSizes);
  }

  /** Resolves once every write handed in so far is answered: the database may then close. */
  settled(): Promise<void> {
    return this.writes.settled();
  }

  /**
   * Checks the collection and context a request names; a refusal names the field at fault. A
   * context's dates bound writes only: a learner can still read what they did once it has ended.
   */
  private async scope(learner: Learner, ref: ContentRef, requireContext: boolean, access: 'read' | 'write'): Promise<Scope> {
    if (requireContext && !ref.collectionId) throw badRequest('request.collectionId', 'Collection Id cannot be empty');
    if (requireContext && !ref.contextId) throw badRequest('request.contextId', 'Context Id cannot be empty');
    if (ref.contextId && !ref.collectionId) {
      throw badRequest('request.collectionId', 'Collection Id is required when a Context Id is given');
    }
    const collection = ref.collectionId ? await this.collections.collection(learner.organizationId, ref.collectionId) : undefined;
    if (ref.collectionId && !collection) throw badRequest('request.collectionId', 'Invalid Collection Id');
    if (collection && !leavesOf(collection).ids.has(ref.contentId)) {
      throw badRequest('request.contentId', 'Content is not part of the collection');
    }
    if (!ref.contextId) return { contentId: ref.contentId, collection, context: undefined };
    const context = await this.collections.context(learner.organizationId, ref.contextId);
    if (!context) throw badRequest('request.contextId', 'Invalid Context Id');
    if (context.collection_identifier !== ref.collectionId) {
      throw badRequest('request.contextId', 'Context does not belong to the collection');
    }
    const now = Date.now();
    if (access === 'write' && context.start_date !== null && now < context.start_date) {
      throw badRequest('request.contextId', 'Context has not started yet');
    }
    if (access === 'write' && context.end_date !== null && now > context.end_date) throw badRequest('request.contextId', 'Context has ended');
    return { contentId: ref.contentId, collection, context };
  }

  /**
   * Applies a write once per message id: a repeat of the same request gets the first response
   * back and changes nothing; the msgid of another request is refused. The claim, with the
   * response, is written in the write's own transaction.
   */
  private async once<T>(learner: Learner, msgid: string | null, request: unknown, response: T, write: Omit<Write, 'claim' | 'response'>): Promise<T> {
    const claim = msgid
      ? {
          organizationId: learner.organizationId,
          userId: learner.userId,
          msgid,
          fingerprint: hash('sha256', JSON.stringify(request), 'base64url'),
          response: JSON.stringify(response),
        }
      : undefined;
    const outcome = await this.writes.run(`${learner.organizationId}:${learner.userId}`, { claim, response, view: write.view, apply: write.apply });
    this.metrics.progressWrites.inc({ outcome: 'refusal' in outcome ? 'refused' : 'applied' });
    if ('refusal' in outcome) throw outcome.refusal;
    return outcome.value as T;
  }

  /**
   * A batch of writes, at most one per learner, in one transaction: their msgids are claimed
   * together and their views read together, then each is applied in turn. A refused write gives
   * its msgid back and lets the rest of the batch commit.
   */
  private async applyBatch(tx: Tx, writes: Write[]): Promise<Outcome[]> {
    const claimed = await this.progress.claimMessages(tx, writes.map((write) => write.claim));
    const rows = await this.progress.viewRows(tx, writes.map((write, i) => (claimed[i] ? write.view : undefined)));
    const saves: ConsumptionSave[] = [];
    const released: Claim[] = [];
    const outcomes: Outcome[] = [];
    for (const [i, write] of writes.entries()) {
      if (!claimed[i]) {
        outcomes.push(await this.repeated(tx, write.claim!));
        continue;
      }
      try {
        const save = await write.apply(tx, rows[i]);
        if (save) saves.push(save);
        outcomes.push({ value: write.response });
      } catch (error) {
        if (!(error instanceof ProgressError)) throw error;
        if (write.claim) released.push(write.claim);
        outcomes.push({ refusal: error });
      }
    }
    await this.progress.saveConsumptions(tx, saves);
    await this.progress.releaseMessages(tx, released);
    return outcomes;
  }

  /** The answer to a msgid already claimed: the first response for the same request, a refusal for another. */
  private async repeated(tx: Tx, claim: Claim): Promise<Outcome> {
    const applied = await this.progress.appliedMessage(tx, claim);
    if (applied?.fingerprint !== claim.fingerprint) return { refusal: badRequest('params.msgid', 'This msgid was already used for another request') };
    return { value: parse(applied.response) };
  }

  /**
   * The learner's live enrollment in a context, for a write, from the one `enrollment` read in its
   * transaction: open contexts enroll on the first write but never bring back an enrollment a
   * manager ended; invite-only ones need an invitation.
   */
  private async admittedEnrollment(
    tx: Tx,
    learner: Learner,
    context: Context,
    enrollment: EnrollmentState | undefined,
    now: number,
  ): Promise<EnrollmentState> {
    if (enrollment && enrollment.active !== 1) throw forbidden('request.contextId', 'The enrollment in this context has ended');
    if (enrollment) return enrollment;
    if (context.enrollment === 'invite') throw forbidden('request.contextId', 'User is not enrolled in this context');
    return this.collections.enroll(tx, context, learner.userId, learner.name, now);
  }

  /**
   * Updates the learner's enrollment and issues a certificate when due. Most writes (another
   * view/update of a content in progress) change none of its aggregates: then nothing is written.
   */
  private async updateEnrollment(
    tx: Tx,
    learner: Learner,
    enrollment: EnrollmentState,
    scope: Scope & { context: NonNullable<Scope['context']>; collection: CollectionWithContents },
    change: { status?: number; best?: BestScore },
  ): Promise<void> {
    const now = Date.now();
    const contentStatus = parse<Record<string, number>>(enrollment.content_status);
    const previousStatus = contentStatus[scope.contentId] ?? NOT_STARTED;
    if (change.status !== undefined) contentStatus[scope.contentId] = Math.max(previousStatus, change.status);
    const { contents } = leavesOf(scope.collection);
    const summary = summarize(contentStatus, contents, {
      status: enrollment.status,
      progress: enrollment.progress,
      completedOn: enrollment.completed_on,
    }, now);
    const learnerName = learner.name ?? enrollment.learner_name;
    const unchanged =
      change.best === undefined &&
      contentStatus[scope.contentId] === previousStatus &&
      summary.status === enrollment.status &&
      summary.progress === enrollment.progress &&
      summary.completedOn === enrollment.completed_on &&
      learnerName === enrollment.learner_name;
    // A completed enrollment is checked for its certificate on every write: criteria set later still issue it.
    if (unchanged && summary.status !== COMPLETED) return;
    const assessmentStatus = parse<Record<string, BestScore>>(enrollment.assessment_status);
    if (change.best) assessmentStatus[scope.contentId] = change.best;
    if (!unchanged) {
      await this.progress.updateEnrollment(tx, {
        id: enrollment.id,
        status: summary.status,
        progress: summary.progress,
        completed_on: summary.completedOn,
        content_status: JSON.stringify(contentStatus),
        assessment_status: JSON.stringify(assessmentStatus),
        learner_name: learnerName,
        updated_at: now,
      });
    }
    const { certificate_name: certificateName, certificate_min_score_percent: minScore } = scope.context;
    if (summary.status === COMPLETED && certificateName && meetsCriteria(minScore, assessmentStatus, contents)) {
      await this.progress.issueCertificate(tx, {
        id: randomUUID(),
        token: randomBytes(24).toString('base64url'),
        organization_id: learner.organizationId,
        enrollment_id: enrollment.id,
        name: certificateName,
        issued_at: now,
      });
    }
  }

  /**
   * A view change. `alongside` is written in the same transaction, when the change is applied (not
   * when its msgid was applied before): the player saves the runtime data a view comes from with it.
   */
  async view(
    learner: Learner,
    msgid: string | null,
    ref: ContentRef,
    change: ViewChange,
    alongside?: (tx: Tx) => Promise<void>,
  ): Promise<Record<string, string>> {
    const scope = await this.scope(learner, ref, false, 'write');
    const { context } = scope;
    const key = viewKey(learner, ref, context?.id ?? null);
    return this.once(learner, msgid, ['view', ref, change], { [ref.contentId]: VIEW_MESSAGES[change.kind] }, {
      view: key,
      apply: async (tx, rows) => {
        const now = Date.now();
        const enrollment = context ? await this.admittedEnrollment(tx, learner, context, rows!.enrollment, now) : undefined;
        const existing = rows!.consumption;
        const next = applyView(viewState(existing), change, now);
        if (enrollment && context && scope.collection) {
          await this.updateEnrollment(tx, learner, enrollment, { contentId: ref.contentId, context, collection: scope.collection }, { status: next.status });
        }
        await alongside?.(tx);
        return {
          existing,
          row: {
            organization_id: learner.organizationId,
            user_id: learner.userId,
            content_id: ref.contentId,
            context_key: key.contextKey,
            collection_identifier: ref.collectionId ?? null,
            context_identifier: ref.contextId ?? null,
            status: next.status,
            progress: next.progress,
            time_spent: next.timeSpent,
            progress_details: JSON.stringify(next.progressDetails),
            started_at: existing?.started_at ?? now,
            completed_at: next.completedAt,
            updated_at: now,
          },
        };
      },
    });
  }

  private presentView(learner: Learner, row: ConsumptionState | undefined, ref: ContentRef) {
    return {
      userId: learner.userId,
      ...(ref.collectionId ? { collectionId: ref.collectionId } : {}),
      ...(ref.contextId ? { contextId: ref.contextId } : {}),
      contentId: ref.contentId,
      status: row?.status ?? NOT_STARTED,
      progressDetails: row ? parse<Record<string, unknown>>(row.progress_details) : {},
      progress: row?.progress ?? 0,
      timeSpent: row?.time_spent ?? 0,
    };
  }

  async read(learner: Learner, ref: ContentRef) {
    await this.scope(learner, ref, false, 'read');
    return this.presentView(learner, await this.progress.consumption(viewKey(learner, ref, null)), ref);
  }

  /** Every context the learner consumed a content in, organic included. */
  async readAllContexts(learner: Learner, contentId: string) {
    const rows = await this.progress.consumptionsOfContent(learner.organizationId, learner.userId, contentId);
    return rows.map((row) =>
      this.presentView(learner, row, {
        contentId,
        ...(row.collection_identifier ? { collectionId: row.collection_identifier } : {}),
        ...(row.context_identifier ? { contextId: row.context_identifier } : {}),
      }),
    );
  }

  async submitAssessment(
    learner: Learner,
    msgid: string | null,
    ref: Required<ContentRef> & { attemptId: string },
    events: AssessEvent[],
  ): Promise<Record<string, string>> {
    const scope = await this.scope(learner, ref, true, 'write');
    const context = scope.context!;
    const collection = scope.collection!;
    return this.once(learner, msgid, ['assessment', ref, events], { [ref.contentId]: 'Score Updated' }, {
      apply: async (tx) => {
        const now = Date.now();
        const enrollment = await this.admittedEnrollment(tx, learner, context, await this.collections.enrollment(context.id, learner.userId, tx), now);
        // One read of the content's attempts gives both this attempt so far and the others to compare it with.
        const others = await this.progress.attempts(context.id, learner.userId, ref.contentId, tx);
        const existing = others.find((a) => a.attempt_id === ref.attemptId);
        const merged = mergeAttempt(existing ? parse<Record<string, AssessEvent>>(existing.questions) : {}, events);
        const saved = {
          organization_id: learner.organizationId,
          context_id: context.id,
          user_id: learner.userId,
          content_id: ref.contentId,
          attempt_id: ref.attemptId,
          score: merged.score,
          max_score: merged.maxScore,
          questions: JSON.stringify(merged.questions),
          created_at: existing?.created_at ?? now,
          updated_at: now,
        };
        await this.progress.saveAttempt(tx, existing, saved);
        const attempts = [...others.filter((a) => a !== existing), saved];
        const best = attempts.reduce((a, b) => (bestOf(b, a) ? b : a));
        // Taking an assessment is working on the content: it is at least in progress.
        await this.updateEnrollment(tx, learner, enrollment, { contentId: ref.contentId, context, collection }, {
          status: IN_PROGRESS,
          best: { score: best.score, max_score: best.max_score, attempts: attempts.length },
        });
      },
    });
  }

  async readAssessment(learner: Learner, ref: Required<ContentRef>) {
    const scope = await this.scope(learner, ref, true, 'read');
    const attempts = await this.progress.attempts(scope.context!.id, learner.userId, ref.contentId);
    return {
      userId: learner.userId,
      contentId: ref.contentId,
      collectionId: ref.collectionId,
      contextId: ref.contextId,
      assessments: attempts.map((a) => ({ attemptId: a.attempt_id, score: a.score, max_score: a.max_score })),
    };
  }

  async summaries(organizationId: number, userId: string, filter?: { collection: string; context: string }) {
    const rows = await this.progress.summaries(organizationId, userId, filter);
    return rows.map(presentSummary);
  }

  /**
   * A learner's whole record, for a manager: each enrollment's summary, with the view of each of
   * its contents (status, progress, time) and the names of the contents.
   */
  async learnerRecord(organizationId: number, userId: string) {
    const [summaries, rows] = await Promise.all([this.summaries(organizationId, userId), this.progress.consumptionsOfLearner(organizationId, userId, LEARNER_VIEWS)]);
    const views = new Map(rows.map((row) => [`${row.context_identifier}\u0000${row.content_id}`, row]));
    return Promise.all(
      summaries.map(async (summary) => {
        const collection = await this.collections.collection(organizationId, summary.collectionId);
        const contents = (collection?.contents ?? []).map((content) => {
          const view = views.get(`${summary.contextId}\u0000${content.content_id}`);
          return {
            contentId: content.content_id,
            name: content.name,
            status: summary.contentStatus[content.content_id] ?? NOT_STARTED,
            progress: view?.progress ?? 0,
            timeSpent: view?.time_spent ?? 0,
            best: summary.assessmentStatus[content.content_id] ?? null,
          };
        });
        return { ...summary, contents };
      }),
    );
  }

  /** An issued certificate by its token, for anyone who holds it to verify. */
  certificate(token: string) {
    return this.progress.certificateByToken(token);
  }

  /** An organization's issued certificates, for a manager: each learner's verification link is theirs to share. */
  certificatePage(organizationId: number, offset: number, limit: number) {
    return this.progress.certificatePage(organizationId, offset, limit);
  }
}

/** Whether attempt a beats b: the higher share of the maximum, then the higher score. */
function bestOf(a: { score: number; max_score: number }, b: { score: number; max_score: number }): boolean {
  const share = (x: { score: number; max_score: number }) => (x.max_score > 0 ? x.score / x.max_score : 0);
  return share(a) > share(b) || (share(a) === share(b) && a.score > b.score);
}

/** A summary entry, as the progress API document shows it. */
function presentSummary(row: SummaryRow) {
  return {
    userId: row.user_id,
    collectionId: row.collection_identifier,
    contextId: row.context_identifier,
    enrolledDate: row.enrolled_at,
    active: row.active === 1,
    contentStatus: parse<Record<string, number>>(row.content_status),
    assessmentStatus: parse<Record<string, BestScore>>(row.assessment_status),
    collection: {
      identifier: row.collection_identifier,
      name: row.collection_name,
      logo: row.collection_logo,
      leafNodesCount: Number(row.leaf_nodes_count),
      description: row.collection_description,
    },
    issuedCertificates: row.certificate_id
      ? [
          {
            name: row.certificate_name,
            id: row.certificate_id,
            token: row.certificate_token,
            lastIssuedOn: row.certificate_issued_at,
          },
        ]
      : [],
    completedOn: row.completed_on,
    progress: row.progress,
    status: row.status,
  };
}
