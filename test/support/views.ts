import { ZipArchive } from '../../src/extraction/archive/zip-archive.js';
import type { Warning } from '../../src/extraction/result/errors.js';
import { PackageView, type ItemRef } from '../../src/extraction/source/package-view.js';
import { fixture } from './fixtures.js';

/** A fixture package opened as a view of `base` (the folder of its manifest, '' for most). */
export async function openFixtureView(
  name: string,
  base = '',
  items: ItemRef[] = [],
): Promise<{ view: PackageView; warnings: Warning[]; close(): void }> {
  const archive = await ZipArchive.open(fixture(name));
  const warnings: Warning[] = [];
  return { view: new PackageView(archive, base, warnings, items), warnings, close: () => archive.close() };
}
