import { expect } from 'vitest';
import { blocksToText, blocksWordCount } from '../../src/extraction/content/blocks.js';
import type { Question } from '../../src/extraction/result/extraction-result.js';
import type { ToolOutput } from '../../src/extraction/tools/tool.js';

// What tests read of a decoder's output.

export const pageTexts = (output: ToolOutput): string[] => output.pages.map((p) => blocksToText(p.blocks));
export const wordCount = (output: ToolOutput): number => output.pages.reduce((sum, p) => sum + blocksWordCount(p.blocks), 0);
export const allQuestions = (output: ToolOutput): Question[] => output.assessments.flatMap((a) => a.questions);

/** The one question whose prompt contains `prompt`. */
export function questionWith(output: ToolOutput, prompt: string): Question {
  const found = allQuestions(output).filter((q) => q.prompt.includes(prompt));
  expect(found, prompt).toHaveLength(1);
  return found[0] as Question;
}
