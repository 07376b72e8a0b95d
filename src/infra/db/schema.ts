import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Times are UTC epoch milliseconds everywhere in the database. */
type EpochMs = number;

export interface OrganizationsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  created_at: EpochMs;
}

export type UserRole = 'manager' | 'member';

export interface UsersTable {
  id: Generated<number>;
  organization_id: number;
  email: string;
  password_hash: string | null;
  role: UserRole;
  created_at: EpochMs;
  /** Set while the user is deactivated: their keys, sessions and webhooks do nothing. */
  deactivated_at: EpochMs | null;
  /** A deleted user's row stays, so their files keep an owner; it is never shown again. */
  deleted_at: EpochMs | null;
}

/** A single-use password-reset link; only the hash of its token is kept. */
export interface PasswordResetsTable {
  id: Generated<number>;
  organization_id: number;
  user_id: number;
  token_hash: string;
  expires_at: EpochMs;
  used_at: EpochMs | null;
  created_at: EpochMs;
}

export interface ApiKeysTable {
  id: Generated<number>;
  organization_id: number;
  user_id: number;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: EpochMs;
  last_used_at: EpochMs | null;
  revoked_at: EpochMs | null;
}

export const scormFileStatuses = [
  'processing',
  'processed',
  'failed',
  'extraction_stalled',
  'content_extraction_completed',
] as const;
export type ScormFileStatus = (typeof scormFileStatuses)[number];

export interface ScormFilesTable {
  id: Generated<number>;
  organization_id: number;
  user_id: number;
  api_key_id: number | null;
  api_key_name: string | null;
  file_name: string;
  status: ScormFileStatus;
  storage_path: string | null;
  batch_name: string | null;
  file_size_bytes: number | null;
  public_url: string | null;
  client_ip: string | null;
  remark: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  deleted_at: EpochMs | null;
  deleted_by: number | null;
}

export const contentExtractionStatuses = ['pending', 'dispatched', 'in_progress', 'completed', 'failed'] as const;
export type ContentExtractionStatus = (typeof contentExtractionStatuses)[number];

export interface ContentExtractionsTable {
  id: Generated<number>;
  organization_id: number;
  scorm_file_id: number;
  status: ContentExtractionStatus;
  /** The queue message of the current run; a worker holding another message id is stale. */
  queue_message_id: string | null;
  started_at: EpochMs | null;
  finished_at: EpochMs | null;
  final_output_path: string | null;
  remarks: string | null;
  /** Facts of the package a completed extraction found, for lists: the title, "SCORM 1.2", "Adapt 5.2". */
  package_title: string | null;
  package_standard: string | null;
  package_tool: string | null;
  created_at: EpochMs;
  /** Moves on every status change and worker heartbeat: the clock of stall detection. */
  updated_at: EpochMs;
  deleted_at: EpochMs | null;
  deleted_by: number | null;
}

export interface JobsTable {
  id: string;
  queue: string;
  payload: string;
  state: 'queued' | 'active' | 'completed' | 'failed';
  attempts: Generated<number>;
  max_attempts: number;
  run_after: EpochMs;
  /** Set on each claim; only the holder of the current token may renew, complete or fail the job. */
  lease_token: string | null;
  lease_expires_at: EpochMs | null;
  last_error: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface CollectionsTable {
  id: Generated<number>;
  organization_id: number;
  identifier: string;
  name: string;
  description: string | null;
  logo: string | null;
  scorm_file_id: number | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  deleted_at: EpochMs | null;
}

export interface CollectionContentsTable {
  collection_id: number;
  content_id: string;
  name: string;
  /** 0 or 1: optional contents do not count towards progress. */
  optional: number;
  position: number;
}

export type EnrollmentPolicy = 'open' | 'invite';

export interface ContextsTable {
  id: Generated<number>;
  organization_id: number;
  identifier: string;
  collection_id: number;
  name: string;
  start_date: EpochMs | null;
  end_date: EpochMs | null;
  enrollment: EnrollmentPolicy;
  certificate_name: string | null;
  certificate_min_score_percent: number | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  deleted_at: EpochMs | null;
}

export interface EnrollmentsTable {
  id: Generated<number>;
  organization_id: number;
  context_id: number;
  user_id: string;
  learner_name: string | null;
  enrolled_at: EpochMs;
  /** 0 or 1. */
  active: number;
  /** 0 not started, 1 in progress, 2 completed. */
  status: number;
  progress: number;
  completed_on: EpochMs | null;
  /** JSON: contentId -> status. */
  content_status: string;
  /** JSON: contentId -> {score, max_score, attempts}. */
  assessment_status: string;
  updated_at: EpochMs;
}

export interface ContentConsumptionsTable {
  id: Generated<number>;
  organization_id: number;
  user_id: string;
  content_id: string;
  /** The context's identifier, or '' for organic consumption. */
  context_key: string;
  collection_identifier: string | null;
  context_identifier: string | null;
  status: number;
  progress: number;
  time_spent: number;
  /** JSON: mimetype -> the progress details last sent for it. */
  progress_details: string;
  started_at: EpochMs;
  completed_at: EpochMs | null;
  updated_at: EpochMs;
}

export interface AssessmentAttemptsTable {
  id: Generated<number>;
  organization_id: number;
  context_id: number;
  user_id: string;
  content_id: string;
  attempt_id: string;
  score: number;
  max_score: number;
  /** JSON: questionId -> the latest event of the attempt for it. */
  questions: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface CertificatesTable {
  id: string;
  token: string;
  organization_id: number;
  enrollment_id: number;
  name: string;
  issued_at: EpochMs;
}

export interface AppliedMessagesTable {
  organization_id: number;
  user_id: string;
  msgid: string;
  /** A hash of what the request asked: a msgid reused for another request is refused. */
  fingerprint: string;
  /** The response given the first time, given again for a repeat. */
  response: string;
  created_at: EpochMs;
}

export interface WebhooksTable {
  id: Generated<number>;
  organization_id: number;
  /** The owner: a manager's webhook covers the organization, a member's only their own files. */
  user_id: number;
  url: string;
  event: string;
  /** `whsec_<base64>`: the key that signs each delivery. */
  secret: string;
  /** After a rotation the old secret also signs, until it expires. */
  previous_secret: string | null;
  previous_secret_expires_at: EpochMs | null;
  /** 0 or 1. */
  enabled: number;
  disabled_reason: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  deleted_at: EpochMs | null;
}

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'cancelled';

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  organization_id: number;
  /** The `webhook-id` header: the same for every attempt, so receivers can drop duplicates. */
  event_id: string;
  event: string;
  /** JSON body, without the download link (signed fresh for each attempt). */
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: EpochMs | null;
  /** A dispatcher holds the delivery until then; after a crash, another picks it up. */
  locked_until: EpochMs | null;
  last_status_code: number | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  attempt: number;
  attempted_at: EpochMs;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: EpochMs;
  expires_at: EpochMs;
}

export interface RateLimitsTable {
  key: string;
  hits: number;
  window_ends_at: EpochMs;
}

export interface LaunchesTable {
  /** The launch_id the API answers with. */
  id: string;
  organization_id: number;
  scorm_file_id: number;
  content_extraction_id: number;
  user_id: string;
  learner_name: string | null;
  /** Null for a manager's preview, which records no progress. */
  collection_identifier: string | null;
  context_identifier: string | null;
  preview: number;
  redirect_url: string | null;
  /** sha256 of the single-use launch token; the token itself is never stored. */
  token_hash: string;
  expires_at: EpochMs;
  opened_at: EpochMs | null;
  /** sha256 of the session the token was exchanged for. */
  session_hash: string | null;
  session_expires_at: EpochMs | null;
  created_at: EpochMs;
}

/** A learner's runtime data on one SCO of a package, in one context: what a resume hands back. */
export interface RuntimeAttemptsTable {
  id: Generated<number>;
  organization_id: number;
  user_id: string;
  scorm_file_id: number;
  /** The context's identifier, or PREVIEW_CONTEXT_KEY for a manager's preview. */
  context_key: string;
  item_id: string;
  attempt: number;
  /** Deliveries of the SCO so far: a commit carries its delivery and its sequence in it. */
  delivery: number;
  sequence: number;
  launch_id: string;
  /** The runtime's CMI data as last committed, JSON. */
  cmi: string;
  terminated: number;
  /** Time already added to the learner's progress record, in seconds. */
  recorded_seconds: number;
  updated_at: EpochMs;
}

/** SCORM 2004: the sequencing engine's state of a learner on a package (activity states, objectives). */
export interface SequencingStatesTable {
  id: Generated<number>;
  organization_id: number;
  user_id: string;
  scorm_file_id: number;
  context_key: string;
  /** As the runtime serialized it. */
  state: string;
  updated_at: EpochMs;
}

/** An xAPI client's Basic credentials (key:secret) in an organization; only the secret's hash is kept. */
export interface XapiCredentialsTable {
  id: Generated<number>;
  organization_id: number;
  name: string;
  key: string;
  secret_hash: string;
  created_by: number;
  created_at: EpochMs;
  last_used_at: EpochMs | null;
  revoked_at: EpochMs | null;
}

/** A statement as stored (JSON, with stored, authority and version set), with the columns queries filter on. */
export interface XapiStatementsTable {
  /** The order statements were stored in: the cursor of `more` links. */
  id: Generated<number>;
  organization_id: number;
  statement_id: string;
  stored: EpochMs;
  verb_id: string;
  registration: string | null;
  /** The statement another statement's StatementRef object targets. */
  object_statement_id: string | null;
  voided: number;
  statement: string;
}

/** An agent (by its identifier key) or an activity a statement names; `related` 1 for the broad filters only. */
export interface XapiStatementAgentsTable {
  organization_id: number;
  statement_row_id: number;
  agent_key: string;
  related: number;
}

export interface XapiStatementActivitiesTable {
  organization_id: number;
  statement_row_id: number;
  activity_id: string;
  related: number;
}

export interface XapiAttachmentsTable {
  organization_id: number;
  sha2: string;
  content_type: string;
  content: Buffer;
}

export type XapiDocumentResource = 'state' | 'activity_profile' | 'agent_profile';

/** A document of the State, Activity Profile or Agent Profile resource; unused keys are ''. */
export interface XapiDocumentsTable {
  id: Generated<number>;
  organization_id: number;
  resource: XapiDocumentResource;
  activity_id: string;
  agent_key: string;
  registration: string;
  document_id: string;
  content_type: string;
  content: Buffer;
  etag: string;
  updated_at: EpochMs;
}

export interface XapiActivitiesTable {
  organization_id: number;
  activity_id: string;
  /** The activity's canonical definition, JSON. */
  definition: string;
  updated_at: EpochMs;
}

export type XapiSessionState = 'launched' | 'initialized' | 'terminated' | 'abandoned';

/** One launch of a cmi5 AU or a Tin Can activity by the player: its registration, actor and tokens. */
export interface XapiSessionsTable {
  /** The cmi5 session id. */
  id: string;
  organization_id: number;
  launch_id: string;
  item_id: string;
  registration: string;
  /** The launch's actor, JSON. */
  actor: string;
  /** sha256 of cmi5's single-use fetch token; null for Tin Can, whose launch carries the token itself. */
  fetch_token_hash: string | null;
  fetched_at: EpochMs | null;
  /** sha256 of the token the content sends as its Basic credentials. */
  auth_token_hash: string;
  state: XapiSessionState;
  created_at: EpochMs;
  expires_at: EpochMs;
}

export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  scorm_files: ScormFilesTable;
  content_extractions: ContentExtractionsTable;
  jobs: JobsTable;
  settings: SettingsTable;
  collections: CollectionsTable;
  collection_contents: CollectionContentsTable;
  contexts: ContextsTable;
  enrollments: EnrollmentsTable;
  content_consumptions: ContentConsumptionsTable;
  assessment_attempts: AssessmentAttemptsTable;
  certificates: CertificatesTable;
  applied_messages: AppliedMessagesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  password_resets: PasswordResetsTable;
  launches: LaunchesTable;
  runtime_attempts: RuntimeAttemptsTable;
  sequencing_states: SequencingStatesTable;
  xapi_credentials: XapiCredentialsTable;
  xapi_statements: XapiStatementsTable;
  xapi_statement_agents: XapiStatementAgentsTable;
  xapi_statement_activities: XapiStatementActivitiesTable;
  xapi_attachments: XapiAttachmentsTable;
  xapi_documents: XapiDocumentsTable;
  xapi_activities: XapiActivitiesTable;
  xapi_sessions: XapiSessionsTable;
}

export type Organization = Selectable<OrganizationsTable>;
export type User = Selectable<UsersTable>;
export type PasswordReset = Selectable<PasswordResetsTable>;
export type ApiKey = Selectable<ApiKeysTable>;
export type ScormFile = Selectable<ScormFilesTable>;
export type NewScormFile = Insertable<ScormFilesTable>;
export type ScormFileUpdate = Updateable<ScormFilesTable>;
export type ContentExtraction = Selectable<ContentExtractionsTable>;
export type ContentExtractionUpdate = Updateable<ContentExtractionsTable>;
export type Job = Selectable<JobsTable>;
export type Collection = Selectable<CollectionsTable>;
export type CollectionContent = Selectable<CollectionContentsTable>;
export type Context = Selectable<ContextsTable>;
export type Enrollment = Selectable<EnrollmentsTable>;
export type ContentConsumption = Selectable<ContentConsumptionsTable>;
export type AssessmentAttempt = Selectable<AssessmentAttemptsTable>;
export type Certificate = Selectable<CertificatesTable>;
export type AppliedMessage = Selectable<AppliedMessagesTable>;
export type Webhook = Selectable<WebhooksTable>;
export type Launch = Selectable<LaunchesTable>;
export type RuntimeAttempt = Selectable<RuntimeAttemptsTable>;
export type WebhookDelivery = Selectable<WebhookDeliveriesTable>;
export type WebhookAttempt = Selectable<WebhookAttemptsTable>;
export type XapiCredential = Selectable<XapiCredentialsTable>;
export type XapiDocument = Selectable<XapiDocumentsTable>;
export type XapiSession = Selectable<XapiSessionsTable>;
