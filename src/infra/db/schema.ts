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

export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  scorm_files: ScormFilesTable;
  content_extractions: ContentExtractionsTable;
  jobs: JobsTable;
  settings: SettingsTable;
}

export type Organization = Selectable<OrganizationsTable>;
export type User = Selectable<UsersTable>;
export type ApiKey = Selectable<ApiKeysTable>;
export type ScormFile = Selectable<ScormFilesTable>;
export type NewScormFile = Insertable<ScormFilesTable>;
export type ScormFileUpdate = Updateable<ScormFilesTable>;
export type ContentExtraction = Selectable<ContentExtractionsTable>;
export type ContentExtractionUpdate = Updateable<ContentExtractionsTable>;
export type Job = Selectable<JobsTable>;
