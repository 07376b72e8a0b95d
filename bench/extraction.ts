import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ZipWriter } from '../test/support/zip-writer.js';
import { mib, timeCommand } from './measure.js';

const FIXTURES = path.resolve('../shared/fixtures');
const LARGE_BYTES = 1024 * 1024 * 1024;

interface Measured {
  file: string;
  seconds: number;
  peak: number;
  outcome: string;
}

function runExtractions(files: string[]): Measured[] {
  const output = execFileSync(process.execPath, ['build/bench/extraction-runner.js', ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return output
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Measured);
}

/** A SCORM package of about 1 GiB: a few pages and large media entries (stored, like real video). */
async function writeLargePackage(file: string): Promise<void> {
  const writer = new ZipWriter(file);
  const items = Array.from({ length: 20 }, (_v, i) => i + 1);
  await writer.add({
    name: 'imsmanifest.xml',
    data: `<?xml version="1.0"?><manifest identifier="large" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"><organizations default="o"><organization identifier="o"><title>Large course</title>${items
      .map((i) => `<item identifier="i${i}" identifierref="r${i}"><title>Lesson ${i}</title></item>`)
      .join('')}</organization></organizations><resources>${items
      .map((i) => `<resource identifier="r${i}" type="webcontent" adlcp:scormtype="sco" href="lesson${i}.html"/>`)
      .join('')}</resources></manifest>`,
  });
  for (const i of items) {
    const paragraphs = Array.from({ length: 40 }, (_v, p) => `<p>Lesson ${i}, paragraph ${p}: safety procedures keep every worker on site protected.</p>`);
    await writer.add({ name: `lesson${i}.html`, data: `<html><body><h1>Lesson ${i}</h1>${paragraphs.join('')}<video src="media/video${i}.mp4"></video></body></html>`, deflate: true });
  }
  const block = randomBytes(1024 * 1024);
  const perVideo = Math.floor(LARGE_BYTES / items.length);
  for (const i of items) {
    await writer.addStreamed(`media/video${i}.mp4`, perVideo, (chunk) => {
      const shift = (i * 7919 + chunk * 104729) % block.length;
      return Buffer.concat([block.subarray(shift), block.subarray(0, shift)]);
    });
  }
  await writer.close();
}

/**
 * Extraction of every shared fixture in one process, next to `unzip -o -q` of the same packages
 * to a temp folder, and each one's peak memory in a process of its own; then a generated 1 GiB
 * package, to show memory does not grow with size.
 */
export async function benchExtraction(): Promise<void> {
  if (!fs.existsSync(FIXTURES)) {
    console.log(`extraction: skipped, ${FIXTURES} is absent`);
    return;
  }
  const files = fs
    .readdirSync(FIXTURES)
    .filter((f) => /\.(zip|xml)$/.test(f))
    .map((f) => path.join(FIXTURES, f));
  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lens-bench-extract-'));
  try {
    let unzipSeconds = 0;
    for (const file of files.filter((f) => f.endsWith('.zip'))) {
      const target = path.join(work, path.basename(file));
      try {
        unzipSeconds += timeCommand('unzip', ['-o', '-q', file, '-d', target], { quiet: true });
      } catch {
        // Fixtures that are not zips make unzip fail; they cost it nothing worth counting.
      }
      fs.rmSync(target, { recursive: true, force: true });
    }
    const measured = runExtractions(files);
    const total = measured.reduce((n, m) => n + m.seconds, 0);
    // The service extracts each package in a fresh sandbox process: so is each peak measured here.
    // (In the one process above, the heap earlier packages left to V8 would count against the later.)
    const worst = files.map((file) => runExtractions([file])[0]!).reduce((a, b) => (b.peak > a.peak ? b : a));
    const slowest = measured.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    console.log(`extraction: ${files.length} fixture packages, each in one process (build/bench/extraction-runner.js)`);
    console.log('  command:  node build/bench/extraction-runner.js ../shared/fixtures/*');
    console.log('  baseline: unzip -o -q <package> -d <temp folder>, for every zip fixture');
    console.log(`  scorm-lens ${total.toFixed(2)} s   unzip ${unzipSeconds.toFixed(2)} s   ratio ${(total / unzipSeconds).toFixed(2)} (target <= 1.5)`);
    console.log(`  slowest: ${path.basename(slowest.file)} ${slowest.seconds.toFixed(2)} s`);
    console.log(`  peak RSS, each package in a fresh process as in the service's sandbox: ${mib(worst.peak)} for ${path.basename(worst.file)} (target < 250 MiB)`);

    const large = path.join(work, 'large.zip');
    await writeLargePackage(large);
    const largeTarget = path.join(work, 'large');
    const largeUnzip = timeCommand('unzip', ['-o', '-q', large, '-d', largeTarget]);
    fs.rmSync(largeTarget, { recursive: true, force: true });
    const [largeRun] = runExtractions([large]);
    console.log(`  generated ${mib(fs.statSync(large).size)} package: scorm-lens ${largeRun?.seconds.toFixed(2)} s (${largeRun?.outcome}), unzip ${largeUnzip.toFixed(2)} s, peak RSS ${mib(largeRun?.peak ?? 0)}`);
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}
