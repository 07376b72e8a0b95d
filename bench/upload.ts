import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipWriter } from '../test/support/zip-writer.js';
import { freePort } from '../test/support/ports.js';
import { median, mib, peakRssBytes, startService, stopService, timeCommand, BENCH_KEY } from './measure.js';

const PACKAGE_BYTES = 500 * 1024 * 1024;
const ENTRY_BYTES = 10 * 1024 * 1024;
const RUNS = 3;

/** A real zip of incompressible media-like entries, written without holding it in memory. */
async function writeLargePackage(file: string, totalBytes: number): Promise<void> {
  const block = randomBytes(1024 * 1024);
  const writer = new ZipWriter(file);
  await writer.add({ name: 'imsmanifest.xml', data: '<manifest identifier="bench"><organizations/><resources/></manifest>' });
  for (let i = 0; i * ENTRY_BYTES < totalBytes; i++) {
    // Each chunk is the block rotated by the entry number: deterministic and incompressible.
    await writer.addStreamed(`media/video-${i}.mp4`, ENTRY_BYTES, (chunk) => {
      const shift = (i * 7919 + chunk * 104729) % block.length;
      return Buffer.concat([block.subarray(shift), block.subarray(0, shift)]);
    });
  }
  await writer.close();
}

/**
 * Upload path: a 500 MiB package sent with curl as multipart to the running service, next to `cp`
 * of the same file on the same disk.
 */
export async function benchUpload(): Promise<void> {
  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lens-bench-upload-'));
  try {
    const packagePath = path.join(work, 'package.zip');
    await writeLargePackage(packagePath, PACKAGE_BYTES);
    const size = fs.statSync(packagePath).size;

    const copyTarget = path.join(work, 'copy.zip');
    // Every run starts with no dirty pages, so earlier runs' write-back does not slow later ones.
    const cpTimes = Array.from({ length: RUNS }, () => {
      fs.rmSync(copyTarget, { force: true });
      execFileSync('sync');
      return timeCommand('cp', [packagePath, copyTarget]);
    });
    fs.rmSync(copyTarget, { force: true });

    // The runtime's own floor: a Node stream copy of the same file, with the service's write buffer.
    const nodeCopyTimes: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      fs.rmSync(copyTarget, { force: true });
      execFileSync('sync');
      const start = process.hrtime.bigint();
      await pipeline(
        fs.createReadStream(packagePath, { highWaterMark: 4 * 1024 * 1024 }),
        fs.createWriteStream(copyTarget, { highWaterMark: 4 * 1024 * 1024 }),
      );
      nodeCopyTimes.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
    fs.rmSync(copyTarget, { force: true });

    const timeUploads = (args: string[]) =>
      Array.from({ length: RUNS }, () => {
        execFileSync('sync');
        return timeCommand('curl', args);
      });

    const barePort = await freePort();
    const bareDir = path.join(work, 'bare');
    fs.mkdirSync(bareDir);
    const bare = await startService({}, barePort, ['build/bench/bare-server.js', String(barePort), bareDir]);
    const bareTimes = timeUploads(['-sS', '--fail', '-o', '/dev/null', '-F', `file=@${packagePath}`, `http://127.0.0.1:${barePort}/upload`]);
    await stopService(bare);
    fs.rmSync(bareDir, { recursive: true, force: true });

    const port = await freePort();
    const service = await startService(
      { LENS_DATA_DIR: path.join(work, 'data'), LENS_BOOTSTRAP_API_KEY: BENCH_KEY, LENS_EMBEDDED_WORKER: 'false' },
      port,
    );
    const url = `http://127.0.0.1:${port}/v1/scorm-files/upload/`;
    const uploadTimes = timeUploads(['-sS', '--fail', '-o', '/dev/null', '-H', `X-API-KEY: ${BENCH_KEY}`, '-F', `file=@${packagePath}`, url]);
    const peak = peakRssBytes(service.pid ?? 0);
    await stopService(service);

    const upload = median(uploadTimes);
    const cp = median(cpTimes);
    const bareUpload = median(bareTimes);
    const nodeCopy = median(nodeCopyTimes);
    const rate = (seconds: number) => `${(size / 1024 / 1024 / seconds).toFixed(0)} MiB/s`;
    console.log(`upload: ${mib(size)} package, multipart over loopback (median of ${RUNS}, dirty pages written back before each run)`);
    console.log(`  command:   curl -sS -F file=@package.zip -H 'X-API-KEY: …' ${url}`);
    console.log(`  baselines: cp package.zip copy.zip; the same curl to a bare Fastify multipart route writing to disk;`);
    console.log(`             a Node stream copy of the file (fs.createReadStream -> fs.createWriteStream)`);
    console.log(`  scorm-lens ${upload.toFixed(2)} s (${rate(upload)})   cp ${cp.toFixed(2)} s   bare route ${bareUpload.toFixed(2)} s   node copy ${nodeCopy.toFixed(2)} s`);
    console.log(
      `  ratio to cp ${(upload / cp).toFixed(2)} (target <= 1.5)   to the bare route ${(upload / bareUpload).toFixed(2)}   to node copy ${(upload / nodeCopy).toFixed(2)}`,
    );
    console.log(`  peak RSS of the service ${mib(peak)} (target < 200 MiB)`);
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}
