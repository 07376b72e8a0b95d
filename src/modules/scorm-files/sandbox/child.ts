// The sandboxed child: the only process that opens packages. It runs one task and exits.
import fs from 'node:fs';
import { unpackPackage } from '../../../extraction/archive/unpack.js';
import { extractPackage, openPackage } from '../../../extraction/extract-package.js';
import { ExtractionError } from '../../../extraction/result/errors.js';
import { launchPlan } from '../../../extraction/result/launch-plan.js';
import { writeResultFiles } from '../../../extraction/result/result-files.js';
import { isDiskFull } from '../../../infra/storage/temp-files.js';
import { DISK_FULL_MESSAGE, type SandboxReply, type SandboxRequest } from './protocol.js';
import { startWatchdog } from './watchdog.js';

async function run(request: SandboxRequest): Promise<SandboxReply> {
  if (request.task === 'check') {
    const source = await openPackage(request.input);
    const entries = source.entries.length;
    source.close();
    return { ok: true, entries };
  }
  const result = await extractPackage(request.input);
  await writeResultFiles(result, request.output);
  const source = await openPackage(request.input);
  try {
    const { files } = await unpackPackage(source, request.output.files);
    await fs.promises.writeFile(request.output.plan, JSON.stringify(launchPlan(result, files)), { flush: true });
  } finally {
    source.close();
  }
  return { ok: true, entries: result.package.entry_count };
}

function failure(error: unknown): SandboxReply {
  if (error instanceof ExtractionError) return { ok: false, code: error.code, message: error.message };
  if (isDiskFull(error)) return { ok: false, code: 'storage_full', message: DISK_FULL_MESSAGE };
  return { ok: false, code: null, message: (error instanceof Error ? error.message : String(error)).slice(0, 2000) };
}

// The parent's death closes the channel: there is nobody left to report to.
process.once('disconnect', () => process.exit(0));
process.once('message', (request: SandboxRequest) => {
  startWatchdog({ deadline: request.deadline, maxRssBytes: request.maxRssBytes, parentPid: process.ppid });
  void run(request)
    .catch(failure)
    .then((reply) => process.send?.(reply, () => process.disconnect()));
});
