import { isJunkPath } from './archive/zip-archive.js';
import { readAicc } from './manifest/aicc.js';
import { readCmi5 } from './manifest/cmi5.js';
import type { CourseStructure } from './manifest/course-structure.js';
import { readImsManifest } from './manifest/ims-manifest.js';
import { lomElement, readLom } from './manifest/lom.js';
import { readTincan } from './manifest/tincan.js';
import { child, decodeText, parseXml } from './manifest/xml.js';
import { ExtractionError, type Warning } from './result/errors.js';
import type { Item } from './result/extraction-result.js';
import { readText, type PackageSource } from './source/package-source.js';
import type { ItemRef } from './source/package-view.js';

const MAX_DESCRIPTOR_BYTES = 32 * 1024 * 1024;

type Kind = 'scorm' | 'cmi5' | 'xapi' | 'aicc';
interface Descriptor {
  kind: Kind;
  path: string;
  folder: string;
}

const PRIORITY: Record<Kind, number> = { scorm: 0, cmi5: 1, xapi: 2, aicc: 3 };

function kindOf(path: string): Kind | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name === 'imsmanifest.xml') return 'scorm';
  if (name === 'cmi5.xml') return 'cmi5';
  if (name === 'tincan.xml') return 'xapi';
  // .au alone is also an audio format: an AICC course is recognised by its other files.
  if (/\.(crs|des|cst)$/.test(name)) return 'aicc';
  return undefined;
}

/**
 * The package's descriptor: the root-most imsmanifest.xml, cmi5.xml, tincan.xml or AICC course
 * (packages often carry a nested copy of themselves); at equal depth SCORM, then cmi5, xAPI, AICC.
 */
export function findDescriptor(source: PackageSource): Descriptor | undefined {
  const candidates = source.entries
    .map((e) => e.path)
    .filter((p) => !isJunkPath(p))
    .flatMap((path) => {
      const kind = kindOf(path);
      return kind ? [{ kind, path, folder: path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '' }] : [];
    });
  const depth = (d: Descriptor) => d.path.split('/').length;
  return candidates.sort(
    (a, b) => depth(a) - depth(b) || PRIORITY[a.kind] - PRIORITY[b.kind] || a.path.localeCompare(b.path),
  )[0];
}

async function readAiccCourse(source: PackageSource, folder: string, warnings: Warning[]): Promise<CourseStructure> {
  const inFolder = source.entries
    .map((e) => e.path)
    .filter((p) => p.startsWith(folder) && !p.slice(folder.length).includes('/') && !isJunkPath(p));
  const fileWith = (extension: string) => inFolder.find((p) => p.toLowerCase().endsWith(`.${extension}`));
  const files: Record<string, string | undefined> = {};
  for (const extension of ['crs', 'au', 'des', 'cst', 'pre']) {
    const path = fileWith(extension);
    files[extension] = path === undefined ? undefined : await readText(source, path, MAX_DESCRIPTOR_BYTES);
  }
  return readAicc({ ...files, descriptorPath: fileWith('crs') ?? fileWith('cst') ?? folder }, warnings);
}

async function readScorm(source: PackageSource, descriptor: Descriptor, warnings: Warning[]): Promise<CourseStructure> {
  const bytes = await source.read(descriptor.path, MAX_DESCRIPTOR_BYTES);
  const manifest = readImsManifest(parseXml(bytes, descriptor.path, warnings), decodeText(bytes), warnings);
  let lom = manifest.lom;
  if (manifest.metadataLocation) {
    // Package metadata kept in a separate file (adlcp:location), relative to the manifest.
    const path = descriptor.folder + manifest.metadataLocation;
    if (source.has(path)) {
      const xml = parseXml(await source.read(path, MAX_DESCRIPTOR_BYTES), path, warnings);
      lom = readLom(child(xml, 'lom') ?? lomElement(xml) ?? undefined);
    } else {
      warnings.push({ code: 'metadata_missing', message: `The metadata file ${manifest.metadataLocation} is not in the package.`, path });
    }
  }
  const organizationTitle = manifest.title;
  const titles = [
    ...(organizationTitle ? [{ language: null, value: organizationTitle }] : []),
    ...lom.titles.filter((t) => t.value !== organizationTitle),
  ];
  return {
    standard: 'scorm',
    version: manifest.version,
    identifier: manifest.identifier,
    titles,
    description: lom.description,
    language: lom.language,
    keywords: lom.keywords,
    typicalLearningTime: lom.typicalLearningTime,
    defaultOrganization: manifest.defaultOrganization,
    organizations: manifest.organizations,
    resources: manifest.resources,
    descriptorPath: descriptor.path,
    interactions: [],
  };
}

/** Reads whatever descriptor the package has; the folder it sits in is the package root. */
export async function readCourseStructure(
  source: PackageSource,
  warnings: Warning[],
): Promise<{ structure: CourseStructure; root: string }> {
  const descriptor = findDescriptor(source);
  if (!descriptor) {
    throw new ExtractionError(
      'manifest_not_found',
      'The package has no imsmanifest.xml, cmi5.xml, tincan.xml or AICC course files: it is not an e-learning package.',
    );
  }
  if (descriptor.folder !== '') {
    warnings.push({
      code: 'manifest_not_at_root',
      message: `The package's descriptor is in ${descriptor.folder} rather than at the root of the archive.`,
      path: descriptor.path,
    });
  }
  const read = async (): Promise<CourseStructure> => {
    switch (descriptor.kind) {
      case 'scorm':
        return readScorm(source, descriptor, warnings);
      case 'cmi5':
        return readCmi5(await source.read(descriptor.path, MAX_DESCRIPTOR_BYTES), descriptor.path, warnings, (path) => source.has(descriptor.folder + path));
      case 'xapi':
        return readTincan(await source.read(descriptor.path, MAX_DESCRIPTOR_BYTES), descriptor.path, warnings);
      case 'aicc':
        return readAiccCourse(source, descriptor.folder, warnings);
    }
  };
  const structure = await read();
  // Readers report the descriptor's path inside the archive; the result gives it from the root.
  return { structure: { ...structure, descriptorPath: structure.descriptorPath.slice(descriptor.folder.length) }, root: descriptor.folder };
}

/** The chosen organization: the default one, else the first. */
export function defaultOrganizationOf(structure: CourseStructure) {
  return structure.organizations.find((o) => o.identifier === structure.defaultOrganization) ?? structure.organizations[0];
}

export function flattenItems(items: Item[]): Item[] {
  return items.flatMap((item) => [item, ...flattenItems(item.children)]);
}

/** Items with the package file each launches (absolute URLs launch nothing inside the package). */
export function itemRefs(structure: CourseStructure): ItemRef[] {
  const organization = defaultOrganizationOf(structure);
  const resources = new Map(structure.resources.map((r) => [r.identifier, r]));
  const filesOf = (identifier: string | null, seen = new Set<string>()): string[] => {
    const resource = identifier === null ? undefined : resources.get(identifier);
    if (!resource || seen.has(resource.identifier)) return [];
    seen.add(resource.identifier);
    return [...resource.files.map(decodePath), ...resource.dependencies.flatMap((d) => filesOf(d, seen))];
  };
  return flattenItems(organization?.items ?? []).map((item) => ({
    identifier: item.identifier,
    title: item.title,
    launch: item.launch && !/^[a-z][a-z0-9+.-]*:/i.test(item.launch) ? decodePath(item.launch) : null,
    files: filesOf(item.identifierref),
  }));
}

function decodePath(launch: string): string {
  const path = launch.replace(/[?#].*$/, '').replace(/^\.?\//, '');
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
