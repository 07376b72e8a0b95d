import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapt } from '../../../src/extraction/tools/adapt/index.js';
import { h5p } from '../../../src/extraction/tools/h5p/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { haveFixtures } from '../../support/fixtures.js';
import { memoryView } from '../../support/memory-source.js';
import { openFixtureView } from '../../support/views.js';
import { allQuestions, pageTexts, questionWith } from '../../support/tool-output.js';

/**
 * Learner text must be prose: no markup, code, data or unbroken runs. `authored` removes passages
 * the course itself shows as code (checked against the package) before the check.
 */
function expectCleanText(output: ToolOutput, authored: RegExp[] = []): void {
  for (const page of pageTexts(output)) {
    const text = authored.reduce((t, passage) => t.replace(passage, ''), page);
    expect(text).not.toMatch(/[<{]/);
    // As code: the crypto quiz rightly speaks of "a hash function" in prose.
    expect(text).not.toMatch(/\bfunction\s*[\w$]*\s*\([^)]*\)\s*\{/);
    expect(text).not.toMatch(/\bvar\s+[\w$]+\s*[=;,]/);
    expect(text).not.toMatch(/\S{60,}/);
  }
}

async function extractFixture(name: string) {
  const opened = await openFixtureView(name);
  try {
    return { detection: await adapt.detect(opened.view), h5p: await h5p.detect(opened.view), output: await adapt.extract(opened.view), warnings: opened.warnings };
  } finally {
    opened.close();
  }
}

describe.skipIf(!haveFixtures)('Adapt decoder on real exports', () => {
  describe('adapt-scorm12-mcq-ccbysa', () => {
    let result: Awaited<ReturnType<typeof extractFixture>>;
    beforeAll(async () => {
      result = await extractFixture('adapt-scorm12-mcq-ccbysa.zip');
    });

    it('detects the framework and its version, and is not taken for H5P', () => {
      expect(result.detection).toEqual({ version: '5.33.7' });
      expect(result.h5p).toBeNull();
    });

    it('reads one page per content object, in order, with course facts', () => {
      const { output } = result;
      expect(output.pages.map((p) => [p.title, p.kind, p.source])).toEqual([
        ['E01: Prior Knowledge', 'page', 'course/en/contentObjects.json'],
        ['E02: Circular Economy', 'page', 'course/en/contentObjects.json'],
        ['E08: Blockchain Technology', 'page', 'course/en/contentObjects.json'],
      ]);
      expect(output.title).toBe('Emerging Technologies for the Circular Economy');
      expect(output.language).toBe('en');
      expect(output.description).toContain('multiple-choice exercises');
    });

    it('puts question text in the page it belongs to', () => {
      const [e01, e02, e08] = pageTexts(result.output);
      expect(e01).toContain('Block ciphers are used in symmetric cryptography to encrypt and decrypt data.');
      expect(e01).toContain('You must answer at least half the questions correctly to pass the exercise.');
      expect(e02).toContain('The Linear Economy is often briefly described as:');
      expect(e08).toContain('Question 01: Blockchain is the same as Bitcoin');
      expect(e08).not.toContain('Block ciphers are used');
      // The mcq instruction ("Choose ... then select Submit.") and results templates are player text.
      expect(pageTexts(result.output).join('\n')).not.toMatch(/Submit|\{\{|Retry Assessment|You scored/);
      // Question 29 asks what a Python literal is: the course shows `[({'uuid': ...}, 45.5), ...]` as is.
      expect(e01).toContain("Question 29: [({'uuid': '00000000', 'timestamp': 1618047000,");
      expectCleanText(result.output, [/Question 29: \[\(\{'uuid'.*\}, 0\.0\)\]/]);
    });

    it('finds the 58 MCQs as one assessment per assessment article', () => {
      const { output } = result;
      expect(allQuestions(output)).toHaveLength(58);
      expect(output.assessments.map((a) => [a.title, a.pageIndex, a.passingScore, a.questions.length])).toEqual([
        ['Exercise', 0, 50, 29],
        ['E02: Circular Economy', 1, 50, 12],
        ['E08: Blockchain Technology', 2, 50, 17],
      ]);
      expect(new Set(allQuestions(output).map((q) => q.id)).size).toBe(58);
    });

    it('reads the correct answers from _shouldBeSelected', () => {
      const { output } = result;
      const modes = questionWith(output, 'Which of the following block cipher modes provide authenticated encryption?');
      expect(modes.type).toBe('multiple_response');
      expect(modes.correct_answers).toEqual(['OCB', 'CCM', 'GCM', 'SIV']);
      expect(modes.choices).toHaveLength(8);
      expect(modes.points).toBe(1);
      expect(questionWith(output, 'The Linear Economy is often briefly described as:').correct_answers).toEqual(['Take-Make-Dispose']);
      const md5 = questionWith(output, 'Is hashing data with MD5 a good way');
      expect(md5.type).toBe('choice');
      expect(md5.correct_answers).toEqual(['No, it is not a good way']);
      expect(questionWith(output, 'Blockchains store data in the form of').correct_answers).toEqual(['Block']);
    });
  });

  describe('adapt-scorm12-video-vtt-partial', () => {
    let result: Awaited<ReturnType<typeof extractFixture>>;
    beforeAll(async () => {
      result = await extractFixture('adapt-scorm12-video-vtt-partial.zip');
    });

    it('detects the framework', () => {
      expect(result.detection).toEqual({ version: '5.18.1' });
      expect(result.h5p).toBeNull();
    });

    it('reads text, accordion, narrative, hotgraphic and stacklist text in reading order', () => {
      const { output } = result;
      expect(output.pages).toHaveLength(1);
      expect(output.pages[0]?.title).toBe('Sonron');
      const text = pageTexts(output)[0] ?? '';
      const phrases = [
        'provides employees with the fundamental skills & knowledge to protect confidential company & client information',
        'Who collaboratively plan, coordinate, and conduct criminal acts.',
        'The CovidLock ransomware infected victims with malicious files',
        'Spelling mistakes, such as, misspelt names or URL links that are oddly formatted, should raise concerns.',
        'Politely refuse requests to help gain access.',
        'Q5. Select the appropriate reporting action for each scenario.',
        'Demonstrate proper security procedures for data breaches or security incidents.',
      ];
      const positions = phrases.map((p) => text.indexOf(p));
      expect(positions.every((p) => p >= 0), JSON.stringify(positions)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      // Blank components, internal titles and player labels stay out.
      expect(text).not.toMatch(/comp-blank|comp-text|Show Transcript|Submit Your Action|Reset Scenario|Continue|Retry Assessment/);
      expectCleanText(output);
    });

    it('groups the knowledge quiz and keeps the practice scenario as a page check', () => {
      const { output } = result;
      expect(allQuestions(output)).toHaveLength(6);
      const quiz = output.assessments.find((a) => a.title === 'Knowledge Quiz');
      expect(quiz?.passingScore).toBe(80);
      expect(quiz?.source).toBe('course/en/articles.json');
      expect(quiz?.questions.map((q) => q.type)).toEqual(['choice', 'choice', 'choice', 'choice', 'matching']);
      const practice = output.assessments.find((a) => a.title === 'Sonron');
      expect(practice?.questions).toHaveLength(1);
      expect(practice?.questions[0]?.correct_answers[0]).toMatch(/^You politely respond/);
    });

    it('reads answers, matching pairs and feedback', () => {
      const { output } = result;
      const q2 = questionWith(output, 'What is not a possible business impact of a malware infection?');
      expect(q2.correct_answers).toEqual(['Cause Colds']);
      expect(q2.feedback.correct).toContain('It is not a biological virus like the common cold.');
      expect(q2.choices.find((c) => c.text === 'Enable Fraud')?.feedback).toBe('Incorrect. Malware can impact the business by enabling fraud.');
      const q5 = questionWith(output, 'Select the appropriate reporting action for each scenario.');
      expect(q5.matches).toEqual([
        {
          source: 'Helped a stranger access your apartment building after they forgot their security pass.',
          target: 'Report to the appropriate non-Sonron authority or service.',
        },
        { source: 'Misplaced a USB drive with work-related data.', target: 'Report to Sonron IT Security.' },
      ]);
      expect(q5.feedback.incorrect).toMatch(/^Better luck next time!/);
      const gmcq = questionWith(output, 'Which image depicts the social engineering technique of phishing?');
      expect(gmcq.choices.map((c) => c.correct)).toEqual([true, false]);
    });

    it('attaches the .vtt captions and the inline transcript to the video', () => {
      const video = result.output.media.find((m) => m.path === 'course/en/assets/2b99b968b61e3f522cd75ff5185dbf9ca36cebd6.mp4');
      expect(video?.captions).toEqual(['course/en/assets/4c1e820d21897d6289518864d19a86e676e96190.vtt']);
      expect(video?.transcript?.language).toBe('en');
      expect(video?.transcript?.text).toContain('Sonron Engineering is responsible for the handling and protection of sensitive data');
      expect(video?.transcript?.text).toContain('But our strongest line of defense is YOU.');
      expect(result.output.media.some((m) => m.path === 'course/en/assets/7a596b276269a7f14b1392fd7cfce941127c6cb1.png')).toBe(true);
    });
  });

  describe('adapt-xapi-tincan-pdf', () => {
    let result: Awaited<ReturnType<typeof extractFixture>>;
    beforeAll(async () => {
      result = await extractFixture('adapt-xapi-tincan-pdf.zip');
    });

    it('detects the framework', () => {
      expect(result.detection).toEqual({ version: '5.22.3' });
      expect(result.h5p).toBeNull();
    });

    it('reads the page, its accordions and its media text', () => {
      const { output } = result;
      expect(output.pages.map((p) => p.title)).toEqual(['Why do we need to license?']);
      const text = pageTexts(output)[0] ?? '';
      expect(text).toContain('The UK Government uses the Open Government Licence (OGL).');
      expect(text).toContain('Public domain: (CC0)');
      expect(text).toContain('ODI Policy Lead Ellen Broad explains why we need open data licences');
      expect(text).not.toMatch(/click 'Submit'|Component title/);
      expect(output.description).toContain('The NICS is committed to becoming more open and transparent');
      expectCleanText(output);
    });

    it('reads the 4 mcq and the matching question with their answers', () => {
      const { output } = result;
      expect(output.assessments.map((a) => [a.title, a.questions.length, a.passingScore])).toEqual([
        ['Content', 1, 60],
        ['Types of licences', 3, 60],
        ['Licensing and third parties', 1, 60],
      ]);
      const why = questionWith(output, 'Why does open data need to have a licence?');
      expect(why.type).toBe('multiple_response');
      expect(why.correct_answers).toEqual([
        'Data without a licence is not open',
        'Users may prefer not to use the data as they don’t know if there are any restrictions in its use',
        'Data without a licence might be subject to copyright',
      ]);
      expect(why.feedback.incorrect).toMatch(/^Are you sure\?/);
      const ogl = questionWith(output, 'sort the following conditions into the three boxes');
      expect(ogl.type).toBe('matching');
      expect(ogl.matches).toContainEqual({ source: 'Claim endorsement for the work', target: "You can't" });
      expect(ogl.matches).toContainEqual({ source: 'Attribute the data provider', target: 'You must' });
      expect(ogl.choices.map((c) => c.text)).toEqual(['You can', 'You must', "You can't"]);
      expect(questionWith(output, 'What licence does Ireland’s open data portal use?').correct_answers).toEqual(['Creative Commons Attribution']);
    });

    it('gives no media hint for the external Vimeo video but lists the course images', () => {
      const { media } = result.output;
      expect(media.some((m) => /vimeo/.test(m.path))).toBe(false);
      expect(media.map((m) => m.path)).toContain('course/en/assets/8069d2a4618084e967165ac7f06b4750e01098da.png');
    });
  });
});

const json = (value: unknown) => JSON.stringify(value);

describe('Adapt decoder on other layouts', () => {
  const course = (lang: string) => [
    { _type: 'course', _id: 'course', title: `Course ${lang}`, body: '<p>Welcome.</p>', _globals: { _components: { _mcq: { ariaRegion: 'Multiple choice question' } } } },
  ];
  const contentObjects = [
    { _id: 'm1', _parentId: 'course', _type: 'menu', title: 'Module 1', body: '<p>About module one.</p>' },
    { _id: 'p2', _parentId: 'm1', _type: 'page', title: 'Second page', _sortOrder: 2 },
    { _id: 'p1', _parentId: 'm1', _type: 'page', title: 'First page', displayTitle: 'First page', _sortOrder: 1 },
    { _id: 'p3', _parentId: 'course', _type: 'page', title: 'Hidden page', _isAvailable: false },
  ];
  const articles = [
    { _id: 'a1', _parentId: 'p1', _type: 'article', displayTitle: 'Facts' },
    { _id: 'a2', _parentId: 'p2', _type: 'article', title: 'Final check', _assessment: { _isEnabled: true, _id: 'final', _scoreToPass: 2, _isPercentageBased: false } },
  ];
  const blocks = [
    { _id: 'b1', _parentId: 'a1', _type: 'block', displayTitle: 'Tabs' },
    { _id: 'b2', _parentId: 'a2', _type: 'block' },
  ];
  const components = [
    {
      _id: 'c1', _parentId: 'b1', _type: 'component', _component: 'tabs', title: 'comp-tabs',
      _items: [{ tabTitle: 'Alpha', body: '<p>Alpha {{_globals._accessibility._ariaLabels.next}}body text.</p>', _graphic: { src: 'course/fr/assets/a.png', alt: 'An alpha chart' } }],
    },
    {
      _id: 'c2', _parentId: 'b2', _type: 'component', _component: 'textinput', body: '<p>Capital of France?</p>', _questionWeight: 2,
      instruction: 'Type your answer and then select Submit.', _items: [{ prefix: 'Answer', _answers: ['Paris', 'paris'] }],
      _buttons: { _submit: { buttonText: 'Submit' } },
    },
    {
      _id: 'c3', _parentId: 'b2', _type: 'component', _component: 'slider', displayTitle: 'How many legs has a spider?', _questionWeight: 2,
      _scaleStart: 1, _scaleEnd: 10, _correctAnswer: '8', labelStart: 'Few', labelEnd: 'Many',
    },
    {
      _id: 'c4', _parentId: 'b2', _type: 'component', _component: 'media', displayTitle: 'Talk',
      _media: { mp3: 'course/fr/assets/talk.mp3', cc: [{ srclang: 'fr', src: 'course/fr/assets/talk.vtt' }] },
      _transcript: { _inlineTranscript: true, inlineTranscriptButton: 'Show transcript', inlineTranscriptBody: '<p>Bonjour à tous.</p>' },
    },
  ];
  const files: Record<string, string> = {
    'index.html': '<html></html>',
    'adapt/js/adapt.min.js': '',
    'adapt/js/build.min.js': json({ jsonext: 'txt', package: { name: 'adapt_framework', version: '5.40.0' } }),
    'course/config.txt': json({ _defaultLanguage: 'fr' }),
    'course/en/course.txt': json(course('en')),
    'course/fr/language_data_manifest.js': json(['course.txt', 'contentObjects.txt', 'parts.txt', 'components.txt']),
    'course/fr/course.txt': json(course('fr')),
    'course/fr/contentObjects.txt': json(contentObjects),
    'course/fr/parts.txt': json([...articles, ...blocks]),
    'course/fr/components.txt': json(components),
    'course/fr/assets/a.png': 'png',
  };
  const view = memoryView(files, [{ identifier: 'item1', title: 'Course', launch: 'index.html' }]);
  let output: ToolOutput;
  beforeAll(async () => {
    output = await adapt.extract(view);
  });
  afterAll(() => {
    expect(view.warnings).toEqual([]);
  });

  it('reads the default language from a manifest of .txt files', async () => {
    expect(await adapt.detect(view)).toEqual({ version: '5.40.0' });
    expect(await h5p.detect(view)).toBeNull();
    expect(output.language).toBe('fr');
    expect(output.title).toBe('Course fr');
  });

  it('follows menus and _sortOrder, skips unavailable pages', () => {
    expect(output.pages.map((p) => [p.title, p.kind, p.itemId])).toEqual([
      ['Module 1', 'section', 'item1'],
      ['First page', 'page', 'item1'],
      ['Second page', 'page', 'item1'],
    ]);
    const first = pageTexts(output)[1] ?? '';
    expect(first).toContain('Alpha');
    expect(first).toContain('Alpha body text.');
    expect(first).toContain('[Image: An alpha chart]');
    expect(first).not.toContain('comp-tabs');
  });

  it('reads text input, slider and media components', () => {
    expect(output.assessments).toHaveLength(1);
    const assessment = output.assessments[0];
    expect(assessment?.title).toBe('Final check');
    expect(assessment?.pageIndex).toBe(2);
    expect(assessment?.passingScore).toBe(50);
    const [input, slider] = assessment?.questions ?? [];
    expect(input).toMatchObject({ type: 'fill_in', prompt: 'Capital of France?', correct_answers: ['Paris', 'paris'], points: 2 });
    expect(slider).toMatchObject({ type: 'other', prompt: 'How many legs has a spider?', correct_answers: ['8'] });
    const second = pageTexts(output)[2] ?? '';
    expect(second).not.toMatch(/Submit|Show transcript|Bonjour/);
    expect(output.media).toContainEqual({
      path: 'course/fr/assets/talk.mp3',
      captions: ['course/fr/assets/talk.vtt'],
      transcript: { language: 'fr', text: 'Bonjour à tous.', cues: [] },
    });
    expect(output.media).toContainEqual({ path: 'course/fr/assets/a.png', altText: 'An alpha chart' });
  });

  it('does not claim a folder without Adapt code', async () => {
    const bare = memoryView({ 'course/en/course.json': '{}' });
    expect(await adapt.detect(bare)).toBeNull();
  });
});
