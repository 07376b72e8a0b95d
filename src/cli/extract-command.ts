import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { extractPackage } from '../extraction/extract-package.js';
import { ExtractionError } from '../extraction/result/errors.js';
import type { ExtractionResult } from '../extraction/result/extraction-result.js';
import { resultToMarkdown } from '../extraction/result/markdown.js';
import { plural } from '../extraction/content/text.js';

export const EXTRACT_USAGE = `Usage: scorm-lens extract <package.zip | folder | cmi5.xml> [-o result.json] [--markdown result.md]

Extracts what a package says. Writes the JSON result to stdout, or to -o; --markdown also writes
a readable Markdown rendering. A file name of - is stdout (for one of the two). Ends with a
one-line summary on stderr; exits 1 with a one-line reason when the package cannot be read.`;

const STEPS = ['open', 'structure', 'content', 'documents', 'media', 'chunks', 'done'];

/** A one-line progress bar on stderr, drawn only when stderr is a terminal. */
function progressBar(stream: NodeJS.WriteStream): (step: string, fraction: number) => void {
  if (!stream.isTTY) return () => undefined;
  return (step, fraction) => {
    const index = Math.max(0, STEPS.indexOf(step));
    const overall = Math.min(1, (index + fraction) / (STEPS.length - 1));
    const width = 30;
    const filled = Math.round(overall * width);
    stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(Math.round(overall * 100)).padStart(3)}% ${step.padEnd(10)}`);
    if (step === 'done') stream.write('\n');
  };
}

/** The line a finished extraction ends with: what the package is and what came out of it. */
export function summaryLine(result: ExtractionResult, seconds: number): string {
  const { package: facts, statistics } = result;
  const tool = facts.tool ? [facts.tool.name, facts.tool.version].filter(Boolean).join(' ') : 'no known authoring tool';
  return [
    `${facts.standard} ${facts.version ?? ''}`.trim(),
    tool,
    plural(statistics.pages, 'page'),
    plural(statistics.questions, 'question'),
    plural(result.warnings.length, 'warning'),
    `${seconds.toFixed(1)} s`,
  ].join(' · ');
}

/** `scorm-lens extract`: returns the process exit code. */
export async function extractCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { output: { type: 'string', short: 'o' }, markdown: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${EXTRACT_USAGE}\n`);
    return 2;
  }
  const [input, ...extra] = parsed.positionals;
  const { output = '-', markdown } = parsed.values;
  if (parsed.values.help || !input || extra.length > 0 || (markdown === '-' && output === '-' && parsed.values.output !== undefined)) {
    process.stderr.write(`${EXTRACT_USAGE}\n`);
    return parsed.values.help ? 0 : 2;
  }
  const write = (target: string, text: string) => (target === '-' ? void process.stdout.write(text) : fs.promises.writeFile(target, text));
  try {
    const started = process.hrtime.bigint();
    const result = await extractPackage(input, { onProgress: progressBar(process.stderr) });
    // The Markdown alone goes to stdout when it is asked for there and the JSON was not.
    if (!(markdown === '-' && parsed.values.output === undefined)) await write(output, `${JSON.stringify(result, null, 2)}\n`);
    if (markdown !== undefined) await write(markdown, resultToMarkdown(result));
    process.stderr.write(`${summaryLine(result, Number(process.hrtime.bigint() - started) / 1e9)}\n`);
    return 0;
  } catch (error) {
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (error instanceof ExtractionError) {
      process.stderr.write(`error: ${error.code}: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
}
