import { beforeAll, describe, expect, it } from 'vitest';
import type { Question } from '../../../src/extraction/result/extraction-result.js';
import { readLegacyData, unpack } from '../../../src/extraction/tools/storyline/legacy.js';
import { storyline } from '../../../src/extraction/tools/storyline/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { memoryView } from '../../support/memory-source.js';
import { allQuestions, pageTexts } from '../../support/tool-output.js';

// Storyline 1 and 2 publish their HTML5 data as XML inside a script, usually packed.

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const encode = (c: number): string => (c < 62 ? '' : encode(Math.floor(c / 62))) + (c % 62 > 35 ? String.fromCharCode((c % 62) + 29) : (c % 62).toString(36));

/** Packs a script as the classic packer does: each word becomes its number in base 62. */
function pack(code: string): string {
  const words = [...new Set(code.match(/\b\w+\b/g) ?? [])];
  const index = new Map(words.map((word, i) => [word, i]));
  const payload = code.replace(/\b\w+\b/g, (word) => encode(index.get(word) ?? 0));
  // The packer leaves out words that are their own number.
  const list = words.map((word, i) => (encode(i) === word ? '' : word)).join('|');
  return (
    `eval(function(p,a,c,k,e,d){e=function(c){return(c<a?"":e(parseInt(c/a)))+((c=c%a)>35?String.fromCharCode(c+29):c.toString(36))};` +
    `if(!''.replace(/^/,String)){while(c--)d[e(c)]=k[c]||e(c);k=[function(e){return d[e]}];e=function(){return'\\\\w+'};c=1;};` +
    `while(c--)if(k[c])p=p.replace(new RegExp('\\\\b'+e(c)+'\\\\b','g'),k[c]);return p;}(${quote(payload)},62,${words.length},${quote(list)}.split('|'),0,{}))`
  );
}

const jsString = (xml: string) => `"${xml.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/'/g, "\\'")}"`;
const createData = (xml: string) => `CreateData(${jsString(xml)});`;
const slideData = (id: string, xml: string) => `SlideXMLData("${id}",${jsString(xml)});`;

const textShape = (id: string, alt: string, extra = '') =>
  `<vectorshape id='${id}' width='300' height='40' xpos='20' ypos='20' acctype='text' ${extra}><data><vectordata alttext='${alt}' /></data>` +
  `<textlib><textdata id='01' type='vectortext'><vectortext /></textdata></textlib></vectorshape>`;
const answer = (id: string, status: string, points: number, evaluate: string, layer: string) =>
  `<answer id='${id}' points='${points}' status='${status}'><evaluate>${evaluate}</evaluate><actions><if_action><condition />` +
  `<then_actions><show_slidelayer><objref type='string' value='${layer}' /></show_slidelayer></then_actions></if_action></actions></answer>`;
const equals = (choice: string) => `<equals choiceid='choices.choice_${choice}' ignorecase='false' />`;

const story =
  `<bwContent id='_player' version='2.12.1705.520'><scenes>` +
  `<scene id='MsgScene_5x' lmsid=''><slides><slide id='ResumePromptSlide' title='&lt;p&gt;Resume&lt;/p&gt;' /></slides></scene>` +
  `<scene id='sc1' lmsid='Scene1'><slides>` +
  `<slide id='w1' width='720' height='540' html5url='mobile/slides/w1.js' title='Welcome to the warehouse' />` +
  `<slide id='map' width='720' height='540' html5url='mobile/slides/map.js' title='Warehouse map' />` +
  `<slide id='q1' width='720' height='540' html5url='mobile/slides/q1.js' title='Forklift speed'><interactions>` +
  `<interaction id='i1' lmsid='MultiChoice' lmstext='What is the speed limit&#xA;for forklifts indoors?' type='multiplechoice' maxpoints='10' issurvey='false'>` +
  `<choices><choice id='choice_a' lmstext='5 km/h' /><choice id='choice_b' lmstext='20 km/h' /></choices><answers>` +
  answer('x1', 'correct', 10, equals('a'), 'good') +
  answer('x2', 'incorrect', 0, '<other />', 'bad') +
  `</answers></interaction></interactions></slide>` +
  `<slide id='pick' width='720' height='540' html5url='mobile/slides/pick.js' title='Pick One'><interactions>` +
  `<interaction id='i2' lmsid='FreeFormPickOne' lmstext='Pick One' type='multiplechoice' maxpoints='5' issurvey='false'>` +
  `<choices><choice id='choice_h1' lmstext='Oval 3' /><choice id='choice_h2' lmstext='Picture 4' /><choice id='choice_h3' lmstext='Rectangle 7' /></choices><answers>` +
  answer('y1', 'correct', 5, equals('h2'), 'right') +
  answer('y2', 'incorrect', 0, '<other />', 'wrong') +
  `</answers></interaction></interactions></slide>` +
  `<slide id='res' width='720' height='540' html5url='mobile/slides/res.js' title='Results Slide' />` +
  `</slides><slidedraws><slidedraw id='draw1' lmsid='QuestionDraw1'><exitaction><gotoplay window='_current'>` +
  `<objref type='string' value='_player.sc1.res' /></gotoplay></exitaction><sliderefs><slideref id='bq1' /></sliderefs></slidedraw></slidedraws>` +
  `</scene></scenes>` +
  `<slidebank><slides><slide id='bq1' width='720' height='540' html5url='mobile/slides/bq1.js' title='Fire exits'><interactions>` +
  `<interaction id='i3' lmsid='TrueFalse' lmstext='Pallets may be stacked in front of fire exits.' type='truefalse' maxpoints='10' issurvey='false'>` +
  `<choices><choice id='choice_t' lmstext='True' /><choice id='choice_f' lmstext='False' /></choices><answers>` +
  answer('z1', 'correct', 10, equals('f'), 'ok') +
  answer('z2', 'incorrect', 0, '<other />', 'ko') +
  `</answers></interaction></interactions></slide></slides></slidebank>` +
  `<quizzes><quiz id='quiz1' lmstext='Warehouse quiz' issurvey='false' passpercent='80'><sliderefs>` +
  `<slideref id='_player.sc1.q1' /><slideref id='_player.sc1.pick' /><slideref id='_player.sc1.draw1' /></sliderefs></quiz></quizzes></bwContent>`;

const slides: Record<string, string> = {
  w1:
    `<slide id='w1' width='720' height='540' title='Welcome to the warehouse'><objects>` +
    textShape('t1', 'Welcome to the warehouse&#xA;Safety starts with you.') +
    // Older text objects carry HTML with variables written as entities.
    `<vectorshape id='t2' width='300' height='40' xpos='20' ypos='80' acctype='text'><data><vectordata alttext='Hello' /></data><textlib>` +
    `<textdata id='01' type='vartext'><vartext>&lt;html&gt;&lt;p align='left'&gt;&lt;font face='Articulate'&gt;Hello &amp;_player.LearnerName;, your shift starts at 8.&lt;/font&gt;&lt;/p&gt;&lt;/html&gt;</vartext></textdata></textlib></vectorshape>` +
    `<vectorshape id='r1' width='300' height='40' xpos='0' ypos='0' acctype='text'><data><vectordata alttext='Rectangle 1' /></data></vectorshape>` +
    textShape('r2', 'Straight Arrow Connector 4') +
    textShape('v1', 'Click or tap here to play and pause the video') +
    `<vectorshape id='p1' width='100' height='100' xpos='300' ypos='200' acctype='image'><data><vectordata alttext='Floor plan with the two fire exits marked' /></data>` +
    `<imagelib><imagedata id='01' url='story_content/floorplan.swf' alttext='Floor plan with the two fire exits marked' altimage='mobile/floorplan.png' /></imagelib></vectorshape>` +
    `</objects><audiolib><audio id='a1' url='story_content/welcome_22050_40.mp3' duration='4200' /></audiolib></slide>`,
  map:
    `<slide id='map' width='720' height='540' title='Warehouse map'><objects>` +
    `<vectorshape id='p2' width='700' height='500' xpos='0' ypos='0' acctype='image'><data><vectordata alttext='map.png' /></data>` +
    `<imagelib><imagedata id='01' url='story_content/map.swf' alttext='map.png' altimage='mobile/map.png' /></imagelib></vectorshape></objects></slide>`,
  q1:
    `<slide id='q1' width='720' height='540' title='Forklift speed'><objects>` +
    textShape('qt', 'What is the speed limit for forklifts indoors?') +
    textShape('a', '5 km/h', "acctype='radio'") +
    textShape('b', '20 km/h') +
    `</objects><slidelayers>` +
    `<slidelayer id='good'><objects>${textShape('g1', 'Correct!&#xA;Forklifts drive at walking pace indoors.')}</objects></slidelayer>` +
    `<slidelayer id='bad'><objects>${textShape('b1', 'Not quite. Indoors the limit is 5 km/h.')}` +
    `<vectorshape id='b2' width='80' height='30' xpos='300' ypos='400' acctype='button'><data><vectordata alttext='Try Again' /></data><textlib><textdata type='vectortext'><vectortext /></textdata></textlib></vectorshape>` +
    `</objects></slidelayer></slidelayers></slide>`,
  pick:
    `<slide id='pick' width='720' height='540' title='Pick One'><objects>` +
    textShape('hq', 'Which sign marks a fire exit?') +
    `<stategroup id='h1' xpos='20' ypos='100' width='200' height='50'><objects>` +
    `<vectorshape id='h1' width='40' height='40' xpos='0' ypos='0' acctype='radio'><data><vectordata alttext='Oval 3' /></data></vectorshape>` +
    `${textShape('h1t', 'A red circle')}</objects></stategroup>` +
    `<stategroup id='h2' xpos='20' ypos='200' width='200' height='50'><objects>` +
    `<vectorshape id='h2' width='40' height='40' xpos='0' ypos='0' acctype='radio'><data><vectordata alttext='Picture 4' /></data></vectorshape>` +
    `${textShape('h2t', 'A green running figure')}</objects></stategroup>` +
    // A shape with no text of its own: it is named, not shown.
    `<vectorshape id='h3' width='40' height='40' xpos='20' ypos='300' acctype='radio'><data><vectordata alttext='Rectangle 7' /></data></vectorshape>` +
    `</objects><slidelayers>` +
    `<slidelayer id='right'><objects>${textShape('rt', 'Yes: green means the way out.')}</objects></slidelayer>` +
    `<slidelayer id='wrong'><objects>${textShape('wt', 'Look for the green sign.')}</objects></slidelayer>` +
    `</slidelayers></slide>`,
  bq1:
    `<slide id='bq1' width='720' height='540' title='Fire exits'><objects>` +
    textShape('bt', 'Pallets may be stacked in front of fire exits.') +
    `</objects><slidelayers><slidelayer id='ok'><objects>${textShape('o1', 'Right: exits stay clear at all times.')}</objects></slidelayer>` +
    `<slidelayer id='ko'><objects>${textShape('k1', 'No: exits must stay clear.')}</objects></slidelayer></slidelayers></slide>`,
  res:
    `<slide id='res' width='720' height='540' title='Results Slide'><objects>` +
    textShape('rh', 'Results') +
    `<vectorshape id='rs' width='300' height='40' xpos='20' ypos='80' acctype='text'><data><vectordata alttext='' /></data><textlib>` +
    `<textdata id='01' type='vartext'><vartext>&lt;html&gt;&lt;p&gt;&amp;_player.quiz1.$PercentScore;% (&amp;_player.quiz1.$Score; points)&lt;/p&gt;&lt;/html&gt;</vartext></textdata></textlib></vectorshape>` +
    `</objects><slidelayers>` +
    `<slidelayer id='passed'><objects>${textShape('ps', 'Congratulations, you passed!')}</objects></slidelayer>` +
    `<slidelayer id='failed'><objects>${textShape('fs', 'You did not pass. Review the safety rules and try again.')}</objects></slidelayer>` +
    `</slidelayers></slide>`,
};

function legacyFiles(): Record<string, string> {
  const files: Record<string, string> = {
    'meta.xml':
      '\ufeff<?xml version="1.0" encoding="utf-8"?><meta><project title="Warehouse safety" html5data="mobile/data.js" mobiledata="mobile/data.gz">' +
      '<description /><application name="Articulate Storyline" version="2.12.1705.520" xmlversion="3.5" /></project></meta>',
    'story_content/user.js': 'function ExecuteScript(strExecuteScriptId) {}',
    'story_html5.html': '<html></html>',
    'mobile/data.js': pack(createData(story)),
  };
  for (const [id, xml] of Object.entries(slides)) {
    // Most files are packed; a file the packer left alone reads the same.
    files[`mobile/slides/${id}.js`] = id === 'q1' ? slideData(id, xml) : pack(slideData(id, xml));
  }
  return files;
}

describe('Storyline 1 and 2 HTML5 output (packed mobile/ XML)', () => {
  const view = memoryView(legacyFiles());
  let output: ToolOutput;
  beforeAll(async () => {
    output = await storyline.extract(view);
  });

  it('is detected with its version, and every slide is a page in story order, bank draws before the slide they lead to', async () => {
    expect(await storyline.detect(view)).toEqual({ version: '2.12.1705.520' });
    expect(output.title).toBe('Warehouse safety');
    expect(output.pages.map((p) => [p.title, p.source])).toEqual([
      ['Welcome to the warehouse', 'mobile/slides/w1.js'],
      // A slide with no text is still a page.
      ['Warehouse map', 'mobile/slides/map.js'],
      ['Forklift speed', 'mobile/slides/q1.js'],
      ['Pick One', 'mobile/slides/pick.js'],
      ['Fire exits', 'mobile/slides/bq1.js'],
      ['Results Slide', 'mobile/slides/res.js'],
    ]);
    expect(output.pages[1]?.blocks).toEqual([]);
    expect(view.warnings).toEqual([]);
  });

  it('reads text from alt text and HTML, without variables, default names or player prompts', () => {
    expect(output.pages[0]?.blocks).toEqual([
      { type: 'paragraph', text: 'Welcome to the warehouse' },
      { type: 'paragraph', text: 'Safety starts with you.' },
      { type: 'paragraph', text: 'Hello , your shift starts at 8.' },
      { type: 'image', alt: 'Floor plan with the two fire exits marked', src: 'mobile/floorplan.png' },
    ]);
    const all = pageTexts(output).join('\n');
    expect(all).not.toMatch(/Rectangle|Connector|Oval 3|Picture 4|click or tap|LearnerName|_player|\$Score|map\.png/i);
  });

  it('keeps the result slide with its passed and failed messages', () => {
    expect(pageTexts(output)[5]).toBe('Results\n\nCongratulations, you passed!\n\nYou did not pass. Review the safety rules and try again.');
  });

  it('reads questions with the words on the slide, correct answers and feedback layers, grouped by their quiz', () => {
    expect(output.assessments.map((a) => [a.title, a.passingScore, a.questions.length])).toEqual([['Warehouse quiz', 80, 3]]);
    const [speed, pick, bank] = allQuestions(output) as [Question, Question, Question];
    expect(speed).toMatchObject({
      type: 'choice',
      prompt: 'What is the speed limit for forklifts indoors?',
      correct_answers: ['5 km/h'],
      feedback: { correct: 'Correct! Forklifts drive at walking pace indoors.', incorrect: 'Not quite. Indoors the limit is 5 km/h.' },
      points: 10,
    });
    expect(speed.choices.map((c) => [c.text, c.correct])).toEqual([['5 km/h', true], ['20 km/h', false]]);
    // A freeform question: its name is "Pick One", its choices are shapes named "Oval 3", "Picture 4".
    expect(pick).toMatchObject({
      prompt: 'Which sign marks a fire exit?',
      correct_answers: ['A green running figure'],
      feedback: { correct: 'Yes: green means the way out.', incorrect: 'Look for the green sign.' },
      points: 5,
    });
    expect(pick.choices.map((c) => [c.text, c.correct])).toEqual([['A red circle', false], ['A green running figure', true]]);
    expect(bank).toMatchObject({
      type: 'true_false',
      prompt: 'Pallets may be stacked in front of fire exits.',
      correct_answers: ['False'],
      feedback: { correct: 'Right: exits stay clear at all times.', incorrect: 'No: exits must stay clear.' },
    });
  });

  it('reports narration and pictures by their HTML5 files', () => {
    expect(output.media).toEqual([
      { path: 'story_content/welcome_22050_40.mp3', durationSeconds: 4.2 },
      { path: 'mobile/floorplan.png', altText: 'Floor plan with the two fire exits marked' },
    ]);
  });

  it('is found through meta.xml when the story is elsewhere', async () => {
    const files = legacyFiles();
    files['meta.xml'] = files['meta.xml']?.replace('mobile/data.js', 'html5/story.js') ?? '';
    files['html5/story.js'] = files['mobile/data.js'] ?? '';
    delete files['mobile/data.js'];
    const moved = await storyline.extract(memoryView(files));
    expect(moved.pages).toHaveLength(6);
  });

  it('reads in linear time a meta.xml of 200,000 descriptions left open', async () => {
    // Each opening once made the search scan to the end again: minutes for this file.
    const files = legacyFiles();
    files['meta.xml'] = files['meta.xml']?.replace('<description />', '<description>'.repeat(200_000)) ?? '';
    const output = await storyline.extract(memoryView(files));
    expect(output.description ?? null).toBeNull();
    expect(output.pages).toHaveLength(6);
  });
});

describe('Storyline packed scripts', () => {
  it('are unpacked by putting the words back, without running anything', () => {
    const code = 'CreateData("<a b=\'c\'>d e_f 01 café</a>");';
    expect(unpack(pack(code))).toBe(code);
    expect(unpack(code)).toBe(code);
    expect(readLegacyData(pack(createData("<bwContent id='_player'><scenes /></bwContent>")), 'data')).toEqual({ kind: 'bwContent', id: '_player', scenes: [] });
  });

  it('survive hostile input: absurd counts, radix and truncation', () => {
    const packed = pack('SlideXMLData("s","<slide id=\'s\' />");');
    expect(unpack(packed.replace(/,62,\d+,/, ',62,99999999999,'))).toBe('SlideXMLData("s","<slide id=\'s\' />");');
    expect(unpack(packed.replace(/,62,/, ',999,'))).toBe(packed.replace(/,62,/, ',999,'));
    expect(unpack(packed.slice(0, packed.length / 2))).toBe(packed.slice(0, packed.length / 2));
    expect(readLegacyData('SlideXMLData("s", "<slide><objects>", 1)', 'slide')?.slideLayers).toHaveLength(1);
    expect(readLegacyData('alert(1)', 'slide')).toBeUndefined();
  });
});
