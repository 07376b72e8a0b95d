import type { XapiDocumentResource } from '../../infra/db/schema.js';
import type { Statement } from './statements/statement.js';

/** A write (with its content) or a delete (without) of a document, or of all the documents under a key (no id). */
export interface DocumentChange {
  resource: XapiDocumentResource;
  documentId: string | undefined;
  contentType?: string;
  content?: Buffer;
}

/** Who calls the LRS: an organization's credentials, or the token of one cmi5 launch. */
export interface LrsPrincipal {
  organizationId: number;
  /** The authority the LRS sets on the statements this caller stores. */
  authority: Record<string, unknown>;
  /** The credentials' id (null for a launch token). */
  credentialId: number | null;
  /** Rules a restricted caller's statements must follow (a launch token: cmi5's rules); throws when broken. */
  checkStatements?: (statements: Statement[]) => Promise<void>;
  /** Rules a restricted caller's document writes and deletes must follow (a launch token: cmi5's); throws when broken. */
  checkDocumentChange?: (change: DocumentChange) => void;
  /**
   * A launch token reaches one learner's records only: the statements of its registration, and
   * the documents of its actor (the activity profiles of the course too).
   */
  scope?: { registration: string; agentKey: string };
  /** What follows from the statements once they are stored (a launch: the learner's progress). */
  afterStore?: (statements: Statement[]) => Promise<void>;
}
