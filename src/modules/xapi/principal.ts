import type { Statement } from './statements/statement.js';

/** Who calls the LRS: an organization's credentials, or the token of one cmi5 launch. */
export interface LrsPrincipal {
  organizationId: number;
  /** The authority the LRS sets on the statements this caller stores. */
  authority: Record<string, unknown>;
  /** The credentials' id (null for a launch token). */
  credentialId: number | null;
  /** Rules a restricted caller's statements must follow (a launch token: cmi5's rules); throws when broken. */
  checkStatements?: (statements: Statement[]) => Promise<void>;
  /**
   * A launch token reaches one learner's records only: the statements of its registration, and
   * the documents of its actor (the activity profiles of the course too).
   */
  scope?: { registration: string; agentKey: string };
  /** What follows from the statements once they are stored (a launch: the learner's progress). */
  afterStore?: (statements: Statement[]) => Promise<void>;
}
