import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { planItems, type LaunchItem, type LaunchPlan } from '../../extraction/result/launch-plan.js';
import { AppError, NotFoundError } from '../../http/errors.js';
import type { Db } from '../../infra/db/database.js';
import type { Launch, XapiSession } from '../../infra/db/schema.js';
import type { AssessEvent } from '../progress/aggregates.js';
import type { ProgressService } from '../progress/service.js';
import type { DocumentsService } from '../xapi/documents.js';
import type { LrsPrincipal } from '../xapi/principal.js';
import type { StatementFilters } from '../xapi/statements/repository.js';
import { MAX_PAGE, type StatementsService } from '../xapi/statements/service.js';
import { agentKey, type Statement } from '../xapi/statements/statement.js';
import { itemHref } from './player-page.js';
import { durationSeconds } from './runtime-data.js';
import { writeLaunchProgress } from './progress-writes.js';

/** A session's tokens last as long as a player session: a working day. */
const SESSION_TTL_MS = 12 * 3600_000;

export const VERBS = {
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  initialized: 'http://adlnet.gov/expapi/verbs/initialized',
  progressed: 'http://adlnet.gov/expapi/verbs/progressed',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  failed: 'http://adlnet.gov/expapi/verbs/failed',
  answered: 'http://adlnet.gov/expapi/verbs/answered',
  terminated: 'http://adlnet.gov/expapi/verbs/terminated',
  suspended: 'http://adlnet.gov/expapi/verbs/suspended',
  exited: 'http://adlnet.gov/expapi/verbs/exited',
  abandoned: 'https://w3id.org/xapi/adl/verbs/abandoned',
  waived: 'https://w3id.org/xapi/adl/verbs/waived',
  satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
} as const;
const CMI5_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
const SESSION_EXTENSION = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
// cmi5's progress extension; Rise writes it with http.
const PROGRESS_EXTENSIONS = ['https://w3id.org/xapi/cmi5/result/extensions/progress', 'http://w3id.org/xapi/cmi5/result/extensions/progress'];
/** Statements only the LMS writes in a cmi5 registration. */
const LMS_VERBS = new Set<string>([VERBS.launched, VERBS.abandoned, VERBS.waived, VERBS.satisfied]);
/** Statements cmi5 defines for an AU: they carry the session and the cmi5 category. */
const CMI5_VERBS = new Set<string>([VERBS.initialized, VERBS.completed, VERBS.passed, VERBS.failed, VERBS.terminated]);

/** A statement the launch's rules (cmi5's) forbid: CATAPULT and cmi5 LMSs answer 403. */
export class LaunchRuleError extends AppError {
  constructor(message: string) {
    super(403, 'launch_rule_violated', message);
  }
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');
type Json = Record<string, unknown>;
const objectOf = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});

/** The registration of a learner on a course in a context: the same at every launch, so progress adds up. */
function registrationOf(launch: Launch): string {
  const hex = createHash('sha256').update(JSON.stringify([launch.organization_id, launch.user_id, launch.scorm_file_id, launch.context_identifier ?? `preview:${launch.id}`])).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** cmi5's moveOn: whether an AU with these outcomes in the registration is satisfied. */
function satisfies(moveOn: string | null | undefined, outcome: { completed: boolean; passed: boolean }): boolean {
  switch (moveOn ?? 'CompletedOrPassed') {
    case 'Completed':
      return outcome.completed;
    case 'Passed':
      return outcome.passed;
    case 'CompletedAndPassed':
      return outcome.completed && outcome.passed;
    case 'NotApplicable':
      return true;
    default:
      return outcome.completed || outcome.passed;
  }
}

/** A launch's statements are its learner's: the launch actor, in the launch's registration. */
function checkActor(actor: Json, statements: Statement[]): void {
  for (const statement of statements) {
    if (agentKey(statement.actor) !== agentKey(actor)) throw new LaunchRuleError('A statement of this launch must have the launch actor.');
  }
}

interface Playable {
  launch: Launch;
  plan: LaunchPlan;
}

/**
 * The player's side of xAPI: launches a cmi5 AU (fetch URL, LaunchData, the launched statement) or
 * a Tin Can activity (auth in the query string), answers the content's statements as the LRS of
 * that session with cmi5's rules, and turns them into the learner's progress records.
 */
export class XapiSessions {
  constructor(
    private readonly db: Db,
    private readonly deps: {
      statements: StatementsService;
      documents: DocumentsService;
      progress: Pick<ProgressService, 'view' | 'submitAssessment'>;
      publicUrl: string;
      playerUrl: string;
      /** Loads the launch and plan of a session's launch id. */
      playableOf: (launchId: string) => Promise<Playable>;
    },
  ) {}

  private actorOf(launch: Launch): Json {
    return { objectType: 'Agent', name: launch.learner_name ?? launch.user_id, account: { homePage: this.deps.publicUrl, name: launch.user_id } };
  }

  /** The LMS: the authority of the statements it writes (launched, satisfied, abandoned). */
  private lms(organizationId: number): LrsPrincipal {
    return { organizationId, credentialId: null, authority: { objectType: 'Agent', name: 'SCORM Lens player', account: { homePage: this.deps.publicUrl, name: 'player' } } };
  }

  /**
   * Starts a session of an item and returns the URL to open it at: cmi5 with endpoint, fetch,
   * actor, registration and activityId; Tin Can with endpoint, auth, actor, registration and activity_id.
   */
  async launch(playable: Playable, itemId: string): Promise<{ url: string }> {
    const { launch, plan } = playable;
    const item = planItems(plan).get(itemId);
    if (!item?.launch) throw new NotFoundError('item_not_found', `The course has no item ${itemId} to launch.`);
    const registration = registrationOf(launch);
    const actor = this.actorOf(launch);
    const sessionId = randomUUID();
    const authToken = randomBytes(24).toString('base64url');
    const fetchToken = plan.standard === 'cmi5' ? randomBytes(24).toString('base64url') : null;
    const now = Date.now();
    const lms = this.lms(launch.organization_id);
    // A session still open when the next one starts was left without its terminated statement.
    const open = await this.db
      .selectFrom('xapi_sessions')
      .selectAll()
      .where('organization_id', '=', launch.organization_id)
      .where('registration', '=', registration)
      .where('item_id', '=', itemId)
      .where('state', '=', 'initialized')
      .execute();
    for (const session of open) {
      await this.deps.statements.store(lms, [this.lmsStatement(session, VERBS.abandoned, itemId)], { attachments: undefined, version: '1.0.0' });
    }
    if (open.length > 0) await this.db.updateTable('xapi_sessions').set({ state: 'abandoned' }).where('id', 'in', open.map((session) => session.id)).execute();
    await this.db
      .insertInto('xapi_sessions')
      .values({
        id: sessionId,
        organization_id: launch.organization_id,
        launch_id: launch.id,
        item_id: itemId,
        registration,
        actor: JSON.stringify(actor),
        fetch_token_hash: fetchToken && sha256(fetchToken),
        fetched_at: null,
        auth_token_hash: sha256(authToken),
        state: 'launched',
        created_at: now,
        expires_at: now + SESSION_TTL_MS,
      })
      .execute();
    // Without a trailing slash: content libraries add one before each resource.
    const endpoint = `${this.deps.publicUrl}/xapi`;
    const parameters = new URLSearchParams({ endpoint, actor: JSON.stringify(actor), registration });
    if (fetchToken) {
      const session = { id: sessionId, item_id: itemId, registration, actor: JSON.stringify(actor) };
      await this.writeLaunchData(launch, item, session, actor);
      await this.deps.statements.store(lms, [this.lmsStatement(session, VERBS.launched, itemId, { 'https://w3id.org/xapi/cmi5/context/extensions/launchmode': 'Normal', 'https://w3id.org/xapi/cmi5/context/extensions/moveon': item.move_on ?? 'CompletedOrPassed' })], { attachments: undefined, version: '1.0.0' });
      parameters.set('fetch', `${this.deps.playerUrl}/player/xapi-fetch/${fetchToken}`);
      parameters.set('activityId', itemId);
    } else {
      parameters.set('auth', `Basic ${authToken}`);
      parameters.set('activity_id', itemId);
    }
    const href = itemHref(item)!;
    return { url: `${href}${href.includes('?') ? '&' : '?'}${parameters.toString()}` };
  }

  private async writeLaunchData(launch: Launch, item: LaunchItem, session: { id: string; registration: string }, actor: Json): Promise<void> {
    const launchData = {
      contextTemplate: {
        contextActivities: { grouping: [{ objectType: 'Activity', id: item.identifier }] },
        extensions: { [SESSION_EXTENSION]: session.id },
      },
      launchMode: 'Normal',
      launchMethod: 'AnyWindow',
      moveOn: item.move_on ?? 'CompletedOrPassed',
      // Extraction keeps mastery scores as percentages (SCORM's scale); cmi5 hands the AU a scaled score.
      ...(item.mastery_score === null ? {} : { masteryScore: item.mastery_score / 100 }),
      ...(launch.redirect_url ? { returnURL: launch.redirect_url } : {}),
    };
    await this.deps.documents.write(
      this.lms(launch.organization_id),
      { resource: 'state', activityId: item.identifier, agentKey: agentKey(actor)!, registration: session.registration },
      'LMS.LaunchData',
      { contentType: 'application/json', content: Buffer.from(JSON.stringify(launchData)), merge: false },
      { ifMatch: undefined, ifNoneMatch: undefined },
      'none',
    );
  }

  private lmsStatement(session: Pick<XapiSession, 'id' | 'registration' | 'actor'>, verb: string, activityId: string, extensions: Json = {}): Statement {
    return {
      actor: JSON.parse(session.actor) as Json,
      verb: { id: verb, display: { 'en-US': verb.split('/').pop()! } },
      object: { objectType: 'Activity', id: activityId },
      context: {
        registration: session.registration,
        contextActivities: { category: [{ id: CMI5_CATEGORY }] },
        extensions: { [SESSION_EXTENSION]: session.id, ...extensions },
      },
      timestamp: new Date().toISOString(),
    };
  }

  /** cmi5's fetch URL: hands out the session's auth token once. */
  async fetch(fetchToken: string): Promise<{ 'auth-token': string } | { 'error-code': string; 'error-text': string }> {
    const authToken = randomBytes(24).toString('base64url');
    const session = await this.db
      .updateTable('xapi_sessions')
      .set({ fetched_at: Date.now(), auth_token_hash: sha256(authToken) })
      .where('fetch_token_hash', '=', sha256(fetchToken))
      .where('fetched_at', 'is', null)
      .where('expires_at', '>', Date.now())
      .returning('id')
      .executeTakeFirst();
    if (!session) return { 'error-code': '1', 'error-text': 'This fetch URL was already used or has expired.' };
    return { 'auth-token': authToken };
  }

  /** The LRS caller behind a session's token (`Basic <token>`), or undefined. */
  async principal(authorization: string): Promise<LrsPrincipal | undefined> {
    const token = /^basic\s+([A-Za-z0-9_-]{20,64})$/i.exec(authorization)?.[1];
    if (!token) return undefined;
    const session = await this.db
      .selectFrom('xapi_sessions')
      .selectAll()
      .where('auth_token_hash', '=', sha256(token))
      .where('expires_at', '>', Date.now())
      .executeTakeFirst();
    if (!session) return undefined;
    const playable = await this.deps.playableOf(session.launch_id);
    const cmi5 = playable.plan.standard === 'cmi5';
    const actor = JSON.parse(session.actor) as Json;
    return {
      ...this.lms(session.organization_id),
      scope: { registration: session.registration, agentKey: agentKey(actor)! },
      checkStatements: (statements) =>
        cmi5 ? this.checkCmi5(session, planItems(playable.plan).get(session.item_id), statements) : Promise.resolve(checkActor(actor, statements)),
      afterStore: (statements) => this.recordProgress(session, playable, statements),
    };
  }

  /** cmi5's rules for the statements of an AU session (cmi5 9.x): who, which session, in which order. */
  private async checkCmi5(session: XapiSession, item: LaunchItem | undefined, statements: Statement[]): Promise<void> {
    const mastery = item?.mastery_score == null ? null : item.mastery_score / 100;
    const current = await this.db.selectFrom('xapi_sessions').select('state').where('id', '=', session.id).executeTakeFirstOrThrow();
    let state = current.state;
    const actor = JSON.parse(session.actor) as Json;
    checkActor(actor, statements);
    for (const statement of statements) {
      const verb = objectOf(statement.verb).id as string;
      const context = objectOf(statement.context);
      if (String(context.registration ?? '').toLowerCase() !== session.registration) throw new LaunchRuleError('A statement of this session must carry its registration.');
      if (LMS_VERBS.has(verb)) throw new LaunchRuleError(`Only the LMS writes ${verb} statements.`);
      if (state === 'terminated' || state === 'abandoned') throw new LaunchRuleError('This session has ended: no statement follows terminated.');
      // cmi5 defined statements carry the cmi5 category; any other statement is a cmi5 allowed one.
      const categories = objectOf(context.contextActivities).category;
      const defined = Array.isArray(categories) && categories.some((category) => objectOf(category).id === CMI5_CATEGORY);
      if (state === 'launched' && !(defined && verb === VERBS.initialized)) throw new LaunchRuleError('The first statement of a session must be initialized.');
      if (defined) {
        if (!CMI5_VERBS.has(verb)) throw new LaunchRuleError(`${verb} is not a verb cmi5 defines for an AU.`);
        if (objectOf(statement.object).id !== session.item_id) throw new LaunchRuleError('A cmi5 defined statement is about the launched AU.');
        if (objectOf(context.extensions)[SESSION_EXTENSION] !== session.id) throw new LaunchRuleError('A cmi5 statement must carry the session id of its launch.');
      } else if (CMI5_VERBS.has(verb) && objectOf(statement.object).id === session.item_id) {
        throw new LaunchRuleError('A cmi5 statement about the AU must carry the cmi5 category.');
      }
      if (!defined) continue;
      const result = objectOf(statement.result);
      if (verb === VERBS.completed && result.completion !== true) throw new LaunchRuleError('A completed statement must have result.completion true.');
      if (verb === VERBS.passed && result.success !== true) throw new LaunchRuleError('A passed statement must have result.success true.');
      if (verb === VERBS.failed && result.success !== false) throw new LaunchRuleError('A failed statement must have result.success false.');
      const scaled = objectOf(result.score).scaled;
      if (mastery !== null && typeof scaled === 'number' && ((verb === VERBS.passed && scaled < mastery) || (verb === VERBS.failed && scaled >= mastery))) {
        throw new LaunchRuleError(`The AU's mastery score is ${mastery}: a scaled score of ${scaled} does not ${verb === VERBS.passed ? 'pass' : 'fail'}.`);
      }
      if (verb === VERBS.completed || verb === VERBS.passed) {
        const outcome = await this.outcomes(session.organization_id, session.registration);
        const earlier = outcome.get(session.item_id);
        if ((verb === VERBS.completed && earlier?.completed) || (verb === VERBS.passed && earlier?.passed)) {
          throw new LaunchRuleError(`The AU was already ${verb === VERBS.completed ? 'completed' : 'passed'} in this registration.`);
        }
      }
      if (verb === VERBS.initialized) {
        if (state !== 'launched') throw new LaunchRuleError('A session is initialized once.');
        state = 'initialized';
      }
      if (verb === VERBS.terminated) state = 'terminated';
    }
  }

  /** Completed and passed AUs of a registration, from its statements. */
  private async outcomes(organizationId: number, registration: string): Promise<Map<string, { completed: boolean; passed: boolean }>> {
    const outcomes = new Map<string, { completed: boolean; passed: boolean }>();
    // Only these verbs are read, through the verb index: not every statement of the registration.
    for (const verb of [VERBS.completed, VERBS.passed] as const) {
      const filters = { registration, verb, relatedAgents: false, relatedActivities: false, ascending: true };
      const rows = [];
      for (let page = await this.read(organizationId, filters); page.length > 0; page = await this.read(organizationId, filters, page.at(-1)!.rowId)) rows.push(...page);
      for (const { statement } of rows) {
        const id = objectOf(statement.object).id;
        // A statement that targets one of these verbs' statements matches the filter too.
        if (typeof id !== 'string' || objectOf(statement.verb).id !== verb) continue;
        const outcome = outcomes.get(id) ?? { completed: false, passed: false };
        outcome[verb === VERBS.completed ? 'completed' : 'passed'] = true;
        outcomes.set(id, outcome);
      }
    }
    return outcomes;
  }


  private read(organizationId: number, filters: StatementFilters, after?: number) {
    return this.deps.statements.query({ organizationId, authority: {}, credentialId: null }, filters, { after, limit: MAX_PAGE });
  }

  /** The status of each item for the table of contents. */
  async statuses(playable: Playable): Promise<Record<string, string>> {
    const outcomes = await this.outcomes(playable.launch.organization_id, registrationOf(playable.launch));
    return Object.fromEntries([...outcomes].map(([id, outcome]) => [id, outcome.passed ? 'passed' : 'completed']));
  }

  /**
   * A session's statements in the learner's progress: initialized starts the view; progress,
   * completion, success and time update it; answers and scores are an assessment attempt (the
   * session's); the item satisfied by its moveOn ends the view, and a course whose items are all
   * satisfied gets the LMS's satisfied statement.
   */
  private async recordProgress(session: XapiSession, playable: Playable, statements: Statement[]): Promise<void> {
    const { launch } = playable;
    const contentId = session.item_id;
    const events: AssessEvent[] = [];
    for (const statement of statements) {
      const verb = objectOf(statement.verb).id as string;
      const result = objectOf(statement.result);
      const key = `xapi:${String(statement.id)}`;
      const object = objectOf(statement.object);
      // The item's own statements make its progress; of the others (a video, a page), only answers count.
      if (object.id !== contentId && verb !== VERBS.answered) continue;
      if (verb === VERBS.initialized) {
        await writeLaunchProgress(launch, contentId, `${key}:start`, (learner, ref, msgid) => this.deps.progress.view(learner, msgid, ref, { kind: 'start' }));
        await this.db.updateTable('xapi_sessions').set({ state: 'initialized' }).where('id', '=', session.id).where('state', '=', 'launched').execute();
        continue;
      }
      if (verb === VERBS.terminated) await this.db.updateTable('xapi_sessions').set({ state: 'terminated' }).where('id', '=', session.id).execute();
      const progress = PROGRESS_EXTENSIONS.map((key) => objectOf(result.extensions)[key]).find((value) => typeof value === 'number');
      const status = verb === VERBS.completed || verb === VERBS.passed || verb === VERBS.failed ? verb.split('/').pop()! : undefined;
      const ended = verb === VERBS.terminated || verb === VERBS.suspended || verb === VERBS.exited;
      const timeSpent = ended && typeof result.duration === 'string' ? durationSeconds(result.duration) : 0;
      if (typeof progress === 'number' || status || timeSpent > 0) {
        const details = { mimetype: 'application/vnd.xapi', ...(typeof progress === 'number' ? { progress } : {}), ...(status ? { status } : {}), ...(verb === VERBS.completed ? { progress: 100 } : {}) };
        await writeLaunchProgress(launch, contentId, `${key}:update`, (learner, ref, msgid) =>
          this.deps.progress.view(learner, msgid, ref, { kind: 'update', timeSpent, progressDetails: details }),
        );
      }
      const score = objectOf(result.score);
      if (verb === VERBS.answered && typeof result.success === 'boolean' && typeof object.id === 'string') {
        const name = objectOf(objectOf(object.definition).name);
        events.push({ questionId: object.id, score: result.success ? 1 : 0, maxScore: 1, assessmentTs: Date.now(), type: (objectOf(object.definition).interactionType as string | undefined) ?? null, title: (Object.values(name)[0] as string | undefined) ?? null, response: typeof result.response === 'string' ? result.response : null, duration: typeof result.duration === 'string' ? durationSeconds(result.duration) : null });
      } else if ((verb === VERBS.passed || verb === VERBS.failed) && typeof score.scaled === 'number') {
        events.push({ questionId: 'score', score: Math.max(0, score.scaled) * 100, maxScore: 100, assessmentTs: Date.now(), type: 'score', title: null, response: null, duration: null });
      }
    }
    if (events.length > 0) {
      const first = String(statements[0]?.id);
      await writeLaunchProgress(launch, contentId, `xapi:${first}:assessment`, (learner, ref, msgid) =>
        this.deps.progress.submitAssessment(learner, msgid, { ...ref, attemptId: session.id }, events),
      );
    }
    // Only these statements can satisfy the item (NotApplicable: from its initialized on).
    const satisfying = new Set<string>([VERBS.initialized, VERBS.completed, VERBS.passed]);
    if (statements.some((statement) => satisfying.has(objectOf(statement.verb).id as string))) await this.satisfaction(session, playable);
  }

  /** Ends the view of an item satisfied by its moveOn, and satisfies the course when every item is. */
  private async satisfaction(session: XapiSession, playable: Playable): Promise<void> {
    const { launch, plan } = playable;
    const outcomes = await this.outcomes(session.organization_id, session.registration);
    const items = [...planItems(plan).values()].filter((candidate) => candidate.launch !== null);
    const isSatisfied = (item: LaunchItem) => satisfies(plan.standard === 'cmi5' ? item.move_on : 'CompletedOrPassed', outcomes.get(item.identifier) ?? { completed: false, passed: false });
    const item = items.find((candidate) => candidate.identifier === session.item_id);
    if (!item || !isSatisfied(item)) return;
    await writeLaunchProgress(launch, item.identifier, `xapi:${session.registration}:${item.identifier}:end`, (learner, ref, msgid) => this.deps.progress.view(learner, msgid, ref, { kind: 'end' }));
    const courseId = plan.organization?.identifier;
    if (plan.standard !== 'cmi5' || !courseId || !items.every(isSatisfied)) return;
    const already = await this.read(session.organization_id, { registration: session.registration, verb: VERBS.satisfied, activity: courseId, relatedAgents: false, relatedActivities: false, ascending: true });
    if (already.length === 0) {
      await this.deps.statements.store(this.lms(session.organization_id), [this.lmsStatement(session, VERBS.satisfied, courseId)], { attachments: undefined, version: '1.0.0' });
    }
  }
}
