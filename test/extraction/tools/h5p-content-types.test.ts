import { describe, expect, it } from 'vitest';
import type { DataValue } from '../../../src/extraction/content/data-values.js';
import { h5p } from '../../../src/extraction/tools/h5p/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { memoryView } from '../../support/memory-source.js';
import { allQuestions, pageTexts, questionWith } from '../../support/tool-output.js';

/** One H5P package of one content type, as an unzipped .h5p holds it. */
async function extractContent(library: string, params: DataValue, title = 'Lesson', extra: Record<string, string> = {}): Promise<ToolOutput> {
  const [machineName = '', version = '1.0'] = library.split(' ');
  const [majorVersion, minorVersion] = version.split('.');
  const view = memoryView({
    'h5p.json': JSON.stringify({ title, language: 'und', mainLibrary: machineName, license: 'U', preloadedDependencies: [{ machineName, majorVersion, minorVersion }] }),
    'content/content.json': JSON.stringify(params),
    ...extra,
  });
  return h5p.extract(view);
}

const text = (html: string) => ({ library: 'H5P.AdvancedText 1.1', params: { text: html }, metadata: { contentType: 'Text', license: 'U', title: 'Untitled Text' } });

describe('H5P question content types', () => {
  it('reads a MultiChoice with its tips, per-answer feedback and the feedback of each score range', async () => {
    const output = await extractContent('H5P.MultiChoice 1.16', {
      question: '<p>Which gases are noble?</p>',
      answers: [
        { text: '<div>Neon</div>', correct: true, tipsAndFeedback: { tip: '<p>Think of glowing signs.</p>', chosenFeedback: '<div>Yes, neon is inert.</div>', notChosenFeedback: '' } },
        { text: '<div>Argon</div>', correct: true, tipsAndFeedback: { tip: '', chosenFeedback: '', notChosenFeedback: '' } },
        { text: '<div>Oxygen</div>', correct: false, tipsAndFeedback: { tip: '', chosenFeedback: '<div>Oxygen reacts readily.</div>' } },
      ],
      overallFeedback: [
        { from: 0, to: 40, feedback: 'Review the periodic table.' },
        { from: 41, to: 99, feedback: 'Almost there.' },
        { from: 100, to: 100, feedback: 'Perfect score!' },
      ],
      behaviour: { type: 'auto', singlePoint: false },
      UI: { checkAnswerButton: 'Check', showSolutionButton: 'Show solution', tryAgainButton: 'Retry', tipsLabel: 'Show tip' },
    });
    expect(pageTexts(output)).toEqual(['Which gases are noble?\n\nNeon\nArgon\nOxygen\n\nThink of glowing signs.']);
    const question = questionWith(output, 'Which gases are noble?');
    expect(question.type).toBe('multiple_response');
    expect(question.choices.map((c) => [c.text, c.correct, c.feedback])).toEqual([
      ['Neon', true, 'Yes, neon is inert.'],
      ['Argon', true, null],
      ['Oxygen', false, 'Oxygen reacts readily.'],
    ]);
    expect(question.feedback).toEqual({ correct: 'Perfect score!', incorrect: 'Review the periodic table. Almost there.' });
  });

  it('leaves out score ranges that only show the score', async () => {
    const output = await extractContent('H5P.MarkTheWords 1.11', {
      taskDescription: '<p>Click the gases.</p>',
      textField: '<p>*Helium* is lighter than air.</p>',
      overallFeedback: [{ from: 0, to: 100, feedback: 'You got @score of @total points' }],
      checkAnswerButton: 'Check',
    });
    expect(questionWith(output, 'Click the gases.')).toMatchObject({ correct_answers: ['Helium'], feedback: { correct: null, incorrect: null } });
  });

  it('reads the tips and feedback of each gap in Drag the Words and Fill in the Blanks', async () => {
    const drag = await extractContent('H5P.DragText 1.10', {
      taskDescription: '<p>Drag the planets into place.</p>',
      textField: 'The largest planet is *Jupiter:It has a Great Red Spot\\+Right, the gas giant.\\-Look at the size chart.*.\nThe red planet is *Mars*.',
      distractors: '*Pluto*',
      checkAnswer: 'Check',
      tipLabel: 'Show tip',
    });
    expect(pageTexts(drag)).toEqual([
      'Drag the planets into place.\n\nThe largest planet is _____.\n\nThe red planet is _____.\n\nIt has a Great Red Spot',
    ]);
    const planets = questionWith(drag, 'Drag the planets into place.');
    expect(planets.choices.map((c) => [c.text, c.correct, c.feedback])).toEqual([
      ['Jupiter', true, 'Right, the gas giant.'],
      ['Mars', true, null],
      ['Pluto', false, null],
    ]);
    expect(planets.correct_answers).toEqual(['Jupiter', 'Mars']);

    const blanks = await extractContent('H5P.Blanks 1.14', {
      text: '<p>Complete the sentence.</p>',
      questions: ['<p>Water boils at *100/one hundred:In degrees Celsius* degrees.</p>'],
      showSolutions: 'Show solution',
    });
    expect(pageTexts(blanks)).toEqual(['Complete the sentence.\n\nWater boils at _____ degrees.\n\nIn degrees Celsius']);
    expect(questionWith(blanks, 'Complete the sentence.').correct_answers).toEqual(['100', 'one hundred']);
  });

  it('reads Image Sequencing as the order to find and Image Pairing as its pairs', async () => {
    const image = (name: string) => ({ path: `images/${name}.png`, mime: 'image/png', copyright: { license: 'U' } });
    const sequence = await extractContent('H5P.ImageSequencing 1.1', {
      taskDescription: '<p>Put the life cycle in order.</p>',
      altTaskDescription: 'Make the following list be ordered correctly.',
      sequenceImages: [
        { image: image('egg'), imageDescription: 'Egg' },
        { image: image('larva'), imageDescription: 'Caterpillar' },
        { image: image('adult'), imageDescription: 'Butterfly' },
      ],
      l10n: { checkAnswer: 'Check', totalMoves: 'Total Moves', score: 'You got @score of @total points' },
    });
    expect(pageTexts(sequence)).toEqual(['Put the life cycle in order.\n\nEgg\nCaterpillar\nButterfly']);
    expect(questionWith(sequence, 'Put the life cycle in order.')).toMatchObject({ type: 'sequencing', correct_answers: ['Egg', 'Caterpillar', 'Butterfly'] });
    expect(sequence.media).toContainEqual({ path: 'content/images/larva.png', altText: 'Caterpillar' });

    const pairs = await extractContent('H5P.ImagePair 1.4', {
      taskDescription: '<p>Match each animal with its young.</p>',
      cards: [{ image: image('cow'), imageAlt: 'Cow', match: image('calf'), matchAlt: 'Calf' }],
      l10n: { checkAnswer: 'Check' },
    });
    expect(questionWith(pairs, 'Match each animal').matches).toEqual([{ source: 'Cow', target: 'Calf' }]);
    expect(pageTexts(pairs)[0]).toContain('[Image: Calf]');
  });

  it('says how many questions a pooled Question Set draws, and reads its result feedback', async () => {
    const question = (prompt: string) => ({
      library: 'H5P.TrueFalse 1.8',
      params: { question: `<p>${prompt}</p>`, correct: 'true' },
      subContentId: prompt,
    });
    const output = await extractContent('H5P.QuestionSet 1.20', {
      introPage: { showIntroPage: false, startButtonText: 'Start Quiz' },
      poolSize: 2,
      questions: [question('Ice floats.'), question('Steam is water.'), question('Snow is frozen.')],
      endGame: {
        showResultPage: true,
        message: 'Your result:',
        overallFeedback: [
          { from: 0, to: 50, feedback: 'Revise the states of matter.' },
          { from: 51, to: 100, feedback: 'You know your states of matter.' },
          { from: 0, to: 0, feedback: '@score points' },
        ],
        solutionButtonText: 'Show solution',
      },
    }, 'States of matter');
    expect(output.assessments.map((a) => [a.title, a.questions.length, a.questionsPerAttempt])).toEqual([['States of matter', 3, 2]]);
    expect(pageTexts(output)[0]).toBe('Ice floats.\n\nSteam is water.\n\nSnow is frozen.\n\nRevise the states of matter.\n\nYou know your states of matter.');
  });

  it('keeps the text of an Arithmetic Quiz, whose questions are generated while playing', async () => {
    const output = await extractContent('H5P.ArithmeticQuiz 1.1', {
      intro: 'Practise your times tables.',
      quizType: 'arithmetic',
      arithmeticType: 'multiplication',
      maxQuestions: 20,
      UI: { score: 'Score @score', time: 'Time: @time', resultPageHeader: 'Finished!', go: 'GO!', startButton: 'Start' },
    });
    expect(pageTexts(output)).toEqual(['Practise your times tables.']);
    expect(allQuestions(output)).toEqual([]);
  });
});

describe('H5P content types that stage other content', () => {
  it('reads an Interactive Video: bookmarks, then each interaction at its time with its label', async () => {
    const output = await extractContent(
      'H5P.InteractiveVideo 1.26',
      {
        interactiveVideo: {
          video: {
            startScreenOptions: { title: 'Interactive Video', hideStartTitle: false, shortStartDescription: 'Watch how a bridge is built.' },
            textTracks: { videoTrack: [{ label: 'Subtitles', kind: 'subtitles', srcLang: 'en', track: { path: 'files/bridge.vtt' } }] },
            files: [{ path: 'videos/bridge.mp4', mime: 'video/mp4' }],
          },
          assets: {
            bookmarks: [
              { time: 95, label: 'Pouring the deck' },
              { time: 0, label: 'Foundations' },
            ],
            interactions: [
              {
                duration: { from: 83.4, to: 93 },
                label: '<p>Which material carries the load?</p>',
                action: {
                  library: 'H5P.MultiChoice 1.16',
                  params: { question: '', answers: [{ text: 'Steel cables', correct: true }, { text: 'Paint', correct: false }] },
                  metadata: { contentType: 'Multiple Choice', license: 'U', title: 'Untitled Multiple Choice' },
                },
                adaptivity: { correct: { message: 'Cables hold the deck.' }, wrong: { message: 'Watch the part on cables again.' } },
              },
              { duration: { from: 12, to: 20 }, action: text('<p>Piles go down to the bedrock.</p>') },
              {
                duration: { from: 130, to: 130 },
                action: {
                  library: 'H5P.GoToQuestion 1.3',
                  params: { text: 'What next?', choices: [{ text: 'See the opening', goTo: 140 }, { text: 'Start over', goTo: 0 }], continueButtonLabel: 'Continue' },
                  metadata: { contentType: 'Crossroads' },
                },
              },
            ],
            endscreens: [{ time: 150, label: '2:30 Submit screen' }],
          },
        },
        l10n: { interaction: 'Interaction', play: 'Play', endcardSubmitButton: 'Submit Answers' },
      },
      'Bridges',
      { 'content/videos/bridge.mp4': 'mp4', 'content/files/bridge.vtt': 'WEBVTT' },
    );
    expect(output.pages.map((p) => p.title)).toEqual(['Bridges']);
    expect(output.pages[0]?.blocks).toEqual([
      { type: 'paragraph', text: 'Watch how a bridge is built.' },
      { type: 'list', ordered: false, items: ['0:00 Foundations', '1:35 Pouring the deck'] },
      { type: 'heading', level: 3, text: '0:12' },
      { type: 'paragraph', text: 'Piles go down to the bedrock.' },
      { type: 'heading', level: 3, text: '1:23 Which material carries the load?' },
      { type: 'list', ordered: false, items: ['Steel cables', 'Paint'] },
      { type: 'heading', level: 3, text: '2:10' },
      { type: 'paragraph', text: 'What next?' },
      { type: 'list', ordered: false, items: ['See the opening', 'Start over'] },
    ]);
    expect(questionWith(output, 'Which material carries the load?')).toMatchObject({
      correct_answers: ['Steel cables'],
      feedback: { correct: 'Cables hold the deck.', incorrect: 'Watch the part on cables again.' },
    });
    expect(output.media).toContainEqual({ path: 'content/videos/bridge.mp4', captions: ['content/files/bridge.vtt'] });
  });

  it('reads a Branching Scenario: start screen, every node with its feedback, end screens', async () => {
    const output = await extractContent('H5P.BranchingScenario 1.8', {
      branchingScenario: {
        startScreen: { startScreenTitle: '<p>The fire drill</p>', startScreenSubtitle: '<p>Make the right calls.</p>' },
        content: [
          { type: text('<p>The alarm rings in your office.</p>'), showContentTitle: false, nextContentId: 1 },
          {
            type: {
              library: 'H5P.BranchingQuestion 1.0',
              params: {
                branchingQuestion: {
                  question: '<p>What do you do first?</p>',
                  alternatives: [
                    { text: 'Take the stairs', nextContentId: -1, feedback: { title: 'Good choice', subtitle: '<p>Lifts can stop in a fire.</p>' } },
                    { text: 'Take the lift', nextContentId: -1, feedback: { title: '', subtitle: '' } },
                  ],
                },
              },
              metadata: { contentType: 'Branching Question', title: 'Untitled Branching Question' },
            },
            showContentTitle: true,
          },
        ],
        endScreens: [{ endScreenTitle: '<p>Drill over</p>', endScreenSubtitle: '<p>Everyone reached the assembly point.</p>', contentId: -1 }],
        l10n: { startScreenButtonText: 'Start the course', backButtonText: 'Back' },
      },
    });
    expect(pageTexts(output)).toEqual([
      [
        'The fire drill',
        'Make the right calls.',
        'The alarm rings in your office.',
        'What do you do first?',
        'Take the stairs\nTake the lift',
        'Good choice',
        'Lifts can stop in a fire.',
        'Drill over',
        'Everyone reached the assembly point.',
      ].join('\n\n'),
    ]);
  });

  it('reads a Virtual Tour scene by scene, leaving out hotspots that only change scene', async () => {
    const output = await extractContent('H5P.ThreeImage 0.5', {
      threeImage: {
        scenes: [
          {
            sceneId: 0,
            scenename: 'Reception',
            scenedescription: '<p>Sign in at the front desk.</p>',
            scenesrc: { path: 'images/reception.jpg', mime: 'image/jpeg' },
            interactions: [
              { labelText: 'Visitor badges', action: text('<p>Wear your badge at all times.</p>') },
              { labelText: 'To the lab', action: { library: 'H5P.GoToScene 0.1', params: { nextSceneId: 1 } } },
            ],
          },
          { sceneId: 1, scenename: 'Lab', scenedescription: '<p>Goggles on.</p>', interactions: [] },
        ],
      },
      l10n: { title: 'Virtual Tour', sceneDescription: 'Scene description' },
    });
    expect(pageTexts(output)).toEqual(['Reception\n\nSign in at the front desk.\n\nVisitor badges\n\nWear your badge at all times.\n\nLab\n\nGoggles on.']);
  });

  it('reads a Timeline in date order with each event dated', async () => {
    const output = await extractContent('H5P.Timeline 1.1', {
      timeline: {
        headline: 'Flight',
        text: '<p>Milestones of powered flight.</p>',
        date: [
          { startDate: '1969,7,20', headline: 'Moon landing', text: '<p>Apollo 11 lands.</p>', asset: { caption: 'The lunar module' } },
          { startDate: '1903', endDate: '1905', headline: 'First flights', text: '<p>The Wright brothers fly.</p>' },
        ],
        era: [{ startDate: '1900', headline: '' }],
        language: 'en',
      },
    });
    expect(pageTexts(output)).toEqual([
      'Flight\n\nMilestones of powered flight.\n\nFirst flights (1903–1905)\n\nThe Wright brothers fly.\n\nMoon landing (1969,7,20)\n\nApollo 11 lands.\n\nThe lunar module',
    ]);
  });

  it('reads Agamotto, Image Hotspots, Collage and Guess the Answer', async () => {
    const image = (alt: string) => ({ library: 'H5P.Image 1.1', params: { file: { path: `images/${alt}.jpg`, mime: 'image/jpeg' }, alt, contentName: 'Image' } });
    const agamotto = await extractContent('H5P.Agamotto 1.6', {
      title: 'A glacier retreats',
      items: [
        { image: image('1990'), labelText: '1990', description: '<p>The ice reaches the lake.</p>' },
        { image: image('2020'), labelText: '2020', description: '<p>Bare rock remains.</p>' },
      ],
      a11y: { image: 'Image', imageSlider: 'Image slider' },
    });
    expect(pageTexts(agamotto)[0]).toBe('A glacier retreats\n\n1990\n\n[Image: 1990]\n\nThe ice reaches the lake.\n\n2020\n\n[Image: 2020]\n\nBare rock remains.');
    expect(agamotto.pages[0]?.title).toBe('Lesson');

    const hotspots = await extractContent('H5P.ImageHotspots 1.10', {
      image: { path: 'images/heart.png', mime: 'image/png' },
      backgroundImageAltText: 'A human heart',
      hotspots: [{ position: { x: 40, y: 55 }, header: 'Left ventricle', content: [text('<p>Pumps blood to the body.</p>')] }],
      hotspotNumberLabel: 'Hotspot #num',
      closeButtonLabel: 'Close',
    });
    expect(pageTexts(hotspots)).toEqual(['[Image: A human heart]\n\nLeft ventricle\n\nPumps blood to the body.']);

    const collage = await extractContent('H5P.Collage 0.3', {
      collage: { template: '2-1', options: { spacing: 1 }, clips: [{ image: { path: 'images/a.jpg', mime: 'image/jpeg' }, alt: 'Harbour at dawn' }, { image: { path: 'images/b.jpg' } }] },
    });
    expect(pageTexts(collage)).toEqual(['[Image: Harbour at dawn]']);
    expect(collage.media.map((m) => m.path)).toEqual(['content/images/a.jpg', 'content/images/b.jpg']);

    const guess = await extractContent('H5P.GuessTheAnswer 1.5', {
      taskDescription: '<p>What is this tool for?</p>',
      media: { type: image('caliper') },
      solutionLabel: 'Click to see the answer.',
      solutionText: 'Measuring thickness precisely.',
    });
    expect(pageTexts(guess)).toEqual(['What is this tool for?\n\n[Image: caliper]\n\nMeasuring thickness precisely.']);
  });
});

describe('H5P titles', () => {
  it('never takes a web address, a file name or the editor placeholder for a title', async () => {
    const video = await extractContent('H5P.Column 1.13', { content: [{ content: text('<h2>Chocolate bars</h2><p>Two factories compete.</p>') }] }, 'https://www.example.com/watch?v=abc');
    expect(video.title).toBeNull();
    expect(video.pages.map((p) => p.title)).toEqual(['Chocolate bars']);
    expect(pageTexts(video)).toEqual(['Two factories compete.']);

    const drop = await extractContent('H5P.DragQuestion 1.14', {
      question: {
        task: {
          elements: [{ dropZones: ['0'], type: text('<p>Gloves</p>') }],
          dropZones: [{ label: '<div>Bag</div>', correctElements: ['0'], tipsAndFeedback: { tip: 'Think of hygiene.' } }],
        },
      },
    }, 'interactive-content-7.h5p');
    expect(drop.pages.map((p) => p.title)).toEqual([null]);
    expect(pageTexts(drop)).toEqual(['Gloves\n\nBag\n\nThink of hygiene.']);
    expect(allQuestions(drop)[0]).toMatchObject({ prompt: '', matches: [{ source: 'Gloves', target: 'Bag' }] });
  });
});
