// Extracts each package given on the command line in this one process and prints, per package, a
// JSON line with its wall time and the process's peak RSS during that extraction. The garbage
// collector is tuned as in the service's processes, where extractions run.
import '../src/infra/gc-tuning.js';
import fs from 'node:fs';
import { extractPackage } from '../src/extraction/extract-package.js';

function resetPeak(): void {
  // Writing 5 to clear_refs resets VmHWM (Linux 4.0+), so each package gets its own peak.
  fs.writeFileSync('/proc/self/clear_refs', '5');
}

function peakBytes(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

for (const file of process.argv.slice(2)) {
  resetPeak();
  const start = process.hrtime.bigint();
  let outcome = 'ok';
  try {
    const result = await extractPackage(file);
    outcome = `${result.statistics.pages} pages`;
  } catch (error) {
    outcome = (error as { code?: string }).code ?? 'error';
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(`${JSON.stringify({ file, seconds, peak: peakBytes(), outcome })}\n`);
}
