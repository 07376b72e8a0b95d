import fs from 'node:fs';
import path from 'node:path';

export const SERVICE_NAME = 'SCORM Lens API';
/** The API version the health check reports; paths carry it too (`/v1/`). */
export const API_VERSION = 'v1';

/** The release, from the nearest package.json (two folders up once built, one from the source). */
export const PACKAGE_VERSION = ((): string => {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
    if (path.dirname(dir) === dir) return 'unknown';
  }
})();
