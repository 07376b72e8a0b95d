import { benchExtraction } from './extraction.js';
import { benchHostile } from './hostile.js';
import { benchRuntime } from './runtime.js';
import { benchStatements } from './statements.js';
import { benchTracking } from './tracking.js';
import { benchUpload } from './upload.js';

// `npm run bench`: each benchmark measures a baseline in the same run and prints the ratio.
const benchmarks: Record<string, () => Promise<void>> = { upload: benchUpload, extraction: benchExtraction, hostile: benchHostile, tracking: benchTracking, runtime: benchRuntime, statements: benchStatements };

const selected = process.argv.slice(2);
for (const [name, run] of Object.entries(benchmarks)) {
  if (selected.length > 0 && !selected.includes(name)) continue;
  await run();
  console.log('');
}
