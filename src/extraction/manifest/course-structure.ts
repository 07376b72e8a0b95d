import type { LanguageString, Organization, PackageFacts, Resource } from '../result/extraction-result.js';
import type { Question } from '../result/extraction-result.js';

/** What a package's descriptor (imsmanifest.xml, cmi5.xml, tincan.xml, AICC files) says. */
export interface CourseStructure {
  standard: PackageFacts['standard'];
  version: string | null;
  identifier: string | null;
  titles: LanguageString[];
  description: string | null;
  language: string | null;
  keywords: string[];
  typicalLearningTime: string | null;
  defaultOrganization: string | null;
  organizations: Organization[];
  resources: Resource[];
  /** Path of the descriptor relative to the package root. */
  descriptorPath: string;
  /** Questions the descriptor itself declares (xAPI `cmi.interaction` activities). */
  interactions: Question[];
}

/** A blank item, for descriptors that know only part of what an IMS item carries. */
export function blankItem(identifier: string, title: string): Organization['items'][number] {
  return {
    identifier,
    title,
    identifierref: null,
    launch: null,
    parameters: null,
    visible: true,
    mastery_score: null,
    completion_threshold: null,
    time_limit: null,
    data_from_lms: null,
    prerequisites: null,
    move_on: null,
    launch_method: null,
    sequencing: null,
    children: [],
  };
}
