import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { extractPackage } from '../../src/extraction/extract-package.js';
import { ExtractionError } from '../../src/extraction/result/errors.js';
import type { ExtractionResult, Question } from '../../src/extraction/result/extraction-result.js';
import { fixture, haveFixtures } from '../support/fixtures.js';

// Every shared real-world package, with what a reader of the course would check: what it is, what
// it is called, how it is structured, phrases of its text, its questions and their answers.

interface Expectation {
  file: string;
  standard: ExtractionResult['package']['standard'];
  version: string;
  tool: string | null;
  title: string | null;
  /** The language the course is written in (as declared, unless its text reads otherwise). */
  language: string | null;
  items: number;
  pages: number;
  /** Exact phrases of learner text, each with the kind of page it must be on. */
  phrases: [kind: string, phrase: string][];
  questions: number;
  /** Some questions, by the start of their prompt, with their exact correct answers. */
  answers?: [prompt: string, correct: string[]][];
  warnings?: string[];
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(
  JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/extraction-result.schema.json'), 'utf8')),
);

const golfAnswers: [string, string[]][] = [
  ['When another player is attempting a shot, it is best to stand:', ["Out of the player's line of sight"]],
  ['A score of two under par on a given hole is known as a(n):', ['eagle']],
  ['A typical golf course has ____ holes', ['18']],
  ['In stableford scoring, the highest score wins.', ['true']],
];
const golfPhrases: [string, string][] = [
  ['page', 'Every round of golf is based on playing a number of holes in a given order.'],
  ['page', 'A golf handicap is a numerical measure of an amateur golfer\'s playing ability.'],
];

const expectations: Expectation[] = [
  {
    file: 'golf-scorm12-runtime-basic.zip',
    standard: 'scorm',
    version: '1.2',
    tool: null,
    title: 'Golf Explained - Run-time Basic Calls',
    language: 'en',
    items: 1,
    pages: 15,
    phrases: golfPhrases,
    questions: 15,
    answers: golfAnswers,
  },
  {
    file: 'golf-scorm12-cp-onefilepersco.zip',
    standard: 'scorm',
    version: '1.2',
    tool: null,
    title: 'Golf Explained - CP One File Per SCO',
    language: 'en',
    items: 22,
    pages: 16,
    phrases: golfPhrases,
    questions: 15,
    answers: golfAnswers,
  },
  {
    file: 'moodle-singlesco-scorm12-singlesco_scorm12.zip',
    standard: 'scorm',
    version: '1.2',
    tool: null,
    title: 'Golf Explained - CP Single SCO',
    language: 'en',
    items: 1,
    pages: 17,
    phrases: [...golfPhrases, ['page', 'Golf is a great game and if you want to look stylish as you play']],
    questions: 15,
    answers: golfAnswers,
  },
  {
    file: 'golf-scorm2004-2nd-cp-singlesco.zip',
    standard: 'scorm',
    version: '2004 2nd Edition',
    tool: null,
    title: 'Golf Explained - CP Single SCO',
    language: 'en',
    items: 1,
    pages: 16,
    phrases: golfPhrases,
    questions: 15,
    answers: golfAnswers,
  },
  {
    file: 'golf-scorm2004-3rd-cp-metadata.zip',
    standard: 'scorm',
    version: '2004 3rd Edition',
    tool: null,
    title: 'Golf Explained - Metadata Example',
    language: 'en',
    items: 1,
    pages: 16,
    phrases: golfPhrases,
    questions: 15,
    answers: golfAnswers,
  },
  {
    file: 'golf-scorm2004-3rd-seq-forced-sequential.zip',
    standard: 'scorm',
    version: '2004 3rd Edition',
    tool: null,
    title: 'Golf Explained - Sequencing Forced Order',
    language: 'en',
    items: 5,
    pages: 15,
    phrases: golfPhrases,
    questions: 15,
    answers: golfAnswers,
  },
  {
    file: 'golf-scorm2004-4th-seq-posttest-rollup.zip',
    standard: 'scorm',
    version: '2004 4th Edition',
    tool: null,
    title: 'Golf Explained - 4th Edition Features',
    language: 'en',
    items: 5,
    pages: 15,
    phrases: golfPhrases,
    questions: 15,
    answers: golfAnswers,
  },
  {
    file: 'adl-cts-2004-4th-T-01a-manifest-only.zip',
    standard: 'scorm',
    version: '2004 4th Edition',
    tool: null,
    title: 'LMS Test Content Package T-01a',
    language: null,
    items: 42,
    pages: 0,
    phrases: [],
    questions: 0,
    warnings: ['file_missing'],
  },
  {
    file: 'storyline-scorm12-text-entry.zip',
    standard: 'scorm',
    version: '1.2',
    tool: 'Articulate Storyline',
    title: 'sl-input-block-sample',
    language: null,
    items: 1,
    pages: 1,
    phrases: [['slide', 'Please type a response before selecting Save.']],
    questions: 0,
  },
  {
    file: 'storyline-scorm2004-4th-cyrillic-bom.zip',
    standard: 'scorm',
    version: '2004 4th Edition',
    tool: 'Articulate Storyline',
    title: 'Тиндер',
    language: 'ru',
    items: 1,
    pages: 14,
    phrases: [
      ['slide', 'Баланс между работой и личной жизнью'],
      ['slide', 'Интересные задачи важнее высокой зарплаты'],
    ],
    questions: 0,
  },
  {
    file: 'storyline-aicc-hacp.zip',
    standard: 'aicc',
    version: 'AICC 3.0',
    tool: 'Articulate Storyline',
    title: 'NON CLASSIFIED - SL Publish',
    language: null,
    items: 1,
    pages: 2,
    phrases: [['slide', 'CS TEST']],
    questions: 0,
  },
  {
    file: 'rise-scorm12-embedded-storyline-video.zip',
    standard: 'scorm',
    version: '1.2',
    tool: 'Articulate Rise 360',
    title: 'Video1_file',
    language: 'en',
    items: 1,
    pages: 2,
    phrases: [['lesson', 'Yes opens doors. No closes them.']],
    questions: 0,
  },
  {
    file: 'rise-xapi-interactions-pdf-partial.zip',
    standard: 'xapi',
    version: 'Tin Can (tincan.xml)',
    tool: 'Articulate Rise 360',
    title: 'How to Read Crochet Patterns',
    language: 'en-US',
    items: 9,
    pages: 12,
    phrases: [
      ['lesson', 'If you are new to crochet, this gallery will teach you how to make the most basic stitches.'],
      ['document', 'This pattern can be made to any size you would like'],
    ],
    questions: 12,
    answers: [['Drag stitch names to their matching abbreviations.', []]],
    // Partial: the export's videos were left out of the archive.
    warnings: ['file_missing'],
  },
  {
    file: 'captivate-scorm12-audio.zip',
    standard: 'scorm',
    version: '1.2',
    tool: 'Adobe Captivate',
    title: 'Simulation for Teaching using Universal Design for Learning',
    language: 'en-US',
    items: 1,
    pages: 57,
    phrases: [
      ['slide', 'Welcome to Teaching using Universal Design for Learning'],
      ['transcript', 'Robin is a first-year student at Arbor University'],
    ],
    questions: 13,
    answers: [['Universal Design for Learning is focused on the student overcoming educational barriers.', ['False']]],
  },
  {
    file: 'ispring-scorm2004-4th-quiz.zip',
    standard: 'scorm',
    version: '2004 4th Edition',
    tool: 'iSpring Suite',
    title: 'SCORM and Learning Management Systems_Noe2',
    language: 'en',
    items: 1,
    pages: 7,
    phrases: [
      ['slide', 'SCORM is a world-wide standard developed by the Advanced Distributed Learning (ADL) organization.'],
      ['slide', 'You have just identified the relationship between a SCO and a LMS.'],
    ],
    questions: 1,
    answers: [['Knowledge Check: You can answer this question.', ['Pass data between the SCO and the LMS']]],
  },
  {
    file: 'lectora19-scorm12-srt-partial.zip',
    standard: 'scorm',
    version: '1.2',
    tool: 'Lectora',
    title: 'Annual Security Awareness',
    language: 'en',
    items: 1,
    pages: 88,
    phrases: [
      ['page', 'This module covers how to identify, inform and respond to security incidents.'],
      ['transcript', 'This is Charlie, a Defence Employee'],
    ],
    questions: 11,
    answers: [
      [
        'To understand security, what are the 5 key questions you need to ask?',
        [
          'What are we trying to protect?',
          'Who are we trying to protect from?',
          'What will the impact be if harm is caused?',
          'What allows harm to be caused to these assets?',
          'What do we need to do to best protect our asset/s?',
        ],
      ],
    ],
    warnings: ['file_missing'],
  },
  {
    file: 'adapt-scorm12-mcq-ccbysa.zip',
    standard: 'scorm',
    version: '1.2',
    tool: 'Adapt Framework',
    title: 'Emerging Technologies for the Circular Economy',
    language: 'en',
    items: 1,
    pages: 3,
    phrases: [['page', 'This question is the exercise for "L02 - Circular Economy"']],
    questions: 58,
    answers: [['Question 01: The Era of R includes:', ['Repair', 'Remanufacture', 'Reuse']]],
  },
  {
    file: 'adapt-scorm12-video-vtt-partial.zip',
    standard: 'scorm',
    version: '1.2',
    tool: 'Adapt Framework',
    title: 'Information Security Compliance Training',
    language: 'en',
    items: 1,
    pages: 2,
    phrases: [
      ['page', 'provides employees with the fundamental skills & knowledge to protect confidential company & client information'],
      ['transcript', 'Sonron Engineering is responsible for the handling and protection of sensitive data'],
    ],
    questions: 6,
    answers: [['Q2. What is not a possible business impact of a malware infection?', ['Cause Colds']]],
    // Partial: the video its captions belong to was left out of the archive.
    warnings: ['file_missing'],
  },
  {
    file: 'adapt-xapi-tincan-pdf.zip',
    standard: 'xapi',
    version: 'Tin Can (tincan.xml)',
    tool: 'Adapt Framework',
    title: 'Why do we need to license?',
    language: 'en',
    items: 1,
    pages: 1,
    phrases: [['page', 'For data to be open, it should be accessible and licensed for anyone to access, use and share.']],
    questions: 5,
    answers: [
      [
        'Why does open data need to have a licence?',
        [
          'Data without a licence is not open',
          'Users may prefer not to use the data as they don’t know if there are any restrictions in its use',
          'Data without a licence might be subject to copyright',
        ],
      ],
    ],
  },
  {
    file: 'h5p-scorm12-course-presentation-quiz.zip',
    standard: 'scorm',
    version: '1.2',
    tool: 'H5P',
    title: 'A1: Professional Writing module 4',
    language: 'en-EN',
    items: 1,
    pages: 13,
    phrases: [['slide', 'Please fill in the missing words to create useful sentences:']],
    questions: 17,
    answers: [['Please fill in the missing words to complete useful questions:', ['time', 'send', 'responsible', 'How', 'company', 'When', 'task']]],
  },
  {
    file: 'exe-scorm12-multisco-es.zip',
    standard: 'scorm',
    version: '1.2',
    tool: 'eXeLearning',
    title: 'Solución de ecuaciones cuadráticas',
    language: 'es',
    items: 12,
    pages: 5,
    phrases: [['page', 'Factorizar cuadráticas, an interactive worksheet by emmzagi']],
    questions: 0,
  },
  {
    file: 'xerte-scorm2004-3rd.zip',
    standard: 'scorm',
    version: '2004 3rd Edition',
    tool: 'Xerte Online Toolkits',
    title: 'FAKEBUQUI',
    language: 'pt-BR',
    items: 1,
    pages: 24,
    phrases: [
      ['page', 'BEM-VINDO AO FAKEBUQUI'],
      ['page', 'Compartilhar - copie e redistribua o material'],
    ],
    questions: 8,
  },
  {
    file: 'catapult-cmi5-multi-au-multi_au_framed.zip',
    standard: 'cmi5',
    version: 'cmi5',
    tool: null,
    title: 'Introduction to Geology - Multi AU at Root',
    language: 'en-US',
    items: 8,
    pages: 8,
    phrases: [
      ['page', 'is an Earth science concerned with the'],
      ['page', 'Methods for relative dating were developed when geology first emerged as a natural science.'],
    ],
    questions: 5,
    answers: [
      ['How many major types of rock are there?', ['3']],
      ["What is the outermost layer of the earth's structure?", ['Crust']],
      ['Which of these are distinct physical properties of rocks?', ['Luster', 'Hardness']],
    ],
  },
  {
    file: 'catapult-lts-cmi5-1000-aus-101-one-thousand-aus.xml',
    standard: 'cmi5',
    version: 'cmi5',
    tool: null,
    title: 'CATAPULT LMS Test Course: 0002-one-thousand-aus',
    language: 'en',
    items: 1001,
    pages: 0,
    phrases: [],
    questions: 0,
  },
  {
    file: 'emp-aicc-complex.zip',
    standard: 'aicc',
    version: 'AICC 1.0',
    tool: null,
    title: 'Complex AICC Course',
    language: null,
    items: 3,
    pages: 3,
    phrases: [
      ['page', 'Intro AU'],
      ['page', 'Assessment AU'],
    ],
    questions: 0,
  },
  {
    file: 'emp-scorm2004-no-schemaversion.zip',
    standard: 'scorm',
    version: '2004 2nd Edition',
    tool: null,
    title: 'Minimal 2nd Edition No SchemaVersion',
    language: null,
    items: 1,
    pages: 0,
    phrases: [],
    questions: 0,
    warnings: ['file_missing'],
  },
  {
    file: 'moodle-singlescobasic-missingorg-singlescobasic_missingorg.zip',
    standard: 'scorm',
    version: '1.2',
    tool: null,
    title: null,
    language: null,
    items: 0,
    pages: 0,
    phrases: [],
    questions: 0,
    warnings: ['no_organization'],
  },
];

const failures: [file: string, code: string][] = [
  ['catapult-lts-not-a-zip-209-1-not-a-zip.zip', 'not_a_zip'],
  ['emp-scorm12-malformed-xml.zip', 'manifest_malformed'],
  ['moodle-badscorm-nested-manifest-badscorm.zip', 'manifest_empty'],
  ['moodle-validscorm-stub-validscorm.zip', 'manifest_empty'],
  ['moodle-invalid-no-manifest-invalid.zip', 'manifest_not_found'],
  ['moodle-validaicc-stub-validaicc.zip', 'aicc_incomplete'],
];

/** Markers of things that are never learner text: markup, code, encoded data, driver boilerplate. */
const JUNK = [/<\/?[a-z][a-z0-9]*[\s>/]/i, /\bfunction\s*[\w$]*\s*\([^)]*\)\s*\{/, /\bvar\s+\w+\s*=/, /[A-Za-z0-9+/=]{120,}/, /LMSInitialize|cmi\.core\.|SCORM_API|scormdriver/i];

/** What no reader of a course sees as its text: tools' default names, placeholders, player chrome, file names. */
const NOISE = [
  /\b(Rectangle|Rounded Rectangle|Oval|Picture|Text ?Box|Straight Arrow Connector|Freeform|Isosceles Triangle|Text_Caption|SmartShape|Highlight_Box)[ _]\d+\b/,
  /lorem ipsum|click (here )?to (add|edit)|click or tap here to play/i,
  /@score|@total|%Results\.|\$\$\w+\$\$|&_player\./,
  /^((course )?description\.?|untitled( \w+)?( \d+)?)$/i,
  /^[^\s/]+\.(js|html?|png|jpe?g|gif|mp[34]|wav|xml|json)$/i,
];

/** Every string of a result a learner would read: titles, text lines, image alt texts, questions, the description. */
function learnerStrings(result: ExtractionResult): string[] {
  const strings = [result.package.title ?? '', result.package.description ?? ''];
  for (const page of result.pages) {
    strings.push(page.title ?? '', ...page.text.split('\n'));
    for (const block of page.blocks) if (block.type === 'image') strings.push(block.alt);
  }
  for (const q of result.assessments.flatMap((a) => a.questions)) {
    strings.push(q.prompt, ...q.choices.map((c) => c.text), q.feedback.correct ?? '', q.feedback.incorrect ?? '');
  }
  return strings.filter(Boolean);
}

const findQuestion = (result: ExtractionResult, prompt: string): Question | undefined =>
  result.assessments.flatMap((a) => a.questions).find((q) => q.prompt.startsWith(prompt));

describe.skipIf(!haveFixtures)('every shared fixture', () => {
  it('has an expectation here, as an extraction or as a failure', () => {
    const covered = new Set([...expectations.map((e) => e.file), ...failures.map(([file]) => file)]);
    const present = fs.readdirSync(path.dirname(fixture('x'))).filter((f) => /\.(zip|xml)$/.test(f));
    expect(present.filter((f) => !covered.has(f))).toEqual([]);
  });

  it.each(expectations.map((e) => [e.file, e] as const))('%s', async (_file, expected) => {
    const result = await extractPackage(fixture(expected.file));
    expect(validate(result), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(result.package).toMatchObject({ standard: expected.standard, version: expected.version, title: expected.title, language: expected.language });
    expect(result.package.tool?.name ?? null).toBe(expected.tool);
    expect(result.statistics.items).toBe(expected.items);
    expect(result.pages).toHaveLength(expected.pages);
    for (const [kind, phrase] of expected.phrases) {
      const page = result.pages.find((p) => p.text.includes(phrase));
      expect(page, `"${phrase}"`).toBeDefined();
      expect(page?.kind).toBe(kind);
    }
    expect(result.statistics.questions).toBe(expected.questions);
    for (const [prompt, correct] of expected.answers ?? []) {
      const question = findQuestion(result, prompt);
      expect(question, prompt).toBeDefined();
      expect(question?.correct_answers).toEqual(correct);
    }
    expect([...new Set(result.warnings.map((w) => w.code))].sort()).toEqual((expected.warnings ?? []).sort());
    for (const page of result.pages) {
      for (const junk of JUNK) expect(page.text, `${page.source}: ${junk}`).not.toMatch(junk);
    }
    expect(learnerStrings(result).filter((text) => NOISE.some((noise) => noise.test(text.trim())))).toStrictEqual([]);
    expect(result.statistics.words).toBe(result.pages.reduce((n, p) => n + p.word_count, 0));
    for (const q of result.assessments.flatMap((a) => a.questions)) {
      expect(result.chunks.some((c) => c.text.includes(`Question: ${q.prompt}`)), q.prompt).toBe(true);
    }
    const chunked = result.chunks.flatMap((c) => c.page_ids);
    expect(new Set(chunked)).toEqual(new Set(result.pages.map((p) => p.id)));
  });

  it.each(failures)('%s fails with %s', async (file, code) => {
    const error = await extractPackage(fixture(file)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ExtractionError);
    expect((error as ExtractionError).code).toBe(code);
  });
});

describe.skipIf(!haveFixtures)('assessments of real packages', () => {
  it('keep matching pairs: xAPI interactions of the Rise crochet course', async () => {
    const result = await extractPackage(fixture('rise-xapi-interactions-pdf-partial.zip'));
    const matching = findQuestion(result, 'Drag stitch names to their matching abbreviations.');
    expect(matching?.type).toBe('matching');
    expect(matching?.matches).toEqual(expect.arrayContaining([{ source: 'Single Crochet', target: 'sc' }]));
  });

  it('attach captions to their video, with cues, even when the video file is missing', async () => {
    const result = await extractPackage(fixture('adapt-scorm12-video-vtt-partial.zip'));
    const video = result.media.find((m) => m.kind === 'video' && m.transcripts.some((t) => t.format === 'vtt'));
    expect(video?.missing).toBe(true);
    expect(result.warnings).toContainEqual({ code: 'file_missing', message: expect.any(String), path: video?.path });
    const captions = video?.transcripts.find((t) => t.format === 'vtt');
    expect(captions?.cues.length).toBeGreaterThan(5);
    expect(captions?.text).not.toContain('&nbsp;');
  });

  it('read durations from audio headers', async () => {
    const result = await extractPackage(fixture('captivate-scorm12-audio.zip'));
    const audio = result.media.filter((m) => m.kind === 'audio');
    expect(audio).toHaveLength(14);
    expect(audio.every((m) => m.duration_seconds !== null && m.duration_seconds > 0)).toBe(true);
  });
});
