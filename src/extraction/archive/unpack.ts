import fs from 'node:fs';
import path from 'node:path';
import { FolderSource } from '../source/folder-source.js';
import type { PackageSource } from '../source/package-source.js';
import { isJunkPath, ZipArchive } from './zip-archive.js';

/** Longest name a file system takes for one path segment, in bytes. */
const MAX_SEGMENT_BYTES = 255;
/**
 * Longest path in the package that is unpacked, in bytes: within the file system's 4,096 and an
 * object store's 1,024-byte keys with the folders of the storage layout in front of it.
 */
const MAX_PATH_BYTES = 768;

/** A path no file system or object store takes: an empty, `.` or `..` segment, a NUL, or too many bytes. */
function unwritable(path: string): boolean {
  return (
    path.includes('\0') ||
    Buffer.byteLength(path) > MAX_PATH_BYTES ||
    path.split('/').some((s) => s === '' || s === '.' || s === '..' || Buffer.byteLength(s) > MAX_SEGMENT_BYTES)
  );
}

export interface UnpackedFiles {
  /** Path inside the package -> size in bytes, for every file written. */
  files: Record<string, number>;
  /** Paths left out: a name no file system takes, or a file where another needs a folder. */
  skipped: string[];
}

/**
 * Writes every file of a package under `folder`, for a player to serve. Paths were checked when
 * the archive was opened (relative, no `..`); litter (`__MACOSX`, `.DS_Store`) is left out; each
 * file is streamed and counted in real bytes by the archive. A bare descriptor has no files.
 */
export async function unpackPackage(source: PackageSource, folder: string): Promise<UnpackedFiles> {
  const files: Record<string, number> = Object.create(null) as Record<string, number>;
  const skipped: string[] = [];
  const made = new Set<string>();
  for (const entry of source.entries) {
    if (isJunkPath(entry.path)) continue;
    if (unwritable(entry.path)) {
      skipped.push(entry.path);
      continue;
    }
    const target = path.join(folder, ...entry.path.split('/'));
    const parent = path.dirname(target);
    try {
      if (!made.has(parent)) {
        await fs.promises.mkdir(parent, { recursive: true });
        made.add(parent);
      }
      if (source instanceof ZipArchive) await source.copyTo(entry.path, target);
      else if (source instanceof FolderSource) await fs.promises.copyFile(source.pathOf(entry.path), target, fs.constants.COPYFILE_EXCL);
      else continue;
    } catch (error) {
      // `a` as a file and `a/b` (or the other way round): the first one written stays.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') {
        skipped.push(entry.path);
        continue;
      }
      throw error;
    }
    files[entry.path] = entry.size;
  }
  return { files, skipped };
}
