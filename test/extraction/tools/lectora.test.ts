import { beforeAll, describe, expect, it } from 'vitest';
import { blocksToText, blocksWordCount } from '../../../src/extraction/content/blocks.js';
import { exe } from '../../../src/extraction/tools/exe/index.js';
import { lectora } from '../../../src/extraction/tools/lectora/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { xerte } from '../../../src/extraction/tools/xerte.js';
import { haveFixtures } from '../../support/fixtures.js';
import { memoryView } from '../../support/memory-source.js';
import { openFixtureView } from '../../support/views.js';

const FIXTURE = 'lectora19-scorm12-srt-partial.zip';

const pageText = (output: ToolOutput, source: string): string => {
  const page = output.pages.find((p) => p.source === source);
  expect(page, source).toBeDefined();
  return blocksToText(page?.blocks ?? []);
};

/** The fixture's decoder output, read once for the describes that check it. */
let fixtureRead: Promise<ToolOutput> | undefined;
function fixtureOutput(): Promise<ToolOutput> {
  fixtureRead ??= (async () => {
    const { view, close } = await openFixtureView(FIXTURE, { items: 'descriptor' });
    try {
      return await lectora.extract(view);
    } finally {
      close();
    }
  })();
  return fixtureRead;
}

describe.skipIf(!haveFixtures)('Lectora decoder on a Lectora 19 SCORM 1.2 publish', () => {
  let output: ToolOutput;
  beforeAll(async () => {
    output = await fixtureOutput();
  });

  it('recognises Lectora and its version, and only Lectora claims the package', async () => {
    const { view, warnings, close } = await openFixtureView(FIXTURE);
    try {
      expect(await lectora.detect(view)).toEqual({ version: '19.0.3' });
      expect(await xerte.detect(view)).toBeNull();
      expect(await exe.detect(view)).toBeNull();
      // Detection reads little and reports nothing.
      expect(warnings).toEqual([]);
    } finally {
      close();
    }
  });

  it('does not claim Xerte or eXeLearning packages', async () => {
    for (const other of ['xerte-scorm2004-3rd.zip', 'exe-scorm12-multisco-es.zip']) {
      const { view, close } = await openFixtureView(other);
      try {
        expect(await lectora.detect(view), other).toBeNull();
      } finally {
        close();
      }
    }
  });

  it('reads one page per page file, in the order of the Next links from the title manager', () => {
    expect(output.pages).toHaveLength(87);
    expect(output.pages.map((p) => p.source).slice(0, 7)).toEqual([
      'a001_pre_course_announcments.html',
      'a001_intro.html',
      'a001_home.html',
      'a001_info.html',
      'a001_module_1_01_personal_accountability.html',
      'a001_module_2_02_protective_security_101.html',
      'a001_m2_knowledge_check_m2_question_1.html',
    ]);
    expect(output.pages.at(-1)?.source).toBe('a001_breakout_pages_m5_certificate.html');
    expect(new Set(output.pages.map((p) => p.source)).size).toBe(87);
    expect(output.pages.every((p) => p.kind === 'page' && p.itemId === 'I_A001')).toBe(true);
    expect(output.pages[1]?.title).toBe('Intro');
    expect(output.title).toBe('Annual Security Awareness');
    expect(output.language).toBe('en');
  });

  it('keeps the learner text of each page, including text revealed on click', () => {
    expect(pageText(output, 'a001_intro.html')).toContain(
      'Annual Security Awareness (ASA) is undertaken by all Defence personnel including industry on an annual basis in order to understand individual security responsibilities.',
    );
    expect(pageText(output, 'a001_module_2_02_protective_security_101.html')).toContain(
      "Assets is the collective term used to describe Defence's people, information, equipment and reputation.",
    );
    // Hidden until the learner clicks a character: still course text.
    expect(pageText(output, 'a001_module_1_01_personal_accountability.html')).toContain('"I am accountable!" - Charlie.');
    expect(pageText(output, 'a001_m3_knowledge_check_m3_question_2.html')).toContain(
      'Your colleague is organising a team meeting to discuss OFFICIAL Defence information via Zoom.',
    );
    const words = output.pages.reduce((sum, p) => sum + blocksWordCount(p.blocks), 0);
    expect(words).toBeGreaterThan(12_000);
  });

  it('leaves out the chrome: footers, breadcrumbs, buttons, status badges, hidden question drivers', () => {
    const all = output.pages.map((p) => blocksToText(p.blocks)).join('\n');
    expect(all).not.toContain('ASA | Annual Security Awareness');
    expect(all).not.toMatch(/HOME \/ MODULE/);
    expect(all).not.toContain('Begin course');
    expect(all).not.toMatch(/^! Incomplete$/m);
    expect(all).not.toContain('Question Text');
    expect(all).not.toContain('Dropdown Selection');
  });

  it('never lets markup, script, style or encoded data into page text', () => {
    for (const page of output.pages) {
      const value = blocksToText(page.blocks);
      expect(value, page.source).not.toMatch(/[<{]|\bfunction\b|\bvar |\S{100,}/);
    }
  });

  it('reads question pages with their choices and the correct answers from the page scripts', () => {
    const questions = output.assessments.flatMap((a) => a.questions);
    expect(questions).toHaveLength(11);
    expect(output.assessments.every((a) => a.questions.length === 1 && a.source === output.pages[a.pageIndex ?? -1]?.source)).toBe(true);

    const q1 = output.assessments.find((a) => a.source === 'a001_m2_knowledge_check_m2_question_1.html')?.questions[0];
    expect(q1?.type).toBe('multiple_response');
    expect(q1?.prompt).toBe('To understand security, what are the 5 key questions you need to ask? Select the correct answers.');
    expect(q1?.choices).toHaveLength(7);
    expect(q1?.correct_answers).toEqual([
      'What are we trying to protect?',
      'Who are we trying to protect from?',
      'What will the impact be if harm is caused?',
      'What allows harm to be caused to these assets?',
      'What do we need to do to best protect our asset/s?',
    ]);

    const soup = output.assessments.find((a) => a.source === 'a001_m3_knowledge_check_m3_question_1.html')?.questions[0];
    expect(soup?.type).toBe('choice');
    expect(soup?.correct_answers).toEqual(['Suspicious occurrences, Ongoing contact, Unusual incidents, Persistent approaches or questioning']);

    // Commas inside a value are escaped (`&#44`) in the answer list.
    const places = output.assessments.find((a) => a.source === 'a001_m3_knowledge_check_m3_question_7.html')?.questions[0];
    expect(places?.correct_answers).toEqual([
      'In uncontrolled spaces such as offsite conferences, trade shows and public spaces',
      'Outside of Australia, within their own backyard.',
      'Online',
    ]);
    const email = output.assessments.find((a) => a.source === 'a001_m3_knowledge_check_m3_question_5.html')?.questions[0];
    expect(email?.correct_answers).toHaveLength(1);
    expect(email?.correct_answers[0]).toMatch(/^YOUR BANK Australia Pty Ltd\. Dear Rhonda, This note/);

    // Custom drop-down activities driven by a hidden true/false question are not read as that question.
    const sources = output.assessments.map((a) => a.source);
    expect(sources).not.toContain('a001_m2_knowledge_check_m2_question_2.html');
    expect(sources).not.toContain('a001_m3_knowledge_check_m3_question_6.html');
  });

  it('attaches the SubRip captions to their video and keeps authored image descriptions', () => {
    const video = output.media.find((m) => m.path === 'media/m1charlie07.mp4');
    expect(video?.captions).toEqual(['M1Charlie07.mp4.srt']);
    expect(output.media.filter((m) => m.path.endsWith('.mp4'))).toHaveLength(5);
    expect(output.media.find((m) => m.path === 'images/m1_comic_typicalresponse_img1.png')?.altText).toBe('Ace on phone');
    // Names Lectora derives from file names are not descriptions.
    expect(output.media.some((m) => m.altText && /_|@/.test(m.altText))).toBe(false);
  });
});

describe('Lectora decoder on an older HTML publish (text in the page body)', () => {
  const files: Record<string, string> = {};

  beforeAll(() => {
    const page = (name: string, next: string | null, objects: string, body: string) => `<!DOCTYPE html>
<html lang="fr"><!--GENERATED BY:  Lectora Inspire v.16.2.1(10501) --><head><title>${name}</title>
<script src="trivantis.js"></script><script>
var pgID = 'page1';
function trivExitPage( newPage, bFeedback ) { trivGoToPage = newPage }
${next ? `function trivNextPage() {\n    trivExitPage( '${next}', true )\n}` : ''}
function Update_qu10() {
  var val = VarQ1.getValue()
  radio12.objLyr.doc.getElementById("radio12id").checked=(val=='Le Rh\\u00f4ne')
  radio14.objLyr.doc.getElementById("radio14id").checked=(val=='La Seine')
}
function action20(fn){
    if(VarQ1.isCorr('\\u004C\\u0061\\u0020\\u0053\\u0065\\u0069\\u006E\\u0065'))
    {text30.actionShow();}
}
function ReFlow() { var left = (winW > 785) ? (winW-785)/2 : 0 }
if( is.min ){
${objects}
}
</script></head><body>${body}</body></html>`;
    files['trivantis.js'] = '// runtime';
    files['index.html'] = page(
      'Accueil',
      'quiz.html',
      `text1 = new ObjText('text1',null,20,20,400,40,1,1,null,'div')
text2 = new ObjText('text2',null,20,600,400,20,1,2,null,'div',null,1)
button3 = new ObjButton('button3', 'Suivant',700,20,80,30,1,3,'div','',1,0)`,
      `<div id="text1"><p><span>Bienvenue dans le cours sur les fleuves.</span></p></div>
<div id="text2"><p>Pied de page</p></div>`,
    );
    files['quiz.html'] = page(
      'Question',
      null,
      `qu10 = new ObjInline('qu10',null,20,100,500,300,1,0)
qu10.isGrp = true
qu10.addChild('text11')
qu10.addChild('text13')
qu10.addChild('radio12')
qu10.addChild('text15')
qu10.addChild('radio14')
qu10.ansVar=VarQ1;
text11 = new ObjText('text11',null,20,100,400,40,1,4,null,'div')
text11.addInnerText('<legend><div id="text11"><p>Quel fleuve traverse Paris ?</p></div></legend>')
text13 = new ObjText('text13',null,60,150,400,40,1,5,null,'div')
text13.addInnerText('<div id="text13"><label for="radio12id"><p>Le Rh\\u00f4ne</p></label></div>')
radio12 = new ObjInline('radio12',null,20,150,null,null,1,6, 0, null, null, 0)
text15 = new ObjText('text15',null,60,200,400,40,1,7,null,'div')
text15.addInnerText('<div id="text15"><label for="radio14id"><p>La Seine</p></label></div>')
radio14 = new ObjInline('radio14',null,20,200,null,null,1,8, 0, null, null, 0)
text30 = new ObjText('text30',null,20,300,400,40,0,9,null,'div')
text30.addInnerText('<div id="text30"><p>Bravo, c\\'est la Seine.</p></div>')
image40 = new ObjImage('image40','images/seine.jpg','La Seine à Paris au coucher du soleil',0,0,300,200,1,10,'div',null,0)`,
      '',
    );
  });

  it('reads body text, scripted text and a question from the Update function', async () => {
    const view = memoryView(files);
    expect(await lectora.detect(view)).toEqual({ version: '16.2.1' });
    const output = await lectora.extract(view);
    expect(output.pages.map((p) => p.source)).toEqual(['index.html', 'quiz.html']);
    expect(blocksToText(output.pages[0]?.blocks ?? [])).toBe('Bienvenue dans le cours sur les fleuves.');
    expect(blocksToText(output.pages[1]?.blocks ?? [])).toContain("Bravo, c'est la Seine.");
    const question = output.assessments[0]?.questions[0];
    expect(question?.type).toBe('choice');
    expect(question?.prompt).toBe('Quel fleuve traverse Paris ?');
    expect(question?.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Le Rhône', false],
      ['La Seine', true],
    ]);
    expect(output.media).toEqual([{ path: 'images/seine.jpg', altText: 'La Seine à Paris au coucher du soleil' }]);
    expect(output.language).toBe('fr');
  });
});

describe('Lectora text that separates items with bars', () => {
  it('keeps a line of words between bars, which is no code', async () => {
    const page = `<!DOCTYPE html>
<html lang="en"><!--GENERATED BY:  Lectora v.22.2.1(12662) --><head><title>Gaits</title>
<script src="trivantis.js"></script><script>
var pgID = 'page1';
function trivExitPage( newPage, bFeedback ) { trivGoToPage = newPage }
if( is.min ){
text1 = new ObjText('text1',null,20,20,600,80,1,1,null,'div')
text1.addInnerText('<div id="text1"><p><span>A horse moves at these paces:</span></p><p><span>WALK </span><span>|</span><span> TROT</span><span> |</span><span> CANTER </span><span>|</span><span> GALLOP </span><span>|</span><span> HALT </span><span>|</span><span> REIN BACK</span></p></div>')
}
</script></head><body></body></html>`;
    const output = await lectora.extract(memoryView({ 'trivantis.js': '// runtime', 'index.html': page }));
    const text = blocksToText(output.pages[0]?.blocks ?? []);
    expect(text).toContain('A horse moves at these paces:');
    expect(text).toContain('WALK | TROT | CANTER | GALLOP | HALT | REIN BACK');
  });
});

describe.skipIf(!haveFixtures)('Lectora decoder on the test files of a Lectora 19 publish', () => {
  let output: ToolOutput;
  beforeAll(async () => {
    output = await fixtureOutput();
  });

  const question = (source: string) => output.assessments.find((a) => a.source === source)?.questions[0];

  it('reads every knowledge check from the encrypted test files, on the page it sits on, with its weight', () => {
    const questions = output.assessments.flatMap((a) => a.questions);
    expect(questions).toHaveLength(11);
    // Weights come from the test files only; the last check of module 4 is not scored.
    expect(questions.map((q) => q.points)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(output.pages.map((p) => p.title).slice(0, 7)).toEqual([
      'Pre course announcments',
      'Intro',
      'Home',
      '+Info',
      '01 Personal accountability',
      '02 Protective Security 101',
      'M2 Question 1',
    ]);

    const sarah = question('a001_m3_knowledge_check_m3_question_3.html');
    expect(sarah?.type).toBe('multiple_response');
    expect(sarah?.prompt).toMatch(/^Sarah has held an Australia Government security clearance for two years\..*What changes Sarah would need to advise to AGSVA\?/);
    expect(sarah?.correct_answers).toEqual([
      'Purchase of property',
      'Change in savings/new bank loan',
      'Partner has moved in',
      'Marriage',
      'New car',
      'Change in contact details',
    ]);
    expect(sarah?.choices.find((c) => c.text === 'Ordered a pizza')?.correct).toBe(false);

    const incident = question('a001_m4_knowledge_check_m4_question_1.html');
    expect(incident?.type).toBe('choice');
    expect(incident?.correct_answers).toEqual(['IDENTIFY & INFORM by recording in detail everything that you observe']);
    expect(incident?.choices.map((c) => c.text)).toEqual([
      'IDENTIFY & INFORM by recording in detail everything that you observe',
      'DETECT & NOTIFY by calling the Australian Federal Police to report',
      'CAPTURE & DETAIN the suspected threats',
    ]);

    // The test files also list the hidden true/false drivers of two drop-down activities ("Question Text").
    expect(questions.some((q) => q.prompt === 'Question Text')).toBe(false);
  });
});
