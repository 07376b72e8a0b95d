import type { Warning } from '../result/errors.js';
import type { Item, Organization, Resource } from '../result/extraction-result.js';
import { ExtractionError } from '../result/errors.js';
import { attr, child, children, text, type XmlNode } from './xml.js';

export interface ImsManifest {
  standard: 'scorm';
  version: string;
  identifier: string | undefined;
  title: string | undefined;
  defaultOrganization: string | undefined;
  organizations: Organization[];
  resources: Resource[];
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
  return defined.reduce((base, part) => (/^[a-z]+:|^\//i.test(part) || base === '' ? part : `${base.replace(/\/?$/, '/')}${part}`), '');
}

function parseResources(manifest: XmlNode): Resource[] {
  const resourcesNode = child(manifest, 'resources');
  const base = joinBase(attr(manifest, 'base'), attr(resourcesNode, 'base'));
  return children(resourcesNode, 'resource').map((r) => {
    const resourceBase = joinBase(base, attr(r, 'base'));
    const href = attr(r, 'href');
    return {
      identifier: attr(r, 'identifier') ?? '',
      type: attr(r, 'type'),
      scorm_type: (attr(r, 'scormtype') ?? attr(r, 'scormType'))?.toLowerCase(),
      href: href === undefined ? undefined : joinBase(resourceBase, href),
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

function parseItems(parent: XmlNode, resources: Map<string, Resource>, warnings: Warning[]): Item[] {
  return children(parent, 'item').map((node) => {
    const identifier = attr(node, 'identifier') ?? '';
    const identifierref = attr(node, 'identifierref');
    const resource = identifierref === undefined ? undefined : resources.get(identifierref);
    if (identifierref !== undefined && !resource) {
      warnings.push({
        code: 'dangling_identifierref',
        message: `Item "${identifier}" points at resource "${identifierref}", which the manifest does not define.`,
      });
    }
    return {
      identifier,
      title: text(child(node, 'title')) ?? identifier,
      identifierref,
      launch: resource?.href,
      parameters: attr(node, 'parameters'),
      visible: attr(node, 'isvisible')?.toLowerCase() !== 'false',
      children: parseItems(node, resources, warnings),
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
  const organizationsNode = child(root, 'organizations');
  const organizations = children(organizationsNode, 'organization').map((o) => ({
    identifier: attr(o, 'identifier') ?? '',
    title: text(child(o, 'title')),
    items: parseItems(o, byId, warnings),
  }));
  if (organizations.length === 0) {
    warnings.push({ code: 'no_organization', message: 'The manifest defines no organization (no course structure).' });
  }
  const defaultOrganization = attr(organizationsNode, 'default') ?? organizations[0]?.identifier;
  const chosen = organizations.find((o) => o.identifier === defaultOrganization) ?? organizations[0];
  return {
    standard: 'scorm',
    version: scormVersion(root, rawXml.slice(0, 4000), warnings),
    identifier: attr(root, 'identifier'),
    title: chosen?.title ?? text(child(child(child(child(root, 'metadata'), 'lom'), 'general'), 'title')),
    defaultOrganization,
    organizations,
    resources,
  };
}
