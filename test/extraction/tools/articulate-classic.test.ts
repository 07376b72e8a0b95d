import { describe, expect, it } from 'vitest';
import { engage, presenter, quizmaker } from '../../../src/extraction/tools/articulate-classic/index.js';
import { detectTool } from '../../../src/extraction/tools/registry.js';
import { storyline } from '../../../src/extraction/tools/storyline/index.js';
import { unpack } from '../../../src/extraction/tools/storyline/legacy.js';
import { memoryView } from '../../support/memory-source.js';
import { provideData } from '../../support/storyline-data.js';
import { allQuestions, pageTexts, questionWith } from '../../support/tool-output.js';

// Synthetic packages in the classic HTML5 player's format (Storyline 2, Articulate Studio '13):
// packed scripts holding the story's XML, with invented course text.

/** The packer's numeral for n: digits, a-z, then A-Z. */
function numeral(n: number): string {
  const digit = (d: number) => (d > 35 ? String.fromCharCode(d + 29) : d.toString(36));
  return (n < 62 ? '' : numeral(Math.floor(n / 62))) + digit(n % 62);
}

const jsString = (text: string, quote: string) =>
  `${quote}${text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(new RegExp(quote, 'g'), `\\${quote}`)}${quote}`;

/** A script packed as the player's publisher packs it: every word replaced by the numeral of its place in a list. */
function pack(source: string): string {
  const words: string[] = [];
  const index = new Map<string, number>();
  const payload = source.replace(/\b\w+\b/g, (word) => {
    if (!index.has(word)) {
      index.set(word, words.length);
      words.push(word);
    }
    return numeral(index.get(word) as number);
  });
  return (
    'eval(function(p,a,c,k,e,d){e=function(c){return(c<a?"":e(parseInt(c/a)))+((c=c%a)>35?String.fromCharCode(c+29):c.toString(36))};' +
    "if(!''.replace(/^/,String)){while(c--)d[e(c)]=k[c]||e(c);k=[function(e){return d[e]}];e=function(){return'\\\\w+'};c=1;};" +
    "while(c--)if(k[c])p=p.replace(new RegExp('\\\\b'+e(c)+'\\\\b','g'),k[c]);return p;}" +
    `(${jsString(payload, "'")},62,${words.length},${jsString(words.join('|'), "'")}.split('|'),0,{}))`
  );
}

const storyData = (xml: string) => pack(`CreateData(${jsString(xml, '"')});`);
const slideData = (id: string, xml: string) => pack(`SlideXMLData(${jsString(id, '"')},${jsString(xml, '"')});`);

const meta = (application: string, version: string) =>
  `<?xml version="1.0" encoding="utf-8"?><meta><project id="p1" title="Harbour Safety Basics" html5data="mobile/data.js"><description>Working safely on the quay.</description>` +
  `<application name="${application}" version="${version}" xmlversion="3.5" /></project></meta>`;

const shape = (id: string, alt: string, { xpos = 20, acctype = 'text' } = {}) =>
  `<vectorshape id='${id}' width='300' height='60' xpos='${xpos}' ypos='20' acctype='${acctype}'><data><vectordata alttext='${alt}' /></data>` +
  `<textlib><textdata id='01' type='vectortext'><vectortext /></textdata></textlib></vectorshape>`;

const STORY = `<bwContent id='_player' version='2.9.1605.1919'>
<scenes>
 <scene id='MsgScene_abc' startingslide='_player.MsgScene_abc.ResumePromptSlide'><slides>
  <slide id='ResumePromptSlide' title='Resume' html5url='mobile/slides/resume.js' /></slides></scene>
 <scene id='sc1' lmsid='Scene1'><slides>
  <slide id='s1' width='720' height='540' title='&lt;p&gt;&lt;font face=&apos;Open Sans&apos;&gt;Welcome aboard&lt;/font&gt;&lt;/p&gt;' html5url='mobile/slides/s1.js' />
  <slide id='s2' width='720' height='540' title='Untitled Slide' html5url='mobile/slides/s2.js' />
  <slide id='s3' width='720' height='540' title='Storm flags' html5url='mobile/slides/s3.js'>
   <interactions><interaction id='i1' lmsid='MultiChoice' lmstext='Which flag warns of a storm?' type='multiplechoice' maxpoints='10' issurvey='false'>
    <choices><choice id='choice_c1' lmstext='Red pennant' /><choice id='choice_c2' lmstext='Blue square' /><choice id='choice_c3' lmstext='Green circle' /></choices>
    <answers>
     <answer id='c1' points='10' status='correct'><evaluate><equals choiceid='choices.choice_c1' ignorecase='false' /></evaluate>
      <actions><show_slidelayer hideothers='oncomplete'><objref type='string' value='layerRight' /></show_slidelayer></actions></answer>
     <answer id='c2' points='0' status='incorrect'><evaluate><equals choiceid='choices.choice_c2' ignorecase='false' /></evaluate>
      <actions><if_action><condition><compare operator='lt' valuea='i1.AttemptCount' valueb='2' /></condition>
       <then_actions><show_slidelayer><objref type='string' value='layerWrong' /></show_slidelayer></then_actions></if_action></actions></answer>
     <answer id='other' points='0' status='incorrect'><evaluate><other /></evaluate>
      <actions><show_slidelayer><objref type='string' value='layerWrong' /></show_slidelayer></actions></answer>
    </answers></interaction></interactions>
  </slide>
 </slides></scene>
</scenes>
<quizzes><quiz id='q1' lmstext='Harbour quiz' issurvey='false' passpercent='80'><sliderefs><slideref id='_player.sc1.s3' /></sliderefs></quiz></quizzes>
</bwContent>`;

const SLIDES: Record<string, string> = {
  resume: `<slide id='ResumePromptSlide' width='420' height='210'><objects>${shape('t', 'Would you like to resume where you left off?')}</objects></slide>`,
  s1: `<slide id='s1' width='720' height='540'><objects>
    ${shape('a1', 'Rectangle 1')}
    ${shape('a2', 'Welcome to the harbour safety course.&#xD;Every crew member completes it before their first shift.')}
    <vectorshape id='img1' width='200' height='100' xpos='400' ypos='200' acctype='image'><data><vectordata alttext='dock-photo.jpg' /></data>
      <imagelib><imagedata id='01' url='story_content/dock.jpg' alttext='dock-photo.jpg' /></imagelib></vectorshape>
    <vectorshape id='img2' width='200' height='100' xpos='400' ypos='320' acctype='image'><data><vectordata alttext='A crane lifting a container onto a ship' /></data>
      <imagelib><imagedata id='01' url='story_content/crane.jpg' /></imagelib></vectorshape>
    ${shape('far', 'Notes kept beside the stage for the author', { xpos: 900 })}
    <button id='b1' width='80' height='30' xpos='600' ypos='480' acctype='button'><data><vectordata alttext='Next' /></data>
      <textlib><textdata id='01' type='vectortext'><vectortext /></textdata></textlib></button>
    </objects><audiolib><audio id='au1' url='story_content/welcome.mp3' duration='12500' /></audiolib></slide>`,
  s2: `<slide id='s2' width='720' height='540'><objects>
    <vectorshape id='v1' width='500' height='200' xpos='20' ypos='20' acctype='text'><data><vectordata alttext='' /></data>
      <textlib><textdata id='01' type='vartext'><vartext>&lt;html&gt;&lt;p&gt;&lt;font&gt;Always wear a life jacket on the pier.&lt;/font&gt;&lt;/p&gt;&lt;p&gt;Your score so far: &amp;amp;_player.Score;&lt;/p&gt;&lt;/html&gt;</vartext></textdata></textlib></vectorshape>
    </objects></slide>`,
  s3: `<slide id='s3' width='720' height='540'><objects>
    ${shape('q', 'Which flag warns of a storm?')}
    <scrollarea id='sa' width='300' height='200' xpos='20' ypos='100'><objects><shufflegroup><objects>
      ${shape('c1', 'Red pennant', { acctype: 'radio' })}${shape('c2', 'Blue square', { acctype: 'radio' })}${shape('c3', 'Green circle', { acctype: 'radio' })}
    </objects></shufflegroup></objects></scrollarea>
   </objects><slidelayers>
    <slidelayer id='layerRight'><objects>${shape('r1', 'Well spotted: the red pennant means a storm is coming.')}</objects></slidelayer>
    <slidelayer id='layerWrong'><objects>${shape('w1', 'Not quite. Check the flag chart by the harbour office.')}</objects></slidelayer>
   </slidelayers></slide>`,
};

function classicPackage(application: string, version = '2.9.1605.1919'): Record<string, string> {
  const files: Record<string, string> = {
    'meta.xml': meta(application, version),
    'story_html5.html': '<html><head><title>Harbour Safety Basics</title></head><body></body></html>',
    'story_content/frame.js': 'var frame = 1;',
    'story_content/dock.jpg': 'jpg',
    'story_content/crane.jpg': 'jpg',
    'story_content/welcome.mp3': 'mp3',
    'mobile/data.js': storyData(STORY),
  };
  for (const [id, xml] of Object.entries(SLIDES)) files[`mobile/slides/${id}.js`] = slideData(id, xml);
  return files;
}

describe('unpacking the classic player scripts', () => {
  it('restores the packed source word for word, leaving words outside the list alone', () => {
    const source = 'CreateData("<story title=\'Rectángulo 30 - the 2nd of 10 ships\' />");';
    expect(unpack(pack(source))).toBe(source);
  });

  it('returns a script that is not packed as it is', () => {
    expect(unpack('CreateData("<story />");')).toBe('CreateData("<story />");');
  });
});

describe('Articulate classic HTML5 player (Storyline 2, Studio 13)', () => {
  it('reads Storyline 2 output as Storyline, with the version meta.xml gives', async () => {
    const view = memoryView(classicPackage('Articulate Storyline'));
    expect(await storyline.detect(view)).toEqual({ version: '2.9.1605.1919' });
    expect((await detectTool(view))?.decoder).toBe(storyline);
    expect(await presenter.detect(view)).toBeNull();
    expect(await quizmaker.detect(view)).toBeNull();
  });

  it('reads slide text from the packed slide files, in scene order, without the player message scene', async () => {
    const output = await storyline.extract(memoryView(classicPackage('Articulate Storyline')));
    expect(output.title).toBe('Harbour Safety Basics');
    expect(output.description).toBe('Working safely on the quay.');
    expect(output.pages.map((p) => p.title)).toEqual(['Welcome aboard', null, 'Storm flags']);
    expect(output.pages.map((p) => p.source)).toEqual(['mobile/slides/s1.js', 'mobile/slides/s2.js', 'mobile/slides/s3.js']);
    const [welcome, jacket, flags] = pageTexts(output);
    expect(welcome).toContain('Welcome to the harbour safety course.');
    expect(welcome).toContain('Every crew member completes it before their first shift.');
    expect(welcome).toContain('A crane lifting a container onto a ship');
    expect(jacket).toContain('Always wear a life jacket on the pier.');
    expect(flags).toContain('Well spotted: the red pennant means a storm is coming.');
    const all = pageTexts(output).join('\n');
    for (const noise of ['Rectangle 1', 'dock-photo.jpg', 'Next', 'Would you like to resume', 'Notes kept beside the stage', '_player', 'Score;', 'font']) {
      expect(all).not.toContain(noise);
    }
  });

  it('reads questions with their choices, the correct one marked, feedback layers and the quiz pass mark', async () => {
    const output = await storyline.extract(memoryView(classicPackage('Articulate Storyline')));
    expect(output.assessments).toHaveLength(1);
    expect(output.assessments[0]).toMatchObject({ title: 'Harbour quiz', passingScore: 80, pageIndex: 2, source: 'mobile/slides/s3.js' });
    const question = questionWith(output, 'Which flag warns of a storm?');
    expect(question.type).toBe('choice');
    expect(question.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Red pennant', true],
      ['Blue square', false],
      ['Green circle', false],
    ]);
    expect(question.correct_answers).toEqual(['Red pennant']);
    expect(question.feedback).toEqual({
      correct: 'Well spotted: the red pennant means a storm is coming.',
      incorrect: 'Not quite. Check the flag chart by the harbour office.',
    });
    expect(question.points).toBe(10);
  });

  it('hints the media slides play and show', async () => {
    const output = await storyline.extract(memoryView(classicPackage('Articulate Storyline')));
    expect(output.media).toEqual(
      expect.arrayContaining([
        { path: 'story_content/welcome.mp3', durationSeconds: 12.5 },
        { path: 'story_content/crane.jpg', altText: 'A crane lifting a container onto a ship' },
      ]),
    );
  });

  it('names Articulate Presenter and Quizmaker packages after their application', async () => {
    const presentation = memoryView(classicPackage("Articulate Presenter '13", '7.8.1607.2021'));
    expect(await presenter.detect(presentation)).toEqual({ version: '7.8.1607.2021' });
    expect((await detectTool(presentation))?.decoder).toBe(presenter);
    expect((await detectTool(presentation))?.decoder.name).toBe('Articulate Presenter');
    expect(pageTexts(await presenter.extract(presentation)).join(' ')).toContain('Always wear a life jacket on the pier.');

    const quiz = memoryView(classicPackage("Articulate Quizmaker '13", '5.8.1607.2021'));
    expect((await detectTool(quiz))?.decoder.name).toBe('Articulate Quizmaker');
    expect(allQuestions(await quizmaker.extract(quiz)).map((q) => q.prompt)).toEqual(['Which flag warns of a storm?']);
  });

  it('reads a Quizmaker 360 package (the later player) as Storyline data, under its own name', async () => {
    const files = {
      'meta.xml': meta('Articulate Quizmaker', '5.33.31612.0'),
      'quiz_html5.html': '<html></html>',
      'html5/data/js/data.js': provideData('data', {
        scenes: [{ id: 'sc', slides: [{ id: 'q1', kind: 'slide', title: 'Knots', html5url: 'html5/data/js/q1.js' }] }],
      }),
      'html5/data/js/q1.js': provideData('slide', {
        id: 'q1',
        slideLayers: [{ id: 'q1', isBaseLayer: true, objects: [{ kind: 'vectorshape', id: 'o1', textLib: [{ vartext: { blocks: [{ spans: [{ text: 'A bowline makes a fixed loop.' }] }] } }] }] }],
      }),
    };
    const view = memoryView(files);
    const detected = await detectTool(view);
    expect(detected?.decoder.name).toBe('Articulate Quizmaker');
    expect(detected?.version).toBe('5.33.31612.0');
    const output = await quizmaker.extract(view);
    expect(output.pages.map((p) => p.title)).toEqual(['Knots']);
    expect(pageTexts(output)).toEqual(['A bowline makes a fixed loop.']);
  });

  it('names an Engage interaction after Engage, its text read as Storyline data', async () => {
    const view = memoryView({
      'meta.xml': meta('Articulate Engage', '4.30.28324.0'),
      'interaction_html5.html': '<html></html>',
      'html5/data/js/data.js': provideData('data', {
        scenes: [{ id: 'sc', slides: [{ id: 'e1', kind: 'slide', title: 'Step 1', html5url: 'html5/data/js/e1.js' }] }],
      }),
      'html5/data/js/e1.js': provideData('slide', {
        id: 'e1',
        slideLayers: [{ id: 'e1', isBaseLayer: true, objects: [{ kind: 'vectorshape', id: 'o1', textLib: [{ vartext: { blocks: [{ spans: [{ text: 'Check the tide table before you sail.' }] }] } }] }] }],
      }),
    });
    const detected = await detectTool(view);
    expect(detected?.decoder).toBe(engage);
    expect(detected?.decoder.name).toBe('Articulate Engage');
    expect(detected?.version).toBe('4.30.28324.0');
    expect(pageTexts(await engage.extract(view))).toEqual(['Check the tide table before you sail.']);
  });

  it('leaves later-player Storyline packages to the Storyline decoder', async () => {
    const view = memoryView({
      'meta.xml': meta('Articulate Storyline', '3.73.30583.0'),
      'story.html': '<html></html>',
      'html5/data/js/data.js': provideData('data', { scenes: [] }),
      'mobile/data.js': 'not the classic player',
    });
    expect(await presenter.detect(view)).toBeNull();
    expect((await detectTool(view))?.decoder).toBe(storyline);
  });

  it('warns and reads what it can when a slide file is missing or unreadable', async () => {
    const files = classicPackage('Articulate Storyline');
    delete files['mobile/slides/s2.js'];
    files['mobile/slides/s3.js'] = pack('SlideXMLData("s3", ');
    const view = memoryView(files);
    const output = await storyline.extract(view);
    expect(pageTexts(output)[0]).toContain('Welcome to the harbour safety course.');
    expect(view.warnings.map((w) => [w.code, w.path])).toEqual([
      ['storyline_data_missing', 'mobile/slides/s2.js'],
      ['storyline_data_unreadable', 'mobile/slides/s3.js'],
    ]);
    // The question still reads from the story data, with the slide's title.
    expect(questionWith(output, 'Which flag warns of a storm?').choices).toHaveLength(3);
  });
});
