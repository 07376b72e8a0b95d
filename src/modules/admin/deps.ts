import type { RateLimits } from '../../infra/db/rate-limits.js';
import type { PasswordResets } from '../accounts/password-resets.js';
import type { AccountsService } from '../accounts/service.js';
import type { Sessions } from '../accounts/sessions.js';
import type { CollectionsService } from '../collections/service.js';
import type { LaunchesService } from '../launches/service.js';
import type { ProgressService } from '../progress/service.js';
import type { ContentExtractionsService } from '../scorm-files/extractions-service.js';
import type { ScormFilesService } from '../scorm-files/files-service.js';
import type { UploadDeps } from '../scorm-files/multipart-upload.js';
import type { ScormFilePresenter } from '../scorm-files/presenter.js';
import type { ExtractionResults } from '../scorm-files/results.js';
import type { WebhooksService } from '../webhooks/service.js';

/** The services the panel's pages render: the same ones the API's routes call. */
export interface AdminDeps {
  publicUrl: string;
  sessions: Sessions;
  accounts: AccountsService;
  passwordResets: PasswordResets;
  webhooks: WebhooksService;
  files: ScormFilesService;
  extractions: ContentExtractionsService;
  results: ExtractionResults;
  presenter: ScormFilePresenter;
  upload: UploadDeps;
  launches: LaunchesService;
  progress: ProgressService;
  rateLimits: RateLimits;
  collections: CollectionsService;
}
