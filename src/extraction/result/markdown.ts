import { blocksToMarkdown } from '../content/blocks.js';
import type { ExtractionResult, Item, Question } from './extraction-result.js';

const escape = (text: string) => text.replace(/([\\`*_[\]#|<>])/g, '\\$1');

function outline(items: Item[], depth = 0): string[] {
  return items.flatMap((item) => [`${'  '.repeat(depth)}- ${escape(item.title)}`, ...outline(item.children, depth + 1)]);
}

function question(q: Question, index: number): string {
  const lines = [`${index + 1}. ${escape(q.prompt)}`];
  for (const choice of q.choices) {
    const mark = choice.correct === true ? 'x' : ' ';
    lines.push(`   - [${mark}] ${escape(choice.text)}`);
  }
  for (const match of q.matches) lines.push(`   - ${escape(match.source)} → ${escape(match.target)}`);
  if (q.choices.length === 0 && q.correct_answers.length > 0) {
    lines.push(`   - Answer: ${q.correct_answers.map(escape).join(' / ')}`);
  }
  if (q.feedback.correct) lines.push(`   - Feedback when correct: ${escape(q.feedback.correct)}`);
  if (q.feedback.incorrect) lines.push(`   - Feedback when incorrect: ${escape(q.feedback.incorrect)}`);
  return lines.join('\n');
}

const duration = (seconds: number | null) =>
  seconds === null ? '' : `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;

/** "SCORM 2004 4th Edition", "cmi5", "AICC 3.5", "xAPI Tin Can (tincan.xml)": a version that names its standard stands alone. */
function standardText(standard: string, version: string | null): string {
  const name = STANDARD_NAMES[standard] ?? standard.toUpperCase();
  if (!version) return name;
  return version.toLowerCase().startsWith(standard.toLowerCase()) ? version : `${name} ${version}`;
}
const STANDARD_NAMES: Record<string, string> = { scorm: 'SCORM', cmi5: 'cmi5', xapi: 'xAPI', aicc: 'AICC' };

/** The whole course as one readable Markdown document: facts, outline, pages, questions, media. */
export function resultToMarkdown(result: ExtractionResult): string {
  const { package: facts } = result;
  const sections: string[] = [`# ${escape(facts.title ?? 'Untitled package')}`];
  const about = [
    `Standard: ${standardText(facts.standard, facts.version)}`,
    facts.tool ? `Authoring tool: ${facts.tool.name}${facts.tool.version ? ` ${facts.tool.version}` : ''}` : null,
    facts.language ? `Language: ${facts.language}` : null,
    `Words: ${result.statistics.words} · Pages: ${result.statistics.pages} · Questions: ${result.statistics.questions} · Reading time: ${result.statistics.reading_time_minutes} min`,
  ].filter(Boolean);
  sections.push(about.map((line) => `- ${line}`).join('\n'));
  if (facts.description) sections.push(escape(facts.description));

  const organization = result.organizations.find((o) => o.identifier === result.default_organization) ?? result.organizations[0];
  if (organization && organization.items.length > 0) sections.push(`## Outline\n\n${outline(organization.items).join('\n')}`);

  for (const page of result.pages) {
    sections.push(`## ${escape(page.title ?? page.source)}\n\n${blocksToMarkdown(page.blocks, 2)}`);
  }
  for (const assessment of result.assessments) {
    sections.push(`## Assessment: ${escape(assessment.title ?? assessment.source)}\n\n${assessment.questions.map(question).join('\n\n')}`);
  }
  if (result.media.length > 0) {
    const rows = result.media.map(
      (m) => `| ${escape(m.path)} | ${m.kind}${m.missing ? ' (missing)' : ''} | ${duration(m.duration_seconds)} | ${escape(m.alt_text ?? '')} | ${m.transcripts.length > 0 ? 'yes' : ''} |`,
    );
    sections.push(['## Media', '', '| File | Kind | Duration | Alt text | Transcript |', '| --- | --- | --- | --- | --- |', ...rows].join('\n'));
  }
  if (result.warnings.length > 0) {
    sections.push(`## Warnings\n\n${result.warnings.map((w) => `- \`${w.code}\`: ${escape(w.message)}`).join('\n')}`);
  }
  return `${sections.join('\n\n')}\n`;
}
