import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { planItems, type LaunchItem, type LaunchPlan } from '../../extraction/result/launch-plan.js';
import { AppError, NotFoundError } from '../../http/errors.js';
import type { Db } from '../../infra/db/database.js';
import type { Launch, XapiSession } from '../../infra/db/schema.js';
import type { AssessEvent } from '../progress/aggregates.js';
import type { ProgressService } from '../progress/service.js';
import type { DocumentsService } from '../xapi/documents.js';
import type { DocumentChange, LrsPrincipal } from '../xapi/principal.js';
import type { StatementFilters } from '../xapi/statements/repository.js';
import { MAX_PAGE, type StatementsService } from '../xapi/statements/service.js';
import { agentKey, type Statement } from '../xapi/statements/statement.js';
import { cmi5DocumentProblem } from './cmi5-documents.js';
import { CMI5_CATEGORY, CMI5_VERBS, cmi5StatementProblem, SESSION_EXTENSION, type Cmi5Launch } from './cmi5-statements.js';
import { ACTIVITY_TYPES, lmsActivityId, parentNodes, satisfies, type Outcome } from './cmi5-course.js';
import { itemHref } from './player-page.js';
import { durationSeconds } from './runtime-data.js';
import { writeLaunchProgress } from './progress-writes.js';

/** A session's tokens last as long as a player session: a working day. */
const SESSION_TTL_MS = 12 * 3600_000;

export const VERBS = {
  ...CMI5_VERBS,
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  progressed: 'http://adlnet.gov/expapi/verbs/progressed',
  answered: 'http://adlnet.gov/expapi/verbs/answered',
  suspended: 'http://adlnet.gov/expapi/verbs/suspended',
  exited: 'http://adlnet.gov/expapi/verbs/exited',
  abandoned: 'https://w3id.org/xapi/adl/verbs/abandoned',
  waived: 'https://w3id.org/xapi/adl/verbs/waived',
  satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
} as const;
const LAUNCHED_EXTENSIONS = {
  launchMode: 'https://w3id.org/xapi/cmi5/context/extensions/launchmode',
  moveOn: 'https://w3id.org/xapi/cmi5/context/extensions/moveon',
  masteryScore: 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore',
  launchUrl: 'https://w3id.org/xapi/cmi5/context/extensions/launchurl',
  launchParameters: 'https://w3id.org/xapi/cmi5/context/extensions/launchparameters',
};
// cmi5's progress extension; Rise writes it with http.
const PROGRESS_EXTENSIONS = ['https://w3id.org/xapi/cmi5/result/extensions/progress', 'http://w3id.org/xapi/cmi5/result/extensions/progress'];
const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';
/** Statements only the LMS writes in a cmi5 registration. */
const LMS_VERBS = new Set<string>([VERBS.launched, VERBS.abandoned, VERBS.waived, VERBS.satisfied]);

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

/** What the LMS writes about: the activity, the publisher id in its grouping, the session (cmi5 9.6). */
interface LmsStatementOf {
  session: Pick<XapiSession, 'id' | 'registration' | 'actor'>;
  verb: string;
  activityId: string;
  publisherId: string;
  definition?: Json;
  extensions?: Json;
  result?: Json;
}

/** An ISO 8601 duration of whole and hundredths of seconds. */
const durationOf = (ms: number) => `PT${Math.max(0, Math.round(ms / 10) / 100)}S`;

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

  /** The activity id of an AU in the LRS: the launch's activityId, never its publisher id (cmi5 8.1.5). */
  private auActivityId(launch: Launch, itemId: string): string {
    return lmsActivityId(this.deps.publicUrl, launch, 'au', itemId);
  }

  /** The activity an item's own statements are about: a cmi5 AU's LMS id; a Tin Can activity's own id. */
  private itemActivityId({ launch, plan }: Playable, itemId: string): string {
    return plan.standard === 'cmi5' ? this.auActivityId(launch, itemId) : itemId;
  }

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
  async launch(playable: Playable, itemId: string, playerSession: string): Promise<{ url: string }> {
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
    const auId = this.auActivityId(launch, itemId);
    for (const session of open) {
      const duration = durationOf(now - session.created_at);
      await this.deps.statements.store(lms, [this.lmsStatement({ session, verb: VERBS.abandoned, activityId: auId, publisherId: itemId, result: { duration } })], { attachments: undefined, version: '1.0.0' });
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
    // cmi5's launchParameters are the AU's LaunchData, not part of its URL.
    const href = itemHref(fetchToken ? { launch: item.launch, parameters: null } : item)!;
    if (fetchToken) {
      const session = { id: sessionId, item_id: itemId, registration, actor: JSON.stringify(actor) };
      // cmi5 9.6.1: moveOn is evaluated when the registration starts (NotApplicable AUs satisfy their blocks).
      await this.satisfyParents({ ...session, id: randomUUID() }, playable);
      const launchData = await this.writeLaunchData(launch, item, session, actor);
      const launched = {
        [LAUNCHED_EXTENSIONS.launchMode]: launchData.launchMode,
        [LAUNCHED_EXTENSIONS.moveOn]: launchData.moveOn,
        [LAUNCHED_EXTENSIONS.launchUrl]: new URL(href, `${this.deps.playerUrl}/player/sessions/${playerSession}/`).href,
        ...(launchData.masteryScore === undefined ? {} : { [LAUNCHED_EXTENSIONS.masteryScore]: launchData.masteryScore }),
        ...(launchData.launchParameters === undefined ? {} : { [LAUNCHED_EXTENSIONS.launchParameters]: launchData.launchParameters }),
      };
      await this.deps.statements.store(lms, [this.lmsStatement({ session, verb: VERBS.launched, activityId: auId, publisherId: itemId, extensions: launched })], { attachments: undefined, version: '1.0.0' });
      parameters.set('fetch', `${this.deps.playerUrl}/player/xapi-fetch/${fetchToken}`);
      parameters.set('activityId', auId);
    } else {
      parameters.set('auth', `Basic ${authToken}`);
      parameters.set('activity_id', itemId);
    }
    return { url: `${href}${href.includes('?') ? '&' : '?'}${parameters.toString()}` };
  }

  private async writeLaunchData(launch: Launch, item: LaunchItem, session: { id: string; registration: string }, actor: Json) {
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
      ...(item.parameters === null ? {} : { launchParameters: item.parameters }),
      ...(item.data_from_lms === null ? {} : { entitlementKey: { courseStructure: item.data_from_lms } }),
      ...(launch.redirect_url ? { returnURL: launch.redirect_url } : {}),
    };
    await this.deps.documents.write(
      this.lms(launch.organization_id),
      { resource: 'state', activityId: this.auActivityId(launch, item.identifier), agentKey: agentKey(actor)!, registration: session.registration },
      'LMS.LaunchData',
      { contentType: 'application/json', content: Buffer.from(JSON.stringify(launchData)), merge: false },
      { ifMatch: undefined, ifNoneMatch: undefined },
      'none',
    );
    return launchData;
  }

  private lmsStatement({ session, verb, activityId, publisherId, definition, extensions = {}, result }: LmsStatementOf): Statement {
    return {
      actor: JSON.parse(session.actor) as Json,
      verb: { id: verb, display: { 'en-US': verb.split('/').pop()! } },
      object: { objectType: 'Activity', id: activityId, ...(definition ? { definition } : {}) },
      ...(result ? { result } : {}),
      context: {
        registration: session.registration,
        contextActivities: { category: [{ id: CMI5_CATEGORY }], grouping: [{ objectType: 'Activity', id: publisherId }] },
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
      ...(cmi5
        ? {
            checkDocumentChange: (change: DocumentChange) => {
              const problem = cmi5DocumentProblem(change);
              if (problem) throw new LaunchRuleError(problem);
            },
          }
        : {}),
      checkStatements: (statements) =>
        cmi5 ? this.checkCmi5(session, playable, statements) : Promise.resolve(checkActor(actor, statements)),
      afterStore: (statements) => this.recordProgress(session, playable, statements),
    };
  }

  /** cmi5's rules for the statements of an AU session (cmi5 9.x): who, which session, in which order. */
  private async checkCmi5(session: XapiSession, playable: Playable, statements: Statement[]): Promise<void> {
    const item = planItems(playable.plan).get(session.item_id);
    const auId = this.auActivityId(playable.launch, session.item_id);
    const mastery = item?.mastery_score == null ? null : item.mastery_score / 100;
    const current = await this.db.selectFrom('xapi_sessions').select('state').where('id', '=', session.id).executeTakeFirstOrThrow();
    let state = current.state;
    let judged = false;
    const actor = JSON.parse(session.actor) as Json;
    checkActor(actor, statements);
    const launch: Cmi5Launch = { activityId: auId, sessionId: session.id, registration: session.registration, masteryScore: mastery };
    for (const statement of statements) {
      const verb = objectOf(statement.verb).id as string;
      if (LMS_VERBS.has(verb)) throw new LaunchRuleError(`Only the LMS writes ${verb} statements.`);
      if (verb === VOIDED) throw new LaunchRuleError('An AU cannot void statements (cmi5 6.3).');
      if (state === 'terminated' || state === 'abandoned') throw new LaunchRuleError('This session has ended: no statement follows terminated.');
      const problem = cmi5StatementProblem(statement, launch);
      if (problem) throw new LaunchRuleError(problem);
      const categories = objectOf(objectOf(statement.context).contextActivities).category;
      const defined = Array.isArray(categories) && categories.some((category) => objectOf(category).id === CMI5_CATEGORY);
      if (state === 'launched' && !(defined && verb === VERBS.initialized)) throw new LaunchRuleError('The first statement of a session must be initialized.');
      if (!defined) continue;
      if (verb === VERBS.completed || verb === VERBS.passed || verb === VERBS.failed) {
        const earlier = (await this.outcomes(session.organization_id, session.registration)).get(auId);
        if (verb === VERBS.completed && earlier?.completed) throw new LaunchRuleError('The AU was already completed in this registration.');
        // cmi5 9.3: passed once per registration, no failed after it, and one of passed or failed per session.
        if (verb !== VERBS.completed && earlier?.passed) throw new LaunchRuleError(`The AU was already passed in this registration: no ${verb} follows.`);
        if (verb !== VERBS.completed && (judged || (await this.failedInSession(session, auId)))) throw new LaunchRuleError('A session judges its AU once: passed or failed, not both nor twice.');
        if (verb !== VERBS.completed) judged = true;
      }
      if (verb === VERBS.initialized) {
        if (state !== 'launched') throw new LaunchRuleError('A session is initialized once.');
        state = 'initialized';
      }
      if (verb === VERBS.terminated) state = 'terminated';
    }
  }

  /** Completed and passed AUs of a registration, from its statements, by activity id. */
  private async outcomes(organizationId: number, registration: string): Promise<Map<string, Outcome>> {
    const outcomes = new Map<string, Outcome>();
    for (const verb of [VERBS.completed, VERBS.passed] as const) {
      for (const statement of await this.withVerb(organizationId, registration, verb)) {
        const id = objectOf(statement.object).id;
        if (typeof id !== 'string') continue;
        const outcome = outcomes.get(id) ?? { completed: false, passed: false };
        outcome[verb === VERBS.completed ? 'completed' : 'passed'] = true;
        outcomes.set(id, outcome);
      }
    }
    return outcomes;
  }

  /** Whether the session already failed its AU. */
  private async failedInSession(session: XapiSession, auId: string): Promise<boolean> {
    const failed = await this.withVerb(session.organization_id, session.registration, VERBS.failed);
    return failed.some((statement) => objectOf(statement.object).id === auId && objectOf(objectOf(statement.context).extensions)[SESSION_EXTENSION] === session.id);
  }

  /** A registration's statements with a verb, read through the verb index: not every statement of the registration. */
  private async withVerb(organizationId: number, registration: string, verb: string): Promise<Statement[]> {
    const filters = { registration, verb, relatedAgents: false, relatedActivities: false, ascending: true };
    const rows = [];
    for (let page = await this.read(organizationId, filters); page.length > 0; page = await this.read(organizationId, filters, page.at(-1)!.rowId)) rows.push(...page);
    // A statement that targets one with the verb matches the filter too.
    return rows.map((row) => row.statement).filter((statement) => objectOf(statement.verb).id === verb);
  }


  private read(organizationId: number, filters: StatementFilters, after?: number) {
    return this.deps.statements.query({ organizationId, authority: {}, credentialId: null }, filters, { after, limit: MAX_PAGE });
  }

  /** The status of each item for the table of contents. */
  async statuses(playable: Playable): Promise<Record<string, string>> {
    const { launch, plan } = playable;
    const outcomes = await this.outcomes(launch.organization_id, registrationOf(launch));
    const statuses: Record<string, string> = {};
    for (const id of planItems(plan).keys()) {
      const outcome = outcomes.get(this.itemActivityId(playable, id));
      if (outcome) statuses[id] = outcome.passed ? 'passed' : 'completed';
    }
    return statuses;
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
    const activityId = this.itemActivityId(playable, contentId);
    const events: AssessEvent[] = [];
    for (const statement of statements) {
      const verb = objectOf(statement.verb).id as string;
      const result = objectOf(statement.result);
      const key = `xapi:${String(statement.id)}`;
      const object = objectOf(statement.object);
      // The item's own statements make its progress; of the others (a video, a page), only answers count.
      if (object.id !== activityId && verb !== VERBS.answered) continue;
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

  /** Ends the view of an item satisfied by its moveOn, and satisfies its blocks and the course once all their AUs are. */
  private async satisfaction(session: XapiSession, playable: Playable): Promise<void> {
    const { launch, plan } = playable;
    const outcomes = await this.outcomes(session.organization_id, session.registration);
    const item = planItems(plan).get(session.item_id);
    const outcome = outcomes.get(this.itemActivityId(playable, session.item_id)) ?? { completed: false, passed: false };
    if (!item?.launch || !satisfies(plan.standard === 'cmi5' ? item.move_on : 'CompletedOrPassed', outcome)) return;
    await writeLaunchProgress(launch, item.identifier, `xapi:${session.registration}:${item.identifier}:end`, (learner, ref, msgid) => this.deps.progress.view(learner, msgid, ref, { kind: 'end' }));
    if (plan.standard === 'cmi5') await this.satisfyParents(session, playable, outcomes);
  }

  /**
   * cmi5 9.3.9: a satisfied statement for each block, then the course, whose AUs all meet their
   * moveOn, once per registration, in the session that satisfied them.
   */
  private async satisfyParents(session: Pick<XapiSession, 'id' | 'registration' | 'actor'>, playable: Playable, known?: Map<string, Outcome>): Promise<void> {
    const { launch, plan } = playable;
    const organizationId = launch.organization_id;
    const outcomes = known ?? (await this.outcomes(organizationId, session.registration));
    const isSatisfied = (item: LaunchItem) => satisfies(item.move_on, outcomes.get(this.auActivityId(launch, item.identifier)) ?? { completed: false, passed: false });
    for (const node of parentNodes(this.deps.publicUrl, launch, plan)) {
      if (node.aus.length === 0 || !node.aus.every(isSatisfied)) continue;
      const filters = { registration: session.registration, verb: VERBS.satisfied, activity: node.activityId, relatedAgents: false, relatedActivities: false, ascending: true };
      if ((await this.read(organizationId, filters)).length > 0) continue;
      const statement = this.lmsStatement({ session, verb: VERBS.satisfied, activityId: node.activityId, publisherId: node.publisherId, definition: { type: ACTIVITY_TYPES[node.kind === 'course' ? 'course' : 'block'] } });
      await this.deps.statements.store(this.lms(organizationId), [statement], { attachments: undefined, version: '1.0.0' });
    }
  }
}
