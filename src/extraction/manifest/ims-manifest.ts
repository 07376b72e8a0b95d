import type { Warning } from '../result/errors.js';
import type { Item, Organization, Resource } from '../result/extraction-result.js';
import { ExtractionError } from '../result/errors.js';
import { lomElement, readLom, type LomFacts } from './lom.js';
import { attr, child, children, text, type XmlNode, type XmlValue } from './xml.js';

export interface ImsManifest {
  version: string;
  identifier: string | null;
  /** The default organization's title (the LOM titles are in `lom`). */
  title: string | null;
  defaultOrganization: string | null;
  organizations: Organization[];
  resources: Resource[];
  /** Inline LOM metadata of the package. */
  lom: LomFacts;
  /** `adlcp:location` of external package metadata, relative to the manifest. */
  metadataLocation: string | null;
}

const SCHEMA_VERSIONS: Record<string, string> = {
  '1.2': '1.2',
  'cam 1.3': '2004 2nd Edition',
  '2004 3rd edition': '2004 3rd Edition',
  '2004 4th edition': '2004 4th Edition',
};

/** SCORM version from `<schemaversion>`, falling back on the namespaces the manifest declares. */
function scormVersion(manifest: XmlNode, rawXmlHead: string, warnings: Warning[]): string {
  const declared = text(child(child(manifest, 'metadata'), 'schemaversion'));
  if (declared) {
    const known = SCHEMA_VERSIONS[declared.toLowerCase()];
    if (known) return known;
    warnings.push({ code: 'schemaversion_unknown', message: `Unknown schemaversion "${declared}".` });
  }
  // adlcp_v1p2 is the 2004 2nd edition namespace; SCORM 1.2 uses adlcp_rootv1p2.
  if (/adlcp_v1p3/.test(rawXmlHead)) return '2004 3rd Edition';
  if (/adlcp_v1p2\b/.test(rawXmlHead)) return '2004 2nd Edition';
  if (/imsss|adlseq|adlnav/.test(rawXmlHead)) return '2004 3rd Edition';
  return '1.2';
}

/** Joins `xml:base` prefixes the way the content packaging spec resolves hrefs. */
function joinBase(...parts: (string | undefined)[]): string | undefined {
  const defined = parts.filter((p): p is string => p !== undefined && p !== '');
  if (defined.length === 0) return undefined;
  return defined.reduce(
    (base, part) => (/^[a-z]+:|^\//i.test(part) || base === '' ? part : `${base.replace(/\/?$/, '/')}${part}`),
    '',
  );
}

/** An XML subtree as plain data: attributes and children by local name, text as `value`. */
export function xmlToData(node: XmlValue): unknown {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(xmlToData);
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_')) {
      if (!key.startsWith('@_xmlns')) data[key.slice(2)] = value;
    } else if (key === '#text') data.value = value;
    else data[key] = xmlToData(value);
  }
  return data;
}

const number = (value: string | undefined): number | null => {
  if (value === undefined || value.trim() === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
};

/** Sequencing of an element, with a referenced `sequencingCollection` entry merged under it. */
function sequencingOf(node: XmlNode, collection: Map<string, XmlNode>): Record<string, unknown> | null {
  const own = child(node, 'sequencing');
  if (!own) return null;
  const shared = attr(own, 'IDRef');
  const base = shared ? collection.get(shared) : undefined;
  return { ...(base ? (xmlToData(base) as Record<string, unknown>) : {}), ...(xmlToData(own) as Record<string, unknown>) };
}

function parseResources(manifest: XmlNode): Resource[] {
  const resourcesNode = child(manifest, 'resources');
  const base = joinBase(attr(manifest, 'base'), attr(resourcesNode, 'base'));
  return children(resourcesNode, 'resource').map((r) => {
    const resourceBase = joinBase(base, attr(r, 'base'));
    const href = attr(r, 'href');
    return {
      identifier: attr(r, 'identifier') ?? '',
      type: attr(r, 'type') ?? null,
      scorm_type: (attr(r, 'scormtype') ?? attr(r, 'scormType'))?.toLowerCase() ?? null,
      href: href === undefined ? null : (joinBase(resourceBase, href) ?? null),
      files: children(r, 'file')
        .map((f) => attr(f, 'href'))
        .filter((f): f is string => f !== undefined)
        .map((f) => joinBase(resourceBase, f) ?? f),
      dependencies: children(r, 'dependency')
        .map((d) => attr(d, 'identifierref'))
        .filter((d): d is string => d !== undefined),
    };
  });
}

/** A completion threshold: 2004 3rd edition text, or 4th edition `minProgressMeasure`. */
function completionThreshold(node: XmlNode): number | null {
  const element = child(node, 'completionThreshold') ?? child(node, 'completionthreshold');
  if (!element) return null;
  return number(attr(element, 'minProgressMeasure')) ?? number(text(element));
}

/** Mastery as a percentage: 1.2 `masteryscore`, or 2004's primary objective measure (-1..1). */
function masteryScore(node: XmlNode, collection: Map<string, XmlNode>): number | null {
  const scorm12 = number(text(child(node, 'masteryscore')));
  if (scorm12 !== null) return scorm12;
  const own = child(node, 'sequencing');
  const shared = collection.get(attr(own, 'IDRef') ?? '');
  for (const sequencing of [own, shared]) {
    const primary = child(child(sequencing, 'objectives'), 'primaryObjective');
    if (attr(primary, 'satisfiedByMeasure') !== 'true') continue;
    const measure = number(text(child(primary, 'minNormalizedMeasure')));
    if (measure !== null) return Math.round(measure * 100);
  }
  return null;
}

function timeLimit(node: XmlNode, sequencing: Record<string, unknown> | null): string | null {
  const scorm12 = text(child(node, 'maxtimeallowed'));
  if (scorm12) return scorm12;
  const limits = sequencing?.limitConditions as Record<string, unknown> | undefined;
  return typeof limits?.attemptAbsoluteDurationLimit === 'string' ? limits.attemptAbsoluteDurationLimit : null;
}

function parseItems(
  parent: XmlNode,
  resources: Map<string, Resource>,
  collection: Map<string, XmlNode>,
  warnings: Warning[],
): Item[] {
  return children(parent, 'item').map((node) => {
    const identifier = attr(node, 'identifier') ?? '';
    const identifierref = attr(node, 'identifierref') ?? null;
    const resource = identifierref === null ? undefined : resources.get(identifierref);
    if (identifierref !== null && !resource) {
      warnings.push({
        code: 'dangling_identifierref',
        message: `Item "${identifier}" points at resource "${identifierref}", which the manifest does not define.`,
      });
    }
    const sequencing = sequencingOf(node, collection);
    return {
      identifier,
      title: text(child(node, 'title')) ?? identifier,
      identifierref,
      launch: resource?.href ?? null,
      parameters: attr(node, 'parameters') ?? null,
      visible: attr(node, 'isvisible')?.toLowerCase() !== 'false',
      mastery_score: masteryScore(node, collection),
      completion_threshold: completionThreshold(node),
      time_limit: timeLimit(node, sequencing),
      data_from_lms: text(child(node, 'datafromlms')) ?? text(child(node, 'dataFromLMS')) ?? null,
      prerequisites: text(child(node, 'prerequisites')) ?? null,
      move_on: null,
      launch_method: null,
      sequencing,
      children: parseItems(node, resources, collection, warnings),
    };
  });
}

/** Reads an IMS content packaging manifest (SCORM 1.2 and 2004): identity, organizations, resources. */
export function readImsManifest(manifest: XmlNode, rawXml: string, warnings: Warning[]): ImsManifest {
  const root = manifest.manifest;
  if (root === undefined || typeof root === 'string' || Array.isArray(root)) {
    throw new ExtractionError('manifest_invalid', 'The manifest has no <manifest> root element.');
  }
  const resources = parseResources(root);
  const byId = new Map(resources.map((r) => [r.identifier, r]));
  const collection = new Map(
    children(child(root, 'sequencingCollection'), 'sequencing').map((s) => [attr(s, 'ID') ?? '', s] as const),
  );
  const organizationsNode = child(root, 'organizations');
  const organizations: Organization[] = children(organizationsNode, 'organization').map((o) => ({
    identifier: attr(o, 'identifier') ?? '',
    title: text(child(o, 'title')) ?? null,
    items: parseItems(o, byId, collection, warnings),
    sequencing: sequencingOf(o, collection),
  }));
  if (organizations.length === 0) {
    warnings.push({ code: 'no_organization', message: 'The manifest defines no organization (no course structure).' });
  }
  const declaredDefault = attr(organizationsNode, 'default');
  if (declaredDefault !== undefined && !organizations.some((o) => o.identifier === declaredDefault)) {
    // The attribute is an IDREF: pointing at nothing makes the manifest invalid.
    throw new ExtractionError('manifest_default_organization_missing', `The default organization "${declaredDefault}" is not defined in the manifest.`);
  }
  if (!resources.some((r) => r.href)) {
    throw new ExtractionError('manifest_no_launchable_resource', 'No resource of the manifest has an href: there is nothing to launch.');
  }
  const defaultOrganization = declaredDefault ?? organizations[0]?.identifier ?? null;
  const chosen = organizations.find((o) => o.identifier === defaultOrganization) ?? organizations[0];
  for (const organization of organizations) {
    if (organization.title === null) {
      warnings.push({ code: 'organization_title_missing', message: `Organization "${organization.identifier}" has no title, which SCORM requires.` });
    }
  }
  const metadata = child(root, 'metadata');
  const lom = readLom(lomElement(metadata));
  return {
    version: scormVersion(root, rawXml.slice(0, 4000), warnings),
    identifier: attr(root, 'identifier') ?? null,
    title: chosen?.title ?? null,
    defaultOrganization,
    organizations,
    resources,
    lom,
    metadataLocation: text(child(metadata, 'location')) ?? null,
  };
}
