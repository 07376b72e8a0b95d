import type { DocumentChange } from '../xapi/principal.js';

const LAUNCH_DATA = 'LMS.LaunchData';
const LEARNER_PREFERENCES = 'cmi5LearnerPreferences';
/** An RFC 5646 language tag, in the shape the cmi5 list needs: subtags of letters and digits. */
const LANGUAGE_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

function learnerPreferencesProblem(change: DocumentChange): string | undefined {
  if (!/^application\/json\s*(?:;|$)/i.test(change.contentType ?? '')) return 'must be a JSON document';
  let document: unknown;
  try {
    document = JSON.parse((change.content ?? Buffer.alloc(0)).toString('utf8'));
  } catch {
    return 'must be a JSON document';
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return 'must be a JSON object';
  const { languagePreference, audioPreference } = document as Record<string, unknown>;
  if (typeof languagePreference !== 'string' || !languagePreference.split(',').every((tag) => LANGUAGE_TAG.test(tag))) {
    return 'needs languagePreference, a comma-separated list of language tags';
  }
  if (audioPreference !== 'on' && audioPreference !== 'off') return 'needs audioPreference, "on" or "off"';
  return undefined;
}

/**
 * What breaks cmi5's rules for an AU's documents (10.2.1, 11), if anything: LMS.LaunchData is the
 * LMS's, which the AU reads and never changes (deleting all its state would delete it too); the
 * learner preferences it writes are a JSON object of a language list and an audio setting.
 */
export function cmi5DocumentProblem(change: DocumentChange): string | undefined {
  if (change.resource === 'state' && (change.documentId === LAUNCH_DATA || change.documentId === undefined)) {
    return `An AU does not change or delete ${LAUNCH_DATA}.`;
  }
  if (change.resource === 'agent_profile' && change.documentId === LEARNER_PREFERENCES && change.content !== undefined) {
    const problem = learnerPreferencesProblem(change);
    if (problem) return `${LEARNER_PREFERENCES} ${problem}.`;
  }
  return undefined;
}
