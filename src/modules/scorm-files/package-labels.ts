import type { PackageFacts } from '../../extraction/result/extraction-result.js';

/** The standard and edition as people read them: "SCORM 2004 4th Edition", "CMI5 cmi5". */
export const standardLabel = (facts: Pick<PackageFacts, 'standard' | 'version'>): string =>
  `${facts.standard.toUpperCase()}${facts.version ? ` ${facts.version}` : ''}`;

/** The authoring tool with its version ("Articulate Storyline 3.40"), or null when none was recognised. */
export const toolLabel = (facts: Pick<PackageFacts, 'tool'>): string | null =>
  facts.tool ? `${facts.tool.name}${facts.tool.version ? ` ${facts.tool.version}` : ''}` : null;

/** What a completed extraction's row keeps of its package's facts, for lists that show and sort by them. */
export const packageColumns = (facts: PackageFacts) => ({
  package_title: facts.title,
  package_standard: standardLabel(facts),
  package_tool: toolLabel(facts),
});
