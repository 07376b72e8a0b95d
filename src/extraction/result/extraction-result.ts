import type { Warning } from './errors.js';

export const FORMAT_VERSION = '0.1';

export interface Resource {
  identifier: string;
  type: string | undefined;
  /** `sco` or `asset` (SCORM `scormtype`). */
  scorm_type: string | undefined;
  /** Launch path inside the package, with `xml:base` applied. */
  href: string | undefined;
  files: string[];
  dependencies: string[];
}

export interface Item {
  identifier: string;
  title: string;
  identifierref: string | undefined;
  /** The href of the item's resource: what a player launches. */
  launch: string | undefined;
  parameters: string | undefined;
  visible: boolean;
  children: Item[];
}

export interface Organization {
  identifier: string;
  title: string | undefined;
  items: Item[];
}

export interface PackageFacts {
  standard: 'scorm';
  version: string;
  identifier: string | undefined;
  title: string | undefined;
  /** Folder of the manifest inside the archive ('' at the root): every href is relative to it. */
  root: string;
  manifest_path: string;
  size_bytes: number;
  sha256: string;
  entry_count: number;
}

export interface ExtractionResult {
  format_version: string;
  package: PackageFacts;
  default_organization: string | undefined;
  organizations: Organization[];
  resources: Resource[];
  statistics: { items: number; launchable_items: number; resources: number };
  warnings: Warning[];
}
