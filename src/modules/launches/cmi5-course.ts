import { createHash } from 'node:crypto';
import type { LaunchItem, LaunchPlan } from '../../extraction/result/launch-plan.js';
import type { Launch } from '../../infra/db/schema.js';

// A cmi5 course as the LMS sees it in the LRS: the activity ids it gives the course, its blocks
// and its AUs (cmi5 8.1.5 and 9.4: never the publisher's ids from cmi5.xml, which go in the
// grouping), and which of them a registration's outcomes satisfy (moveOn, 9.3.9).

export const ACTIVITY_TYPES = {
  course: 'https://w3id.org/xapi/cmi5/activitytype/course',
  block: 'https://w3id.org/xapi/cmi5/activitytype/block',
} as const;

export type Outcome = { completed: boolean; passed: boolean };

/** One node of the course: its publisher id (cmi5.xml) and the activity id the LMS uses for it. */
export interface CourseNode {
  kind: 'course' | 'block' | 'au';
  publisherId: string;
  activityId: string;
  /** The AUs this node holds (an AU: itself), by publisher id. */
  aus: LaunchItem[];
}

/**
 * The activity id of a course, block or AU: the same at every launch and registration of the
 * file, unique to it, and never the publisher's id.
 */
export function lmsActivityId(publicUrl: string, launch: Pick<Launch, 'organization_id' | 'scorm_file_id'>, kind: CourseNode['kind'], publisherId: string): string {
  const hash = createHash('sha256').update(JSON.stringify([launch.organization_id, launch.scorm_file_id, kind, publisherId])).digest('base64url').slice(0, 32);
  return `${publicUrl}/cmi5/${kind}/${hash}`;
}

/** cmi5's moveOn: whether an AU with these outcomes in the registration is satisfied. */
export function satisfies(moveOn: string | null | undefined, outcome: Outcome): boolean {
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

/** The course's blocks, innermost first, then the course: the order their satisfied statements follow. */
export function parentNodes(publicUrl: string, launch: Pick<Launch, 'organization_id' | 'scorm_file_id'>, plan: Pick<LaunchPlan, 'items' | 'organization'>): CourseNode[] {
  const nodes: CourseNode[] = [];
  const walk = (items: LaunchItem[]): LaunchItem[] => {
    const aus: LaunchItem[] = [];
    for (const item of items) {
      if (item.launch !== null) {
        aus.push(item);
        continue;
      }
      const held = walk(item.children);
      nodes.push({ kind: 'block', publisherId: item.identifier, activityId: lmsActivityId(publicUrl, launch, 'block', item.identifier), aus: held });
      aus.push(...held);
    }
    return aus;
  };
  const all = walk(plan.items);
  const courseId = plan.organization?.identifier;
  if (courseId) nodes.push({ kind: 'course', publisherId: courseId, activityId: lmsActivityId(publicUrl, launch, 'course', courseId), aus: all });
  return nodes;
}
