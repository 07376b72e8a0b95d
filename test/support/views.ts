import { ZipArchive } from '../../src/extraction/archive/zip-archive.js';
import type { Warning } from '../../src/extraction/result/errors.js';
import { PackageView, type ItemRef } from '../../src/extraction/source/package-view.js';
import { itemRefs, readCourseStructure } from '../../src/extraction/structure.js';
import { fixture } from './fixtures.js';

export interface FixtureViewOptions {
  /** The folder of the package the view shows: '' (the root) unless the items say otherwise. */
  base?: string;
  /** 'descriptor': the organization items of the package's own descriptor, as extraction gives them to decoders. */
  items?: 'descriptor';
}

/**
 * A fixture package opened as a view. With the descriptor's items the view shows the descriptor's
 * folder, and the warnings include those of reading the descriptor, as in extractPackage.
 */
export async function openFixtureView(
  name: string,
  options: FixtureViewOptions = {},
): Promise<{ view: PackageView; warnings: Warning[]; close(): void }> {
  const archive = await ZipArchive.open(fixture(name));
  const warnings: Warning[] = [];
  try {
    let base = options.base ?? '';
    let items: ItemRef[] = [];
    if (options.items === 'descriptor') {
      const { structure, root } = await readCourseStructure(archive, warnings);
      items = itemRefs(structure);
      base = options.base ?? root;
    }
    return { view: new PackageView(archive, base, warnings, items), warnings, close: () => archive.close() };
  } catch (error) {
    archive.close();
    throw error;
  }
}
