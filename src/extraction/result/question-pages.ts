import { blockLines } from '../content/blocks.js';
import { normalizeSpace } from '../content/text.js';
import type { Assessment, Page, Question } from './extraction-result.js';

/**
 * Finds the page that asks a question: its assessment's page, else the first page with the
 * question's prompt as a line of its own (tools often show a question on a slide and keep its
 * answers in quiz data). Undefined when no page shows it.
 */
export function questionPages(pages: Page[]): (assessment: Assessment, question: Question) => Page | undefined {
  const byId = new Map(pages.map((p) => [p.id, p]));
  const byLine = new Map<string, Page>();
  for (const page of pages) {
    for (const line of page.blocks.flatMap(blockLines)) {
      const key = normalizeSpace(line).toLowerCase();
      if (key && !byLine.has(key)) byLine.set(key, page);
    }
  }
  return (assessment, question) =>
    (assessment.page_id ? byId.get(assessment.page_id) : undefined) ?? byLine.get(normalizeSpace(question.prompt).toLowerCase());
}
