import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get } from '../support/api.js';
import { startHarness, type Harness } from '../support/harness.js';

// The document as clients get it, written where the lint configuration (redocly.yaml and its
// ignore file, at the repository's root) names it.
const OUTPUT = path.resolve('test-output/openapi');
const DOCUMENT = path.join(OUTPUT, 'openapi.json');

let harness: Harness;
let document: { paths: Record<string, Record<string, { responses: Record<string, unknown>; operationId?: string }>> };

beforeAll(async () => {
  harness = await startHarness({ env: { LENS_PUBLIC_URL: 'https://lens.test' } });
  const response = await get(harness.app, undefined, '/openapi.json');
  expect(response.statusCode).toBe(200);
  document = response.json();
  fs.mkdirSync(OUTPUT, { recursive: true });
  fs.writeFileSync(DOCUMENT, JSON.stringify(document, null, 2));
});
afterAll(() => harness?.close());

describe('the API document', () => {
  it('passes the recommended OpenAPI lint rules with no problem', async () => {
    const cli = path.resolve('node_modules/@redocly/cli/bin/cli.js');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'lint', DOCUMENT, '--format=json', '--max-problems=1000'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout: string }) => error);
    const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string; location: { pointer: string }[] }[] };
    const problems = report.problems.map((problem) => `${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('describes the JSON API only, with the refusals of the progress API in its envelope', () => {
    expect(Object.keys(document.paths).filter((url) => !url.startsWith('/v1/') && url !== '/health/')).toEqual([]);
    expect(Object.keys(document.paths)).toContain('/v1/downloads/{path}');
    const summaryList = document.paths['/v1/summary/list/{userId}']!.get!;
    expect(Object.keys(summaryList.responses)).toEqual(['200', '400', '401', '403', '500', '503']);
    // Any body can be too large: every operation that takes one documents 413.
    const withBody = Object.values(document.paths).flatMap((operations) => Object.values(operations).filter((operation) => 'requestBody' in operation));
    expect(withBody.filter((operation) => !('413' in operation.responses)).map((operation) => operation.operationId)).toEqual([]);
    expect(Object.keys(document.paths['/v1/view/start']!.post!.responses)).toEqual(['200', '400', '401', '403', '413', '415', '500', '503']);
    expect(summaryList.responses['403']).toEqual({ description: expect.any(String), content: { 'application/json': { schema: { $ref: '#/components/schemas/ProgressError' } } } });
  });

  it('generates a TypeScript client whose typed calls compile, and whose wrong calls do not', async () => {
    fs.writeFileSync(path.join(OUTPUT, 'api.ts'), astToString(await openapiTS(JSON.stringify(document))));
    // Each @ts-expect-error is a mistake the generated types must catch: it fails the compile when they do not.
    fs.writeFileSync(
      path.join(OUTPUT, 'client.ts'),
      `import type { components, operations, paths } from './api.js';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type Upload = Json<paths['/v1/scorm-files/upload/']['post']['responses']['200']>;
export const fileId = (answer: Upload): number => answer.scorm_file_id;
export const extractionIds = (file: Json<operations['getScormFile']['responses']['200']>): number[] => file.content_extractions.map((e) => e.id);
export const markdown = (answer: operations['getContentExtractionMarkdown']['responses']['200']['content']['text/markdown']): string => answer;
export const refusal = (error: components['schemas']['ErrorBody']): string => error.code;
export const download: operations['downloadStoredResult']['parameters']['path'] = { path: 'results/1/result.json' };

type Submit = NonNullable<paths['/v1/assessment/submit']['post']['requestBody']>['content']['application/json'];
export const events: Submit['request']['assessments'] = [
  { questionId: 'q1', score: 1, maxScore: 1, assessmentTs: 1700000000000 },
  { eid: 'ASSESS', ets: 1700000000000, edata: { item: { id: 'q2', maxscore: 2 }, score: 1 } },
];
// @ts-expect-error a plain event needs its score
export const unscored: Submit['request']['assessments'] = [{ questionId: 'q1', maxScore: 1, assessmentTs: 1 }];

type Summaries = Json<operations['summaryList']['responses']['200']>;
export const progress = (answer: Summaries): number[] => answer.result.summary.map((s) => s.progress);
export const forbidden = (answer: Json<operations['summaryList']['responses']['403']>): 'failed' => answer.params.status;
// @ts-expect-error a summary has no score of its own: scores are per assessment
export const score = (answer: Summaries): number => answer.result.summary[0].score;
`,
    );
    const program = ts.createProgram([path.join(OUTPUT, 'client.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      types: [],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});
