import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBigResult, writeCommentBomb, writeDocxBomb, writeManyItems, writePdfBomb } from '../test/support/hostile-packages.js';
import { freePort } from '../test/support/ports.js';
import { watchService, type WatchReport } from '../test/support/process-watch.js';
import { mib, startService, stopService, BENCH_KEY } from './measure.js';

const FIXTURES = path.resolve('../shared/fixtures');
const TERMINAL = new Set(['content_extraction_completed', 'content_extraction_failed', 'failed']);

/**
 * Uploads every package at once to a fresh service (five jobs at a time) and waits until each has
 * settled, watching the memory of the service and of its sandboxes and the time /health/ takes.
 */
async function uploadAll(work: string, files: string[]): Promise<{ report: WatchReport; seconds: number; outcomes: string[] }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const service = await startService(
    { LENS_DATA_DIR: path.join(work, `data-${port}`), LENS_BOOTSTRAP_API_KEY: BENCH_KEY, LENS_WORKER_CONCURRENCY: '5', LENS_EXTRACTION_MEMORY_MB: '1536' },
    port,
  );
  const watch = watchService(service.pid ?? 0, baseUrl);
  const start = performance.now();
  const headers = { 'x-api-key': BENCH_KEY };
  const ids = await Promise.all(
    files.map(async (file) => {
      const form = new FormData();
      form.append('file', await fs.openAsBlob(file), path.basename(file));
      const response = await fetch(`${baseUrl}/v1/scorm-files/upload/`, { method: 'POST', headers, body: form });
      return ((await response.json()) as { scorm_file_id: number }).scorm_file_id;
    }),
  );
  const outcomes: string[] = [];
  for (const id of ids) {
    for (;;) {
      const file = (await (await fetch(`${baseUrl}/v1/scorm-files/${id}/`, { headers })).json()) as { status: string; remark: string };
      if (TERMINAL.has(file.status)) {
        outcomes.push(`${file.status}${file.status === 'content_extraction_completed' ? '' : ` ${/\[(\w+)\]$/.exec(file.remark)?.[1] ?? ''}`}`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const report = await watch.stop();
  await stopService(service);
  return { report, seconds, outcomes };
}

function print(label: string, run: Awaited<ReturnType<typeof uploadAll>>): void {
  const { report } = run;
  console.log(
    `  ${label.padEnd(9)} API peak RSS ${mib(report.peakRssBytes).padStart(8)}   largest sandbox ${mib(report.peakChildRssBytes).padStart(9)}   ` +
      `/health/ slowest ${report.slowestHealthMs.toFixed(0)} ms (${report.failedHealthChecks} failed of ${report.healthChecks})   ${run.seconds.toFixed(1)} s`,
  );
}

/**
 * The hostile set (a 150 MB comment bomb, a DOCX bomb, a PDF bomb, a 250k-item manifest and a
 * package whose result is some 300 MB) uploaded at once, next to the ordinary fixtures uploaded
 * the same way: the service's memory should not tell them apart.
 */
export async function benchHostile(): Promise<void> {
  const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'lens-bench-hostile-'));
  try {
    const hostile = ['comments.zip', 'docx-bomb.zip', 'pdf-bomb.zip', 'items.zip', 'big-result.zip'].map((name) => path.join(work, name));
    await writeCommentBomb(hostile[0]!);
    await writeDocxBomb(hostile[1]!);
    await writePdfBomb(hostile[2]!);
    await writeManyItems(hostile[3]!);
    await writeBigResult(hostile[4]!);
    const fixtures = fs.readdirSync(FIXTURES).filter((f) => /\.(zip|xml)$/.test(f)).map((f) => path.join(FIXTURES, f));

    const ordinary = await uploadAll(work, fixtures);
    const attack = await uploadAll(work, hostile);
    console.log(`hostile packages: uploaded at once to \`node build/src/main.js serve\` (5 jobs at a time, 1536 MB per sandbox)`);
    console.log(`  baseline: the ${fixtures.length} packages of ../shared/fixtures uploaded the same way`);
    print('fixtures', ordinary);
    print('hostile', attack);
    console.log(`  outcomes: ${hostile.map((file, i) => `${path.basename(file)} ${attack.outcomes[i]}`).join(', ')}`);
    console.log(`  API peak RSS ratio hostile / fixtures ${(attack.report.peakRssBytes / ordinary.report.peakRssBytes).toFixed(2)} (target: API < 300 MiB, /health/ < 200 ms)`);
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}
