import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { defaultArchiveLimits, isJunkPath, ZipArchive, type ArchiveLimits } from './archive/zip-archive.js';
import { readImsManifest } from './manifest/ims-manifest.js';
import { decodeText, parseXml } from './manifest/xml.js';
import { ExtractionError, type Warning } from './result/errors.js';
import { FORMAT_VERSION, type ExtractionResult, type Item } from './result/extraction-result.js';

const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/** The root-most manifest wins: packages often carry a nested copy of themselves. */
function findManifest(archive: ZipArchive): string | undefined {
  return archive.entries
    .map((e) => e.path)
    .filter((p) => !isJunkPath(p) && /(^|\/)imsmanifest\.xml$/i.test(p))
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))[0];
}

function otherStandard(archive: ZipArchive): string | undefined {
  const paths = archive.entries
    .map((e) => e.path)
    .filter((p) => !isJunkPath(p))
    .map((p) => p.toLowerCase());
  if (paths.some((p) => /(^|\/)cmi5\.xml$/.test(p))) return 'cmi5';
  if (paths.some((p) => /(^|\/)tincan\.xml$/.test(p))) return 'xAPI (tincan.xml)';
  // Not .au alone: that is also a common audio format.
  if (paths.some((p) => /\.(crs|des|cst)$/.test(p))) return 'AICC';
  return undefined;
}

function countItems(items: Item[]): { items: number; launchable: number } {
  return items.reduce(
    (sum, item) => {
      const nested = countItems(item.children);
      return {
        items: sum.items + 1 + nested.items,
        launchable: sum.launchable + (item.launch ? 1 : 0) + nested.launchable,
      };
    },
    { items: 0, launchable: 0 },
  );
}

/** Opens a package safely and describes it: what it is, its course tree and its resources. */
export async function extractPackage(
  file: string,
  limits: ArchiveLimits = defaultArchiveLimits,
): Promise<ExtractionResult> {
  const [stat, sha256] = await Promise.all([fs.promises.stat(file), sha256Of(file)]);
  const archive = await ZipArchive.open(file, limits);
  try {
    const warnings: Warning[] = [...archive.warnings];
    const manifestPath = findManifest(archive);
    if (!manifestPath) {
      const other = otherStandard(archive);
      if (other) {
        throw new ExtractionError('standard_not_supported', `${other} packages are recognised but not yet extracted.`);
      }
      throw new ExtractionError('manifest_not_found', 'The package has no imsmanifest.xml: it is not a SCORM package.');
    }
    const root = manifestPath.includes('/') ? manifestPath.slice(0, manifestPath.lastIndexOf('/') + 1) : '';
    if (root !== '') {
      warnings.push({
        code: 'manifest_not_at_root',
        message: `The manifest is in ${root} rather than at the root of the archive.`,
        path: manifestPath,
      });
    }
    const bytes = await archive.read(manifestPath, MAX_MANIFEST_BYTES);
    const manifest = readImsManifest(parseXml(bytes, manifestPath, warnings), decodeText(bytes), warnings);
    const chosen =
      manifest.organizations.find((o) => o.identifier === manifest.defaultOrganization) ?? manifest.organizations[0];
    const counts = countItems(chosen?.items ?? []);
    return {
      format_version: FORMAT_VERSION,
      package: {
        standard: manifest.standard,
        version: manifest.version,
        identifier: manifest.identifier,
        title: manifest.title,
        root,
        manifest_path: manifestPath,
        size_bytes: stat.size,
        sha256,
        entry_count: archive.entries.length,
      },
      default_organization: manifest.defaultOrganization,
      organizations: manifest.organizations,
      resources: manifest.resources,
      statistics: { items: counts.items, launchable_items: counts.launchable, resources: manifest.resources.length },
      warnings,
    };
  } finally {
    archive.close();
  }
}
