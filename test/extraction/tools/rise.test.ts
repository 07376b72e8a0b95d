import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanText } from '../../../src/extraction/content/text.js';
import type { Question } from '../../../src/extraction/result/extraction-result.js';
import { decodeCoursePayload } from '../../../src/extraction/tools/rise/course-data.js';
import { rise } from '../../../src/extraction/tools/rise/index.js';
import { storyline } from '../../../src/extraction/tools/storyline/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { haveFixtures } from '../../support/fixtures.js';
import { memoryView } from '../../support/memory-source.js';
import { provideData } from '../../support/storyline-data.js';
import { openFixtureView } from '../../support/views.js';
import { allQuestions, pageTexts, wordCount } from '../../support/tool-output.js';

const question = (output: ToolOutput, id: string): Question => {
  const found = allQuestions(output).find((q) => q.id === id);
  expect(found, id).toBeDefined();
  return found as Question;
};

/** Learner text is prose: no markup, code, data or unbroken runs. */
function expectCleanText(output: ToolOutput): void {
  for (const text of pageTexts(output)) {
    expect(text).not.toMatch(/[<>{}]/);
    expect(text).not.toMatch(/\bfunction\b/);
    expect(text).not.toMatch(/\bvar /);
    expect(text).not.toMatch(/base64|eyJjb3Vyc2Ui/i);
    expect(text).not.toMatch(/\S{40,}/);
    // Player chrome of Rise's "continue" dividers.
    expect(text).not.toMatch(/\bCONTINUE\b|Complete the content above/);
  }
}

async function extractFixture(name: string, base = '') {
  const opened = await openFixtureView(name, { base });
  try {
    return {
      view: opened.view,
      detection: await rise.detect(opened.view),
      storyline: await storyline.detect(opened.view),
      output: await rise.extract(opened.view),
      tincan: opened.view.has('tincan.xml') ? await opened.view.text('tincan.xml') : undefined,
      present: (path: string) => opened.view.has(path),
      warnings: opened.warnings,
    };
  } finally {
    opened.close();
  }
}

/** The correct responses tincan.xml declares per interaction id, as texts (its own encoding quirks undone). */
function tincanAnswers(xml: string): Map<string, { type: string; correct: string[] }> {
  const answers = new Map<string, { type: string; correct: string[] }>();
  const description = (body: string, id: string) => {
    const component = new RegExp(`<id>${id}</id>\\s*<description[^>]*>([^<]*)</description>`).exec(body)?.[1] ?? '';
    return cleanText(cleanText(component)).replace(/>$/, '');
  };
  for (const match of xml.matchAll(/<activity id="[^"]*\/([^"/]+)" type="[^"]*cmi\.interaction">([\s\S]*?)<\/activity>/g)) {
    const [, id = '', body = ''] = match;
    const type = /<interactionType>(\w+)<\/interactionType>/.exec(body)?.[1] ?? '';
    const patterns = [...body.matchAll(/<correctResponsePattern>([^<]+)<\/correctResponsePattern>/g)].map((m) => m[1] ?? '');
    const correct = patterns.map((p) =>
      p
        .split('[.]')
        .map((part) => description(body, part))
        .join(' => '),
    );
    answers.set(id, { type, correct });
  }
  return answers;
}

describe.skipIf(!haveFixtures)('Rise decoder on real exports', () => {
  describe('rise-scorm12-embedded-storyline-video', () => {
    let result: Awaited<ReturnType<typeof extractFixture>>;
    beforeAll(async () => {
      result = await extractFixture('rise-scorm12-embedded-storyline-video.zip');
    });

    it('detects Rise under scormcontent/, and the package is not taken for Storyline', () => {
      expect(result.detection).toEqual({ version: null });
      expect(result.storyline).toBeNull();
      expect(result.output.title).toBe('Video1_file');
      expect(result.output.description).toBe('gvnbvn');
      expect(result.output.language).toBe('en');
    });

    it('reads the lesson, then the embedded Storyline slide with paths re-prefixed', () => {
      const { output } = result;
      expect(output.pages.map((p) => [p.title, p.kind, p.source])).toEqual([
        ['cghgh', 'lesson', 'scormcontent/index.html'],
        ['Test_mob', 'slide', 'scormcontent/assets/F-mFiATo6u5NY-n9/html5/data/js/5aWehyVNec9.js'],
      ]);
      const lesson = output.pages[0];
      expect(lesson?.blocks[0]).toMatchObject({ type: 'list', ordered: true });
      const [text] = pageTexts(output);
      expect(text).toContain('Say yes more. Yes opens doors. No closes them.');
      expect(text).toContain('Welcome diversions. The most rewarding adventures often start with an unexpected detour.');
      // The slide is a video: no text of its own.
      expect(output.pages[1]?.blocks).toEqual([]);
      expect(wordCount(output)).toBe(69);
    });

    it('reports the Storyline video, present in the package, with its duration', () => {
      const path = 'scormcontent/assets/F-mFiATo6u5NY-n9/story_content/video_60P4A9Erzvj_18_160_720x404.mp4';
      expect(result.output.media).toEqual([{ path, durationSeconds: 14.097 }]);
      expect(result.present(path)).toBe(true);
      expect(result.output.assessments).toEqual([]);
      expectCleanText(result.output);
      expect(result.warnings).toEqual([]);
    });

    it('reads the same course from a view of scormcontent/, paths relative to it', async () => {
      const inner = await extractFixture('rise-scorm12-embedded-storyline-video.zip', 'scormcontent/');
      expect(inner.detection).toEqual({ version: null });
      expect(inner.output.pages.map((p) => p.source)).toEqual(['index.html', 'assets/F-mFiATo6u5NY-n9/html5/data/js/5aWehyVNec9.js']);
      expect(inner.output.media.map((m) => m.path)).toEqual(['assets/F-mFiATo6u5NY-n9/story_content/video_60P4A9Erzvj_18_160_720x404.mp4']);
      expect(pageTexts(inner.output)).toEqual(pageTexts(result.output));
    });
  });

  describe('rise-xapi-interactions-pdf-partial', () => {
    let result: Awaited<ReturnType<typeof extractFixture>>;
    beforeAll(async () => {
      result = await extractFixture('rise-xapi-interactions-pdf-partial.zip');
    });

    it('detects Rise at the root of a Tin Can package', () => {
      expect(result.detection).toEqual({ version: null });
      expect(result.storyline).toBeNull();
      expect(result.output.title).toBe('How to Read Crochet Patterns');
      expect(result.output.description).toMatch(/^By the end of this standalone module, you will be able to read any pattern/);
    });

    it('reads one page per lesson, quizzes included, in course order', () => {
      expect(result.output.pages.map((p) => [p.title, p.kind])).toEqual([
        ['Gallery of Stitches', 'lesson'],
        ['Formative Assessment: Identify the Stitch', 'lesson'],
        ['Common Stitch Abbreviations', 'lesson'],
        ['Formative Assessment: Matching Game', 'lesson'],
        ['Put It All Together', 'lesson'],
        ['Formative Assessment: The Important Bits', 'lesson'],
        ['Summative Assessment: Can You Read a Pattern?', 'lesson'],
        ['In Closing', 'lesson'],
      ]);
      expect(result.output.pages.every((p) => p.source === 'index.html')).toBe(true);
      expect(wordCount(result.output)).toBe(1905);
    });

    it('reads text, accordion, flashcard, list and embed blocks in the right lessons', () => {
      const texts = pageTexts(result.output);
      expect(texts[0]).toContain('Simply click the name of the stitch to open the section you want to review');
      // Accordion panels: their titles as headings, their steps as paragraphs.
      expect(result.output.pages[0]?.blocks).toContainEqual({ type: 'heading', level: 3, text: 'Magic Ring (mr)' });
      expect(texts[0]).toContain('8. Yarn over and pull through loop on crochet hook.');
      // Flashcards: both faces.
      expect(texts[2]).toContain('Half Double Crochet\n\nhdc');
      expect(result.output.pages[2]?.blocks[0]).toEqual({ type: 'heading', level: 3, text: 'Reading a Pattern...' });
      // A paragraph-only text block keeps the "Heading" placeholder in its data; Rise does not show it.
      expect(texts[2]).not.toMatch(/^Heading$/m);
      expect(texts[4]).toContain('To start a chain row for this example: slipknot, ch 10 + 1');
      expect(texts[4]).toContain("And Voilà! You've just followed a pattern to make something beautiful.");
      expect(texts[7]).toContain('If you have any technical issues, please contact me at scerv26@wgu.edu.');
      expect(texts[7]).toContain('Reflect on this course.');
      expectCleanText(result.output);
    });

    it('reads the four quizzes with pass marks, twelve questions as tincan.xml declares them', () => {
      const { output } = result;
      expect(output.assessments.map((a) => [a.title, a.pageIndex, a.passingScore, a.questions.length])).toEqual([
        ['Formative Assessment: Identify the Stitch', 1, 66, 3],
        ['Formative Assessment: Matching Game', 3, 60, 1],
        ['Formative Assessment: The Important Bits', 5, 60, 3],
        ['Summative Assessment: Can You Read a Pattern?', 6, 60, 5],
      ]);
      const declared = tincanAnswers(result.tincan ?? '');
      expect(declared.size).toBe(12);
      for (const [id, { type, correct }] of declared) {
        const q = question(output, id);
        if (type === 'matching') expect(q.matches.map((m) => `${m.source} => ${m.target}`)).toEqual(correct);
        else expect([...q.correct_answers].sort()).toEqual([...correct].sort());
      }
    });

    it('takes the correct choice from `correct`, not from stale answer flags', () => {
      // The author moved the right answer after writing the question: its feedback, tincan.xml and
      // the `correct` id say Treble Crochet; the first answer still carries `correct: true`.
      const q = question(result.output, 'clf199znk000r356oag170qsd');
      expect(q.type).toBe('choice');
      expect(q.correct_answers).toEqual(['Treble Crochet']);
      expect(q.feedback).toEqual({ correct: "That's correct! This is a treble crochet stitch.", incorrect: 'You might want to review this stitch in the gallery.' });
      const many = question(result.output, 'clf32lkc9001d356pzkxpuytj');
      expect(many.type).toBe('multiple_response');
      expect(many.prompt).toBe('Why is it important to use recommended yarn thickness and hook size? (Choose three)');
      expect(many.correct_answers).toEqual(['To achieve gauge', 'The end piece could be too big or too small', 'Yarn might not be correct type for use']);
      const matching = question(result.output, 'clf21g8cl020u356o3csewv26');
      expect(matching.matches).toContainEqual({ source: 'Two Together', target: '2tog' });
    });

    it('reports videos (most absent from this partial package), quiz pictures, the cover and the PDFs', () => {
      const media = result.output.media;
      const videos = media.filter((m) => m.path.endsWith('.mp4'));
      expect(videos).toHaveLength(14);
      expect(videos.filter((m) => result.present(m.path)).map((m) => m.path)).toEqual([
        'assets/79xEvNUHzhY2jb8b_transcoded-ZJLbXzKrmX4KJvnT-Yarnover.mp4',
      ]);
      expect(videos).toContainEqual({ path: 'assets/PM3z8vozHrD_M4E1_transcoded-0ZTLb8ZrXqnUdkXc-Chain Row.mp4', durationSeconds: 200 });
      const pdfs = media.filter((m) => m.path.endsWith('.pdf')).map((m) => m.path);
      expect(pdfs).toEqual([
        'assets/5UJpBu0-Pt1bxQrl_71FSbRcaS8IrlqFi-Beginner Crochet Dishcloth Pattern.pdf',
        'assets/dJz51Caz7n9rvU2E_lfj7ejBRG5JhY4jm-Beginner Crochet Granny Square Pattern.pdf',
        'assets/gmZfui4gxE-rRzV3_-0EKVzYQRzCrIl7P-Beginner Crochet Basket Pattern.pdf',
      ]);
      expect(pdfs.every(result.present)).toBe(true);
      const images = media.filter((m) => m.path.endsWith('.jpg')).map((m) => m.path);
      expect(images).toContain('assets/Jw_4RSAOQ78Bq2I__4y30u2p9SZjtIhPd.jpg');
      expect(images).toContain('assets/LQwNtmgfX2PE-gaQ_yZh7RmW-dOdiKJFF.jpg');
      expect(images.every(result.present)).toBe(true);
      expect(result.warnings).toEqual([]);
    });
  });
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

const course = {
  course: {
    title: 'Ladder <em>safety</em>',
    description: '<p>Work at height, safely.</p>',
    locale: 'en-GB',
    coverImage: { media: { image: { key: 'rise/courses/x/raw.jpg', crushedKey: 'cover%20photo.jpg', useCrushedKey: true } } },
    lessons: [
      { id: 's', type: 'section', title: 'Part 1' },
      {
        id: 'l1',
        type: 'blocks',
        title: 'Before you climb',
        items: [
          { type: 'text', family: 'text', variant: 'heading paragraph', items: [{ heading: '<p>Check the ladder</p>', paragraph: '<p>Look for <strong>cracks</strong> &amp; loose rungs.</p>' }] },
          { type: 'text', family: 'text', variant: 'paragraph', items: [{ heading: '<strong>Heading</strong>', paragraph: '<p>Three points of contact, always.</p>' }] },
          { type: 'text', family: 'text', variant: 'subheading', items: [{ heading: '<p>Angle</p>', paragraph: '<p>Lorem ipsum placeholder.</p>' }] },
          { type: 'text', family: 'impact', variant: 'note', items: [{ paragraph: '<p>Never stand on the top rung.</p>' }] },
          { type: 'quote', family: 'quote', variant: 'carousel', items: [{ name: '<p>A. Roofer</p>', paragraph: '<p>Slow is smooth.</p>' }] },
          { type: 'list', family: 'list', variant: 'checkboxes', items: [{ paragraph: '<p>Feet</p>' }, { paragraph: '<p>Rungs</p>' }, { paragraph: '' }] },
          {
            type: 'image',
            family: 'image',
            variant: 'centered',
            items: [{ media: { image: { key: 'rise/courses/x/1.png', crushedKey: 'ladder.png', useCrushedKey: true, altText: 'A ladder against a wall' } }, caption: '<p>Rest it at 75 degrees.</p>' }],
          },
          {
            type: 'interactive',
            family: 'interactive',
            variant: 'tabs',
            items: [
              { title: 'Wood', description: '<p>Keep it dry.</p>' },
              { title: 'Metal', description: '<p>Keep away from power lines.</p>' },
            ],
          },
          {
            type: 'interactive',
            family: 'interactive-fullscreen',
            variant: 'process',
            items: [
              { type: 'summary', title: 'Summary', isHidden: true, description: '<p>Lorem ipsum dolor sit amet.</p>' },
              { type: 'intro', title: 'Setting up', description: '<p>Four steps.</p>' },
              { type: 'step', title: 'Open it fully', description: '' },
            ],
          },
          {
            type: 'interactive',
            family: 'flashcard',
            variant: 'stack',
            items: [
              {
                front: { media: { image: { key: 'assets/rise/assets/block-defaults/mountains.jpg', src: 'Q0/mountains.jpg' } }, description: '<p>Duty rating</p>' },
                back: { description: '<p>The weight a ladder holds.</p>' },
              },
            ],
          },
          {
            type: 'multimedia',
            family: 'multimedia',
            variant: 'video',
            items: [{ media: { video: { key: 'climb.mp4', duration: 42, captions: [{ key: 'climb%20en.vtt' }] } }, caption: '<p>Watch the climb.</p>' }],
          },
          { type: 'multimedia', family: 'multimedia', variant: 'attachment', items: [{ media: { attachment: { key: 'checklist%20v2.pdf' } } }] },
          { type: 'multimedia', family: 'multimedia', variant: 'code', items: [{ code: 'function climb() { return 1; }' }] },
          { type: 'divider', family: 'continue', variant: 'continue', items: [{ title: 'CONTINUE', completeHint: 'Complete the content above before moving on.' }] },
          {
            type: 'knowledgeCheck',
            family: 'knowledgeCheck',
            variant: 'multiple response',
            items: [
              {
                id: 'kc1',
                type: 'MULTIPLE_RESPONSE',
                title: '<p>Which are safe?</p>',
                answers: [
                  { id: 'a1', title: '<p>Facing the ladder</p>', correct: true },
                  { id: 'a2', title: '<p>Carrying a box up</p>', correct: false, feedback: '<p>Use a hoist.</p>' },
                  { id: 'a3', title: '<p>Three points of contact</p>', correct: true },
                ],
                feedback: '<p>Safety first.</p>',
              },
            ],
          },
          {
            type: 'interactive',
            family: '360',
            variant: 'storyline',
            items: [{ media: { storyline: { src: 'story1/story.html', title: 'Inspection drill' } } }],
          },
        ],
      },
      {
        id: 'q',
        type: 'quiz',
        title: 'Check',
        settings: { passingScore: 75 },
        items: [
          { id: 'q1', type: 'FILL_IN_THE_BLANK', title: '<p>Keep ___ points of contact.</p>', answers: [{ id: 'f1', title: 'three' }, { id: 'f2', title: '3' }] },
          {
            id: 'q2',
            type: 'MULTIPLE_CHOICE',
            title: '<p>Ladders are for short jobs.</p>',
            answers: [
              { id: 't', title: '<p>True</p>' },
              { id: 'f', title: '<p>False</p>', correct: true },
            ],
            correct: 't',
            corrects: ['f'],
            feedbackType: 'CORRECT_INCORRECT',
            feedbackCorrect: '<p>Right.</p>',
            feedbackIncorrect: '<p>Think again.</p>',
          },
          { id: 'q3', type: 'MATCHING', title: '<p>Match</p>', answers: [{ id: 'm1', title: 'Class 1', matchTitle: 'Industrial' }] },
        ],
      },
      { id: 'gone', type: 'blocks', title: 'Deleted', deleted: true, items: [] },
    ],
  },
  labelSet: { iso639Code: 'en' },
};

const story = {
  version: '3.80.0.0',
  scenes: [{ kind: 'scene', slides: [{ kind: 'slide', id: 'z1', title: 'Untitled Slide', html5url: 'html5/data/js/z1.js' }] }],
};
const storySlide = {
  id: 'z1',
  width: 720,
  height: 540,
  slideLayers: [
    { isBaseLayer: true, objects: [{ kind: 'vectorshape', id: 'o', accType: 'text', xPos: 0, yPos: 0, width: 10, height: 10, textLib: [{ vartext: { blocks: [{ spans: [{ text: 'Spot the damaged rung.' }] }] } }] }] },
  ],
};

function modernFiles(): Record<string, string> {
  return {
    'imsmanifest.xml': '<manifest/>',
    'scormcontent/index.html': '<html><script src="lib/rise/abc.js"></script></html>',
    'scormcontent/lib/rise/abc.js': '/* player */',
    'scormcontent/locales/und.js': `__resolveJsonp("course:und","${b64(course)}")`,
    'scormcontent/assets/cover photo.jpg': 'JPG',
    'scormcontent/assets/ladder.png': 'PNG',
    'scormcontent/assets/climb.mp4': 'MP4',
    'scormcontent/assets/climb en.vtt': 'WEBVTT',
    'scormcontent/assets/story1/story.html': '<html></html>',
    'scormcontent/assets/story1/html5/data/js/data.js': provideData('data', story),
    'scormcontent/assets/story1/html5/data/js/z1.js': provideData('slide', storySlide),
  };
}

describe('Rise decoder on other export layouts', () => {
  const view = memoryView(modernFiles());
  let output: ToolOutput;
  beforeAll(async () => {
    output = await rise.extract(view);
  });

  it('finds the course in locales/und.js and reads course facts', async () => {
    expect(await rise.detect(view)).toEqual({ version: null });
    expect(await storyline.detect(view)).toBeNull();
    expect(output).toMatchObject({ title: 'Ladder safety', description: 'Work at height, safely.', language: 'en-GB' });
    expect(view.warnings).toEqual([]);
  });

  it('reads sections, lessons and quizzes, with embedded Storyline slides after their lesson', () => {
    expect(output.pages.map((p) => [p.title, p.kind, p.source])).toEqual([
      ['Part 1', 'section', 'scormcontent/locales/und.js'],
      ['Before you climb', 'lesson', 'scormcontent/locales/und.js'],
      ['Inspection drill', 'slide', 'scormcontent/assets/story1/html5/data/js/z1.js'],
      ['Check', 'lesson', 'scormcontent/locales/und.js'],
    ]);
    expect(pageTexts(output)[2]).toBe('Spot the damaged rung.');
  });

  it('shows blocks as Rise shows them: visible fields only, by family and variant', () => {
    expect(output.pages[1]?.blocks).toEqual([
      { type: 'heading', level: 2, text: 'Check the ladder' },
      { type: 'paragraph', text: 'Look for cracks & loose rungs.' },
      { type: 'paragraph', text: 'Three points of contact, always.' },
      { type: 'heading', level: 3, text: 'Angle' },
      { type: 'paragraph', text: 'Never stand on the top rung.' },
      { type: 'quote', text: 'Slow is smooth. — A. Roofer' },
      { type: 'list', ordered: false, items: ['Feet', 'Rungs'] },
      { type: 'image', alt: 'A ladder against a wall', src: 'scormcontent/assets/ladder.png' },
      { type: 'paragraph', text: 'Rest it at 75 degrees.' },
      { type: 'heading', level: 3, text: 'Wood' },
      { type: 'paragraph', text: 'Keep it dry.' },
      { type: 'heading', level: 3, text: 'Metal' },
      { type: 'paragraph', text: 'Keep away from power lines.' },
      { type: 'heading', level: 3, text: 'Setting up' },
      { type: 'paragraph', text: 'Four steps.' },
      { type: 'heading', level: 3, text: 'Open it fully' },
      { type: 'paragraph', text: 'Duty rating' },
      { type: 'paragraph', text: 'The weight a ladder holds.' },
      { type: 'paragraph', text: 'Watch the climb.' },
      { type: 'paragraph', text: 'Which are safe?' },
      { type: 'list', ordered: false, items: ['Facing the ladder', 'Carrying a box up', 'Three points of contact'] },
    ]);
    expectCleanText(output);
  });

  it('reads knowledge checks and quiz questions of every type', () => {
    expect(output.assessments.map((a) => [a.title, a.pageIndex, a.passingScore, a.questions.map((q) => q.id)])).toEqual([
      ['Before you climb', 1, null, ['kc1']],
      ['Check', 3, 75, ['q1', 'q2', 'q3']],
    ]);
    const [kc, fill, truth, match] = allQuestions(output) as [Question, Question, Question, Question];
    expect(kc).toMatchObject({ type: 'multiple_response', correct_answers: ['Facing the ladder', 'Three points of contact'], feedback: { correct: 'Safety first.', incorrect: 'Safety first.' } });
    expect(kc.choices[1]).toMatchObject({ text: 'Carrying a box up', correct: false, feedback: 'Use a hoist.' });
    expect(fill).toMatchObject({ type: 'fill_in', prompt: 'Keep ___ points of contact.', correct_answers: ['three', '3'] });
    expect(truth).toMatchObject({ type: 'true_false', correct_answers: ['True'], feedback: { correct: 'Right.', incorrect: 'Think again.' } });
    expect(match.matches).toEqual([{ source: 'Class 1', target: 'Industrial' }]);
  });

  it('reports media under assets/, URL-decoded, with captions, including absent files', () => {
    expect(output.media).toEqual([
      { path: 'scormcontent/assets/cover photo.jpg' },
      { path: 'scormcontent/assets/ladder.png', altText: 'A ladder against a wall' },
      { path: 'scormcontent/assets/climb.mp4', durationSeconds: 42, captions: ['scormcontent/assets/climb en.vtt'] },
      { path: 'scormcontent/assets/checklist v2.pdf' },
    ]);
  });

  it('reads the web export layout (content/runtime-data.js) and the legacy deserialize() in index.html', async () => {
    const web = memoryView({ 'content/index.html': '<html></html>', 'content/lib/main.js': '', 'content/runtime-data.js': `__jsonp("runtime-data.js","${b64(course)}");` });
    expect(await rise.detect(web)).toEqual({ version: null });
    const fromWeb = await rise.extract(web);
    expect(fromWeb.pages.map((p) => p.source)).toEqual(['content/runtime-data.js', 'content/runtime-data.js', 'content/runtime-data.js']);
    expect(web.warnings.map((w) => w.code)).toEqual(['rise_storyline_missing']);

    const legacy = memoryView({ 'index.html': `<script>Promise.resolve(deserialize("${b64(course)}"))</script>`, 'lib/lzwcompress.js': '' });
    expect(await rise.detect(legacy)).toEqual({ version: null });
    expect((await rise.extract(legacy)).pages).toHaveLength(3);
  });

  it('decodes compressed payloads and says so when there is no course', async () => {
    const json = Buffer.from(JSON.stringify(course));
    for (const packed of [zlib.deflateSync(json), zlib.deflateRawSync(json), zlib.gzipSync(json)]) {
      expect(decodeCoursePayload(packed.toString('base64'))?.course.title).toBe('Ladder <em>safety</em>');
    }
    expect(decodeCoursePayload(Buffer.from('{"not":"a course"}').toString('base64'))).toBeUndefined();

    const empty = memoryView({ 'scormcontent/index.html': '<html></html>' });
    expect(await rise.detect(empty)).toEqual({ version: null });
    expect(await rise.extract(empty)).toEqual({ pages: [], assessments: [], media: [] });
    expect(empty.warnings.map((w) => w.code)).toEqual(['rise_course_data_missing']);
  });

  it('reads a course whose payload is a base64 literal of many megabytes', async () => {
    const words = Array.from({ length: 800_000 }, (_, i) => `word${i % 9973}`).join(' ');
    const big = structuredClone(course);
    big.course.description = `<p>${words}</p>`;
    const payload = b64(big);
    expect(payload.length).toBeGreaterThan(8 * 1024 * 1024);
    const view = memoryView({ 'scormcontent/index.html': '<html></html>', 'scormcontent/lib/main.js': '', 'scormcontent/runtime-data.js': `__jsonp("runtime-data.js","${payload}");` });
    const output = await rise.extract(view);
    expect(output.pages).toHaveLength(3);
    expect(output.pages[1]?.title).toBe('Before you climb');
    expect(view.warnings.map((w) => w.code)).not.toContain('rise_course_data_missing');
  });

  it('is not claimed by a plain HTML package', async () => {
    const plain = memoryView({ 'index.html': '<p>hi</p>', 'lib/jquery.js': '' });
    expect(await rise.detect(plain)).toBeNull();
  });
});
