import type { ResultFilePaths } from '../../../extraction/result/result-files.js';

/** Where an extraction writes: the result files, the launch plan, and the package's files unpacked for the player. */
export type ExtractionOutput = ResultFilePaths & { plan: string; files: string };

/** What the sandbox child is asked to do: one task, then it exits. */
export type SandboxRequest = (
  | { task: 'check'; input: string }
  | { task: 'extract'; input: string; output: ExtractionOutput }
) & {
  /** Epoch ms: past it, the child ends itself. */
  deadline: number;
  maxRssBytes: number;
};

/** The child's answer: `code` is an ExtractionError's code; null for an error of ours. */
export type SandboxReply = { ok: true; entries: number } | { ok: false; code: string | null; message: string };

export const DISK_FULL_MESSAGE = 'The server ran out of disk space while writing the result; restart the extraction once there is room.';
