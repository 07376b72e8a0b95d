import type { ExtractionResult, Item, PackageFacts } from './extraction-result.js';

/**
 * What a player needs to run a package, from its extraction result: the default organization's
 * tree with each item's launch path inside the package, whether it is a SCO, the values the
 * runtime hands the SCO (mastery score, launch data, time limit) and its sequencing. Paths are
 * relative to the archive (the package's root folder applied); absolute URLs stay as they are.
 */
export interface LaunchPlan {
  plan_version: 1;
  standard: PackageFacts['standard'];
  version: string | null;
  title: string | null;
  organization: { identifier: string; title: string | null; sequencing: Record<string, unknown> | null } | null;
  /** At most MAX_PLAN_ITEMS, at most MAX_PLAN_DEPTH deep. */
  items: LaunchItem[];
  /** The package's files as unpacked for serving: path -> size in bytes. */
  files: Record<string, number>;
}

export interface LaunchItem {
  identifier: string;
  title: string;
  launch: string | null;
  parameters: string | null;
  visible: boolean;
  /** A SCO talks to the runtime; an asset is only shown. */
  sco: boolean;
  mastery_score: number | null;
  completion_threshold: number | null;
  data_from_lms: string | null;
  time_limit: string | null;
  sequencing: Record<string, unknown> | null;
  /** cmi5: when the AU counts as satisfied (Completed, Passed, CompletedOrPassed, CompletedAndPassed, NotApplicable). */
  move_on?: string | null;
  children: LaunchItem[];
}

/** The items of a plan, depth first, by identifier. */
export function planItems(plan: Pick<LaunchPlan, 'items'>): Map<string, LaunchItem> {
  const byId = new Map<string, LaunchItem>();
  const stack = [...plan.items];
  for (let item = stack.pop(); item; item = stack.pop()) {
    byId.set(item.identifier, item);
    stack.push(...item.children);
  }
  return byId;
}

/** Items a plan holds, and how deep: a hostile manifest can have millions, or nest them past any stack. */
export const MAX_PLAN_ITEMS = 5000;
const MAX_PLAN_DEPTH = 32;

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

function launchPath(root: string, launch: string | null): string | null {
  if (launch === null || ABSOLUTE.test(launch)) return launch;
  return `${root}${launch.replace(/^\/+/, '')}`;
}

export function launchPlan(result: ExtractionResult, files: Record<string, number>): LaunchPlan {
  const organization = result.organizations.find((o) => o.identifier === result.default_organization) ?? result.organizations[0];
  const assets = new Set(result.resources.filter((r) => r.scorm_type === 'asset').map((r) => r.identifier));
  const root = result.package.root;
  let count = 0;
  const plan = (items: Item[], depth: number): LaunchItem[] => {
    const out: LaunchItem[] = [];
    for (const item of items) {
      if (count >= MAX_PLAN_ITEMS || depth >= MAX_PLAN_DEPTH) break;
      count++;
      out.push({
        identifier: item.identifier,
        title: item.title,
        launch: launchPath(root, item.launch),
        parameters: item.parameters,
        visible: item.visible,
        // A resource without a SCORM type is taken for a SCO: many 1.2 packages leave it out.
        sco: item.launch !== null && !assets.has(item.identifierref ?? ''),
        mastery_score: item.mastery_score,
        completion_threshold: item.completion_threshold,
        data_from_lms: item.data_from_lms,
        time_limit: item.time_limit,
        sequencing: item.sequencing,
        move_on: item.move_on,
        children: plan(item.children, depth + 1),
      });
    }
    return out;
  };
  const items = organization ? plan(organization.items, 0) : [];
  return {
    plan_version: 1,
    standard: result.package.standard,
    version: result.package.version,
    title: result.package.title,
    organization: organization ? { identifier: organization.identifier, title: organization.title, sequencing: organization.sequencing } : null,
    items,
    files,
  };
}
