import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeZip, type ZipEntrySpec } from './zip-writer.js';

/** A small, valid SCORM 1.2 package with one SCO per item title. */
export function scorm12Manifest(title: string, itemTitles: string[]): string {
  const items = itemTitles
    .map((t, i) => `<item identifier="item${i + 1}" identifierref="res${i + 1}"><title>${t}</title></item>`)
    .join('\n      ');
  const resources = itemTitles
    .map(
      (_t, i) =>
        `<resource identifier="res${i + 1}" type="webcontent" adlcp:scormtype="sco" href="page${i + 1}.html"><file href="page${i + 1}.html"/></resource>`,
    )
    .join('\n    ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="test.package" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org1">
    <organization identifier="org1">
      <title>${title}</title>
      ${items}
    </organization>
  </organizations>
  <resources>
    ${resources}
  </resources>
</manifest>`;
}

export async function writeScormPackage(file: string, title: string, itemTitles: string[]): Promise<string> {
  const entries: ZipEntrySpec[] = [
    { name: 'imsmanifest.xml', data: scorm12Manifest(title, itemTitles), deflate: true },
    ...itemTitles.map((t, i) => ({ name: `page${i + 1}.html`, data: `<html><body><h1>${t}</h1></body></html>` })),
  ];
  await writeZip(file, entries);
  return file;
}

/** A temp folder for one test file's generated packages. */
export async function packagesDir(): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lens-packages-'));
  return { dir, cleanup: () => fs.promises.rm(dir, { recursive: true, force: true }) };
}
