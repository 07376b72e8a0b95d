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

    it('reads the cover, the lesson, then the embedded Storyline slide with paths re-prefixed', () => {
      const { output } = result;
      expect(output.pages.map((p) => [p.title, p.kind, p.source])).toEqual([
        ['Video1_file', 'page', 'scormcontent/index.html'],
        ['cghgh', 'lesson', 'scormcontent/index.html'],
        ['Test_mob', 'slide', 'scormcontent/assets/F-mFiATo6u5NY-n9/html5/data/js/5aWehyVNec9.js'],
      ]);
      // The cover page shows the course description.
      expect(output.pages[0]?.blocks).toEqual([{ type: 'paragraph', text: 'gvnbvn' }]);
      const lesson = output.pages[1];
      expect(lesson?.blocks[0]).toMatchObject({ type: 'list', ordered: true });
      const text = pageTexts(output)[1];
      expect(text).toContain('Say yes more. Yes opens doors. No closes them.');
      expect(text).toContain('Welcome diversions. The most rewarding adventures often start with an unexpected detour.');
      // The slide is a video: no text of its own.
      expect(output.pages[2]?.blocks).toEqual([]);
      expect(wordCount(output)).toBe(70);
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
      expect(inner.output.pages.map((p) => p.source)).toEqual(['index.html', 'index.html', 'assets/F-mFiATo6u5NY-n9/html5/data/js/5aWehyVNec9.js']);
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

    it('reads the cover page, then one page per lesson, quizzes included, in course order', () => {
      expect(result.output.pages.map((p) => [p.title, p.kind])).toEqual([
        ['How to Read Crochet Patterns', 'page'],
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
      expect(pageTexts(result.output)[0]).toBe(
        'By the end of this standalone module, you will be able to read any pattern with confidence and be able to crochet the items you wish to.',
      );
      expect(wordCount(result.output)).toBe(1932);
    });

    it('reads text, accordion, flashcard, list and embed blocks in the right lessons', () => {
      const texts = pageTexts(result.output).slice(1);
      expect(texts[0]).toContain('Simply click the name of the stitch to open the section you want to review');
      // Accordion panels: their titles as headings, their steps as paragraphs.
      expect(result.output.pages[1]?.blocks).toContainEqual({ type: 'heading', level: 3, text: 'Magic Ring (mr)' });
      expect(texts[0]).toContain('8. Yarn over and pull through loop on crochet hook.');
      // Flashcards: both faces.
      expect(texts[2]).toContain('Half Double Crochet\n\nhdc');
      expect(result.output.pages[3]?.blocks[0]).toEqual({ type: 'heading', level: 3, text: 'Reading a Pattern...' });
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
        ['Formative Assessment: Identify the Stitch', 2, 66, 3],
        ['Formative Assessment: Matching Game', 4, 60, 1],
        ['Formative Assessment: The Important Bits', 6, 60, 3],
        ['Summative Assessment: Can You Read a Pattern?', 7, 60, 5],
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

    it('reads every quiz question with what the learner is told', () => {
      const seen = allQuestions(result.output).map((q) => ({
        prompt: q.prompt,
        type: q.type,
        correct: q.type === 'matching' ? q.matches.map((m) => `${m.source} => ${m.target}`) : q.correct_answers,
        feedback: q.feedback,
      }));
      const review = 'You might want to review this stitch in the gallery.';
      const none = { correct: null, incorrect: null };
      expect(seen).toEqual([
        { prompt: 'Identify the stitch in this photo', type: 'choice', correct: ['Chain'], feedback: { correct: 'Great job! That is a chain stitch.', incorrect: review } },
        { prompt: 'Identify the stitch in this photo', type: 'choice', correct: ['Treble Crochet'], feedback: { correct: "That's correct! This is a treble crochet stitch.", incorrect: review } },
        { prompt: 'Identify the stitch in this photo', type: 'choice', correct: ['Two Together'], feedback: { correct: "That's right! This stitch shows two together.", incorrect: review } },
        {
          prompt: 'Drag stitch names to their matching abbreviations.',
          type: 'matching',
          correct: ['Single Crochet => sc', 'Two Together => 2tog', 'Increase => inc', 'Double Crochet => dc', 'Half Double Crochet => hdc'],
          feedback: { correct: "You're doing great!", incorrect: "You're learning a lot. Keep going." },
        },
        { prompt: 'If your pattern is in the round, how do you begin?', type: 'choice', correct: ['Magic Ring (mr)'], feedback: { correct: 'Well done!', incorrect: 'This would be worth reviewing.' } },
        {
          prompt: 'Why is it important to use recommended yarn thickness and hook size? (Choose three)',
          type: 'multiple_response',
          correct: ['To achieve gauge', 'The end piece could be too big or too small', 'Yarn might not be correct type for use'],
          feedback: {
            correct: expect.stringMatching(/^That's right! You can make a lot of your own rules in crochet\. .* has it's own merits and best uses\.$/),
            incorrect: 'We can make a lot of our own rules in crochet but this is more of a recommendation.',
          },
        },
        {
          prompt: 'What is the correct order to start a chain row?',
          type: 'matching',
          correct: ['1 => Slipknot', '2 => Chain', "3 => + chain to account for stitch type's height used in next row"],
          feedback: { correct: "That's right!", incorrect: 'This could be worth reviewing.' },
        },
        {
          prompt: expect.stringMatching(/^Put the following instructions in the correct order:\s+dc inc, dc in next 2 - repeat$/),
          type: 'matching',
          correct: ['1st step => Double Crochet into the same stitch twice', '2nd step => Double Crochet x2', '3rd step => Repeat'],
          feedback: none,
        },
        { prompt: 'If your pattern starts with a chain row, how will it be written?', type: 'choice', correct: ['ch 22 + 2'], feedback: none },
        { prompt: 'Identify the stitch in this photo', type: 'choice', correct: ['sl st'], feedback: none },
        {
          prompt: 'Drag stitch names to their matching abbreviations',
          type: 'matching',
          correct: ['Treble Crochet => tr', 'Slip Stitch => sl st', 'Increase => inc', 'Chain => ch', 'Magic Ring => mr', 'Double Crochet => dc'],
          feedback: none,
        },
        {
          prompt: expect.stringMatching(/^Identify the correct answer to the following stitches:\s+Chain 3, 2 Double Crochet into Chain 1 below\. Chain 1, 3 Double Crochet into Chain 1 below\.$/),
          type: 'choice',
          correct: ['ch 3, 2 dc into ch 1 below. ch 1, 3 dc into ch 1 below.'],
          feedback: none,
        },
      ]);
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
          { type: 'multimedia', family: 'multimedia', variant: 'code', items: [{ code: 'function climb() { return 1; }', caption: '<p>The climb routine.</p>' }] },
          {
            type: 'interactive',
            family: 'flashcard',
            variant: 'flashcard',
            items: [
              {
                // A picture-only front keeps the text it had before.
                front: { type: 'fullimage', media: { image: { key: 'rungs.jpg', altText: 'Worn rungs' } }, description: '<p>Front of card</p>' },
                back: { type: 'description', description: '<p>Replace worn rungs.</p>' },
              },
            ],
          },
          {
            type: 'interactive',
            family: 'interactive-fullscreen',
            variant: 'sorting',
            items: [
              { id: 'c1', title: 'Cracked stile', pileId: 1 },
              { id: 'c2', title: 'Clean feet', pileId: 2 },
              { id: 'c3', title: 'Bent rung', pileId: 1 },
            ],
            piles: [
              { id: 1, title: 'Take out of use' },
              { id: 2, title: 'Safe to climb' },
            ],
          },
          {
            type: 'interactive',
            family: 'interactive-fullscreen',
            variant: 'scenario',
            items: [
              {
                title: 'Scene 1',
                slides: [
                  { type: 'text', title: 'On site', description: '<p>Sam needs to reach the gutter.</p>', responses: [] },
                  {
                    type: 'dialogue',
                    title: null,
                    description: '<p>Which ladder do I take?</p>',
                    responses: [
                      { action: 'continue', description: '<p>The tall one</p>', feedback: '<p>It reaches a metre above the gutter.</p>' },
                      { action: 'tryAgain', description: '<p>The short one</p>', feedback: '<p>You would stand on the top rung.</p>' },
                    ],
                  },
                ],
              },
            ],
          },
          {
            type: 'interactive',
            family: 'interactive-fullscreen',
            variant: 'timeline',
            items: [{ date: '1990', title: 'Standard issued', description: '<p>The first ladder standard.</p>' }],
          },
          {
            type: 'interactive',
            family: 'interactive-fullscreen',
            variant: 'labeledgraphic',
            media: { image: { key: 'diagram.png', altText: 'Parts of a ladder' } },
            items: [{ x: 10, y: 20, icon: '01', title: 'Foot', description: '<p>Rubber grips the floor.</p>' }],
          },
          { type: 'text', family: 'impact', variant: 'b', items: [{ paragraph: '<p>Check before every climb.</p>' }] },
          {
            type: 'interactive',
            family: 'buttons',
            variant: 'button',
            items: [{ type: 'link', label: 'OPEN', description: '<p>Read the full checklist.</p>', destination: 'https://example.com' }],
          },
          {
            type: 'multimedia',
            family: 'multimedia',
            variant: 'embed',
            items: [{ media: { embed: { embedType: 'link', src: 'https://example.com', title: 'Ladder guide', description: 'A guide to ladder use at work.' } } }],
          },
          {
            type: 'knowledgeCheck',
            family: 'knowledgeCheck',
            variant: 'draw from question bank',
            items: [
              {
                id: 'bank1',
                type: 'DRAW_FROM_QUESTION_BANK',
                title: 'Draw 1 question from<br/><i>{{title}}</i>',
                drawCount: 1,
                questionBankTitle: 'Ladder bank',
                questions: [
                  { id: 'b1', type: 'MULTIPLE_CHOICE', title: '<p>Which way do you face?</p>', answers: [{ id: 'x', title: 'The ladder', correct: true }, { id: 'y', title: 'Away', correct: false }], correct: 'x' },
                  { id: 'b2', type: 'FILL_IN_THE_BLANK', title: '<p>The ladder angle is ___ degrees.</p>', answers: [{ id: 'z', title: '75', correct: true }] },
                ],
              },
            ],
          },
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
      ['Ladder safety', 'page', 'scormcontent/locales/und.js'],
      ['Part 1', 'section', 'scormcontent/locales/und.js'],
      ['Before you climb', 'lesson', 'scormcontent/locales/und.js'],
      ['Inspection drill', 'slide', 'scormcontent/assets/story1/html5/data/js/z1.js'],
      ['Check', 'lesson', 'scormcontent/locales/und.js'],
    ]);
    expect(pageTexts(output)[0]).toBe('Work at height, safely.');
    expect(pageTexts(output)[3]).toBe('Spot the damaged rung.');
  });

  it('shows blocks as Rise shows them: visible fields only, by family and variant', () => {
    expect(output.pages[2]?.blocks).toEqual([
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
      { type: 'paragraph', text: 'The climb routine.' },
      { type: 'image', alt: 'Worn rungs', src: 'scormcontent/assets/rungs.jpg' },
      { type: 'paragraph', text: 'Replace worn rungs.' },
      { type: 'heading', level: 3, text: 'Take out of use' },
      { type: 'list', ordered: false, items: ['Cracked stile', 'Bent rung'] },
      { type: 'heading', level: 3, text: 'Safe to climb' },
      { type: 'list', ordered: false, items: ['Clean feet'] },
      { type: 'heading', level: 3, text: 'On site' },
      { type: 'paragraph', text: 'Sam needs to reach the gutter.' },
      { type: 'paragraph', text: 'Which ladder do I take?' },
      { type: 'list', ordered: false, items: ['The tall one — It reaches a metre above the gutter.', 'The short one — You would stand on the top rung.'] },
      { type: 'heading', level: 3, text: '1990: Standard issued' },
      { type: 'paragraph', text: 'The first ladder standard.' },
      { type: 'image', alt: 'Parts of a ladder', src: 'scormcontent/assets/diagram.png' },
      { type: 'heading', level: 3, text: 'Foot' },
      { type: 'paragraph', text: 'Rubber grips the floor.' },
      { type: 'paragraph', text: 'Check before every climb.' },
      { type: 'paragraph', text: 'Read the full checklist.' },
      { type: 'paragraph', text: 'Ladder guide' },
      { type: 'paragraph', text: 'A guide to ladder use at work.' },
      { type: 'paragraph', text: 'Which way do you face?' },
      { type: 'list', ordered: false, items: ['The ladder', 'Away'] },
      { type: 'paragraph', text: 'The ladder angle is ___ degrees.' },
      { type: 'paragraph', text: 'Which are safe?' },
      { type: 'list', ordered: false, items: ['Facing the ladder', 'Carrying a box up', 'Three points of contact'] },
    ]);
    expectCleanText(output);
  });

  it('reads knowledge checks and quiz questions of every type', () => {
    expect(output.assessments.map((a) => [a.title, a.pageIndex, a.passingScore, a.questions.map((q) => q.id)])).toEqual([
      ['Before you climb', 2, null, ['b1', 'b2', 'kc1']],
      ['Check', 4, 75, ['q1', 'q2', 'q3']],
    ]);
    // The bank draws 1 of its 2 questions: an attempt asks 2 of the lesson's 3.
    expect(output.assessments.map((a) => a.questionsPerAttempt)).toEqual([2, 3]);
    const [bankChoice, bankFill, kc, fill, truth, match] = allQuestions(output) as Question[] as [Question, Question, Question, Question, Question, Question];
    expect(bankChoice).toMatchObject({ type: 'choice', prompt: 'Which way do you face?', correct_answers: ['The ladder'] });
    expect(bankFill).toMatchObject({ type: 'fill_in', prompt: 'The ladder angle is ___ degrees.', correct_answers: ['75'] });
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
      { path: 'scormcontent/assets/rungs.jpg', altText: 'Worn rungs' },
      { path: 'scormcontent/assets/diagram.png', altText: 'Parts of a ladder' },
    ]);
  });

  it('reads the web export layout (content/runtime-data.js) and the legacy deserialize() in index.html', async () => {
    const web = memoryView({ 'content/index.html': '<html></html>', 'content/lib/main.js': '', 'content/runtime-data.js': `__jsonp("runtime-data.js","${b64(course)}");` });
    expect(await rise.detect(web)).toEqual({ version: null });
    const fromWeb = await rise.extract(web);
    expect(fromWeb.pages.map((p) => p.source)).toEqual(['content/runtime-data.js', 'content/runtime-data.js', 'content/runtime-data.js', 'content/runtime-data.js']);
    expect(web.warnings.map((w) => w.code)).toEqual(['rise_storyline_missing']);

    const legacy = memoryView({ 'index.html': `<script>Promise.resolve(deserialize("${b64(course)}"))</script>`, 'lib/lzwcompress.js': '' });
    expect(await rise.detect(legacy)).toEqual({ version: null });
    expect((await rise.extract(legacy)).pages).toHaveLength(4);
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
    expect(output.pages).toHaveLength(4);
    expect(output.pages[2]?.title).toBe('Before you climb');
    expect(view.warnings.map((w) => w.code)).not.toContain('rise_course_data_missing');
  });

  it('is not claimed by a plain HTML package', async () => {
    const plain = memoryView({ 'index.html': '<p>hi</p>', 'lib/jquery.js': '' });
    expect(await rise.detect(plain)).toBeNull();
  });
});

/** A course of the first Rise, whose lessons were each one interactive: the same item keys, on the lesson. */
const legacyCourse = {
  course: {
    title: 'Depot basics',
    description: '<p>How our depot works, in five short lessons.</p>',
    lessons: [
      {
        id: 'm',
        type: 'map',
        title: 'The depot',
        description: '<p>Select each marker.</p>',
        media: { image: { key: 'depot.jpg', alt: 'Aerial view of the depot' } },
        items: [
          { id: '1', x: 10, y: 20, icon: '01', isActive: false, title: 'Loading bay', description: '<p>Trucks reverse in here.</p>' },
          { id: '2', x: 60, y: 40, icon: '01', isActive: false, title: 'Office', description: '<p>Sign in at the desk.</p>' },
        ],
        piles: [],
      },
      {
        id: 'p',
        type: 'process',
        title: 'Opening up',
        items: [
          { id: 's', type: 'summary', isHidden: false, title: 'Done', description: '<p>The depot is open.</p>' },
          { id: 'i', type: 'intro', isHidden: false, title: 'Every morning', description: '<p>Follow these steps in order.</p>' },
          { id: 'a', type: 'step', isHidden: false, title: 'Unlock the gate', description: '<p>Use the red key.</p>' },
          { id: 'b', type: 'step', isHidden: false, title: 'Switch on the lights', description: '<p>The panel is by the door.</p>' },
        ],
      },
      {
        id: 't',
        type: 'timeline',
        title: 'Our history',
        items: [
          { id: '1', date: '1998', title: 'First shed', description: '<p>One shed and two vans.</p>' },
          { id: '2', date: '2010', title: 'New warehouse', description: '<p>Room for a thousand pallets.</p>' },
        ],
      },
      {
        id: 's',
        type: 'sorting',
        title: 'Where does it go?',
        items: [
          { id: 'a', title: 'Pallets', pileId: 1 },
          { id: 'b', title: 'Parcels', pileId: 2 },
        ],
        piles: [
          { id: 1, title: 'Yard' },
          { id: 2, title: 'Shelf' },
        ],
      },
      { id: 'v', type: 'video', title: 'Walkthrough', description: '<p>A tour of the depot.</p>', media: { video: { key: 'tour.mp4', duration: 30 } }, items: [] },
    ],
  },
};

describe('Rise decoder on the first Rise lesson types', () => {
  let output: ToolOutput;
  beforeAll(async () => {
    output = await rise.extract(memoryView({ 'index.html': `<script>window.courseData = "${b64(legacyCourse)}";</script>`, 'lib/lzwcompress.js': '', 'assets/tour.mp4': 'MP4' }));
  });

  it('reads a page per lesson after the cover', () => {
    expect(output.pages.map((p) => [p.title, p.kind])).toEqual([
      ['Depot basics', 'page'],
      ['The depot', 'lesson'],
      ['Opening up', 'lesson'],
      ['Our history', 'lesson'],
      ['Where does it go?', 'lesson'],
      ['Walkthrough', 'lesson'],
    ]);
    expect(pageTexts(output)[0]).toBe('How our depot works, in five short lessons.');
    expectCleanText(output);
  });

  it('reads the graphic and every marker of a labeled graphic lesson', () => {
    expect(output.pages[1]?.blocks).toEqual([
      { type: 'paragraph', text: 'Select each marker.' },
      { type: 'image', alt: 'Aerial view of the depot', src: 'assets/depot.jpg' },
      { type: 'heading', level: 3, text: 'Loading bay' },
      { type: 'paragraph', text: 'Trucks reverse in here.' },
      { type: 'heading', level: 3, text: 'Office' },
      { type: 'paragraph', text: 'Sign in at the desk.' },
    ]);
  });

  it('reads a process lesson as intro, steps, summary', () => {
    expect(output.pages[2]?.blocks.map((b) => ('text' in b ? b.text : ''))).toEqual([
      'Every morning',
      'Follow these steps in order.',
      'Unlock the gate',
      'Use the red key.',
      'Switch on the lights',
      'The panel is by the door.',
      'Done',
      'The depot is open.',
    ]);
  });

  it('reads every event of a timeline lesson and the piles of a sorting lesson', () => {
    expect(output.pages[3]?.blocks).toEqual([
      { type: 'heading', level: 3, text: '1998: First shed' },
      { type: 'paragraph', text: 'One shed and two vans.' },
      { type: 'heading', level: 3, text: '2010: New warehouse' },
      { type: 'paragraph', text: 'Room for a thousand pallets.' },
    ]);
    expect(output.pages[4]?.blocks).toEqual([
      { type: 'heading', level: 3, text: 'Yard' },
      { type: 'list', ordered: false, items: ['Pallets'] },
      { type: 'heading', level: 3, text: 'Shelf' },
      { type: 'list', ordered: false, items: ['Parcels'] },
    ]);
  });

  it('reads a video lesson: its description, and its video as media', () => {
    expect(pageTexts(output)[5]).toBe('A tour of the depot.');
    expect(output.media).toContainEqual({ path: 'assets/tour.mp4', durationSeconds: 30 });
  });
});

/**
 * Correct answers as Rise's player grades them. Answers keep `correct` flags when an author changes
 * a question's type; the player reads the flags only where the question type uses them.
 */
describe('Rise correct answers, by question type and where the question sits', () => {
  const answer = (id: string, title: string, correct?: boolean) => ({ id, title: `<p>${title}</p>`, ...(correct === undefined ? {} : { correct }) });
  const check = (item: Record<string, unknown>) => ({ type: 'knowledgeCheck', family: 'knowledgeCheck', variant: 'check', items: [item] });
  const pondCourse = {
    course: {
      title: 'Pond life',
      lessons: [
        {
          id: 'l1',
          type: 'blocks',
          title: 'Meet the pond',
          items: [
            check({ id: 'k1', type: 'MULTIPLE_CHOICE', title: '<p>Which insect skates on water?</p>', answers: [answer('a', 'Pond skater', true), answer('b', 'Water boatman', true), answer('c', 'Mayfly', false)] }),
            check({ id: 'k2', type: 'MULTIPLE_RESPONSE', title: '<p>Which breathe through gills?</p>', answers: [answer('a', 'Newt tadpoles', true), answer('b', 'Frogs', false), answer('c', 'Stickleback', true)] }),
            check({
              id: 'k3',
              type: 'FILL_IN_THE_BLANK',
              title: '<p>A young frog is a ___.</p>',
              answers: [answer('a', 'tadpole', true), answer('b', 'Spend the winter under ice', false), answer('c', 'Tadpoles', true)],
            }),
          ],
        },
        {
          id: 'q',
          type: 'quiz',
          title: 'Pond quiz',
          items: [
            { id: 'q1', type: 'MULTIPLE_CHOICE', title: '<p>How many legs has a pond skater?</p>', answers: [answer('a', 'Four', true), answer('b', 'Six', true), answer('c', 'Eight')], correct: 'b', corrects: ['a', 'c'] },
            // An answer added to a quiz's fill-in has no flag: it is accepted too.
            { id: 'q3', type: 'FILL_IN_THE_BLANK', title: '<p>A frog lays ___.</p>', answers: [answer('a', 'spawn', true), answer('b', 'eggs')] },
            { id: 'q2', type: 'MULTIPLE_RESPONSE', title: '<p>Which are amphibians?</p>', answers: [answer('a', 'Toad', true), answer('b', 'Newt', false), answer('c', 'Dragonfly', true)], correct: '', corrects: ['a', 'b'] },
          ],
        },
      ],
    },
  };
  let output: ToolOutput;
  beforeAll(async () => {
    output = await rise.extract(memoryView({ 'scormcontent/index.html': '<html></html>', 'scormcontent/lib/main.js': '', 'scormcontent/locales/und.js': `__resolveJsonp("course:und","${b64(pondCourse)}")` }));
  });

  it("takes a knowledge check's first flagged answer of a multiple choice, every flagged one of a multiple response", () => {
    expect(question(output, 'k1').correct_answers).toEqual(['Pond skater']);
    expect(question(output, 'k1').choices.map((c) => c.correct)).toEqual([true, false, false]);
    expect(question(output, 'k2').correct_answers).toEqual(['Newt tadpoles', 'Stickleback']);
  });

  it('accepts the answers of a fill-in, not those flagged false', () => {
    expect(question(output, 'k3')).toMatchObject({ type: 'fill_in', correct_answers: ['tadpole', 'Tadpoles'], choices: [] });
    expect(question(output, 'q3').correct_answers).toEqual(['spawn', 'eggs']);
  });

  it("grades a quiz's multiple choice by its correct id and its multiple response by its corrects, whatever the flags say", () => {
    expect(question(output, 'q1').correct_answers).toEqual(['Six']);
    expect(question(output, 'q2').correct_answers).toEqual(['Toad', 'Newt']);
  });
});
