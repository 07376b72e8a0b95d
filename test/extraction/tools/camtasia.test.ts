import { describe, expect, it } from 'vitest';
import { rtfText } from '../../../src/extraction/tools/camtasia/xmp.js';
import { camtasia } from '../../../src/extraction/tools/camtasia/index.js';
import { detectTool } from '../../../src/extraction/tools/registry.js';
import { memoryView } from '../../support/memory-source.js';
import { allQuestions, pageTexts, questionWith } from '../../support/tool-output.js';

// A Camtasia web publish in general terms: the Smart Player page, the video and its XMP metadata
// (`<name>_config.xml`, and the same XML as a string in `scripts/config_xml.js`).

const NAMESPACES =
  'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:xmpDM="http://ns.adobe.com/xmp/1.0/DynamicMedia/" xmlns:tscDM="http://www.techsmith.com/xmp/tscDM/" xmlns:tscIQ="http://www.techsmith.com/xmp/tscIQ/" xmlns:tscHS="http://www.techsmith.com/xmp/tscHS/" xmlns:dc="http://purl.org/dc/elements/1.1/"';

const li = (inner: string) => `<rdf:li>${inner}</rdf:li>`;
const seq = (items: string[]) => `<rdf:Seq>${items.join('')}</rdf:Seq>`;
const alt = (words: string) => `<rdf:Alt><rdf:li xml:lang="en-US">${words}</rdf:li></rdf:Alt>`;

const answers = (texts: string[]) =>
  `<tscIQ:answerArray>${seq(texts.map((t, i) => li(`<rdf:Description tscIQ:orderId="${i}"><tscIQ:answer>${t}</tscIQ:answer></rdf:Description>`)))}</tscIQ:answerArray>`;

const feedback = (correct: string, incorrect: string) =>
  `<tscIQ:feedback><rdf:Bag>${li(`<rdf:Description tscIQ:reason="correct"><xmpDM:name>${alt(correct)}</xmpDM:name></rdf:Description>`)}${li(
    `<rdf:Description tscIQ:reason="incorrect" tscIQ:jumpToTime="1000"><xmpDM:name>${alt(incorrect)}</xmpDM:name></rdf:Description>`,
  )}</rdf:Bag></tscIQ:feedback>`;

const question = (id: number, type: string, prompt: string, correct: string, rest = '') =>
  li(`<rdf:Description tscIQ:type="${type}" tscIQ:id="${id}"><tscIQ:question>${prompt}</tscIQ:question>${correct ? `<tscIQ:correctAnswer>${correct}</tscIQ:correctAnswer>` : '<tscIQ:correctAnswer/>'}${rest}</rdf:Description>`);

const track = (type: string, markers: string[], attributes = '') =>
  li(`<rdf:Description xmpDM:trackType="${type}" xmpDM:frameRate="f1000" ${attributes}><xmpDM:markers>${seq(markers)}</xmpDM:markers></rdf:Description>`);

function configXml(video: string, tracks: string[]): string {
  return `<x:xmpmeta tsc:version="2.0.1" xmlns:x="adobe:ns:meta/" xmlns:tsc="http://www.techsmith.com/xmp/tsc/">
   <rdf:RDF ${NAMESPACES}>
      <rdf:Description dc:date="2024-01-01 10:00:00 AM" dc:source="Camtasia,23.4.2,enu" dc:title="Watering Orchids" tscDM:project="orchids">
         <tsc:langName><rdf:Bag><rdf:li xml:lang="en-GB">English</rdf:li></rdf:Bag></tsc:langName>
         <xmpDM:Tracks><rdf:Bag>${tracks.join('\n')}</rdf:Bag></xmpDM:Tracks>
         <tscDM:contentList><rdf:Description><tscDM:files><rdf:Seq><rdf:li xmpDM:name="0" xmpDM:value="${video}"/><rdf:li xmpDM:name="1" xmpDM:value="orchids_First_Frame.png"/></rdf:Seq></tscDM:files></rdf:Description></tscDM:contentList>
      </rdf:Description>
   </rdf:RDF>
</x:xmpmeta>`;
}

const TRACKS = [
  track('Hotspot', [li('<rdf:Description xmpDM:label="1" xmpDM:startTime="500" xmpDM:duration="300" tscHS:pause="1"/>')]),
  track(
    'Caption',
    [
      li(`<rdf:Description xmpDM:duration="2000" xmpDM:startTime="0"><xmpDM:name>${alt('{\\rtf1 Orchids drink little \\par but often.}')}</xmpDM:name></rdf:Description>`),
      li(`<rdf:Description xmpDM:duration="2500" xmpDM:startTime="4000"><xmpDM:name>${alt("{\\rtf1 Use rain water, not caf\\'e9 leftovers.}")}</xmpDM:name></rdf:Description>`),
      li(`<rdf:Description xmpDM:duration="2500" xmpDM:startTime="9000"><xmpDM:name>${alt('{\\rtf1 Let the pot drain for ten minutes.}')}</xmpDM:name></rdf:Description>`),
    ],
    'xmpDM:trackName="Captioning"',
  ),
  track('TableOfContents', [
    li('<rdf:Description xmpDM:name="How much water" xmpDM:startTime="3500" tscDM:image="orchids_Thumbnails.png"/>'),
    li('<rdf:Description xmpDM:name="Draining the pot" xmpDM:startTime="8000" tscDM:image="orchids_Thumbnails.png"/>'),
  ]),
  track(
    'Quiz',
    [
      li(
        `<rdf:Description xmpDM:startTime="7000" tscIQ:feedback="1" tscIQ:questionSetName="Check your watering"><tscIQ:questions>${seq([
          question(0, 'MC', 'Which water suits orchids best?', '4', answers(['Salted water', 'Ice water', 'Rain water', 'Sparkling water']) + feedback('Right, rain water.', 'Think of the forest.')),
          question(1, 'MC', 'Which colour do you like best?', '0', answers(['White', 'Purple'])),
          question(2, 'FITB', 'Let the pot drain for ____ minutes.', '', answers(['ten', '10'])),
        ])}</tscIQ:questions></rdf:Description>`,
      ),
      li(
        `<rdf:Description xmpDM:startTime="12000" tscIQ:feedback="0" tscIQ:questionSetName="Your turn"><tscIQ:questions>${seq([
          question(3, 'SHORT', 'How often will you water yours?', '', '<tscIQ:answerArray/>'),
        ])}</tscIQ:questions></rdf:Description>`,
      ),
    ],
    'xmpDM:trackName="Quiz" tscIQ:locale="en-US"',
  ),
];

const PLAYER = '<html><body><div id="tscVideoContent"></div><script src="scripts/config_xml.js"></script></body></html>';

function publish(folder = ''): Record<string, string> {
  return {
    [`${folder}orchids.html`]: '<iframe src="orchids_player.html"></iframe>',
    [`${folder}orchids_player.html`]: PLAYER,
    [`${folder}orchids.mp4`]: 'video',
    [`${folder}orchids_config.xml`]: configXml('orchids.mp4', TRACKS),
  };
}

const items = (launch: string) => [{ identifier: 'ITEM-1', title: 'Lesson', launch }];

describe('Camtasia decoder', () => {
  it('recognises a publish the package launches, with the version in dc:source', async () => {
    const view = memoryView(publish(), items('orchids.html'));
    expect(await camtasia.detect(view)).toEqual({ version: '23.4.2' });
    expect((await detectTool(view))?.decoder.name).toBe('TechSmith Camtasia');
    expect(view.warnings).toEqual([]);
  });

  it('leaves a course that only embeds a publish in a folder to its own reader', async () => {
    const files = { 'index.html': '<h1>Orchid care</h1>', ...publish('video/') };
    expect(await camtasia.detect(memoryView(files, items('index.html')))).toBeNull();
    // Nor is an XML file of another kind that ends in _config.xml taken for one.
    expect(await camtasia.detect(memoryView({ 'app_config.xml': '<config><name>x</name></config>', 'index.html': '' }))).toBeNull();
  });

  it('reads chapters, with what the captions say in each, into the video page', async () => {
    const output = await camtasia.extract(memoryView(publish(), items('orchids.html')));
    expect(output.title).toBe('Watering Orchids');
    expect(output.language).toBe('en-GB');
    expect(output.pages).toHaveLength(1);
    expect(output.pages[0]).toMatchObject({ title: 'Watering Orchids', source: 'orchids_config.xml', itemId: 'ITEM-1' });
    expect(output.pages[0]?.blocks).toEqual([
      { type: 'paragraph', text: 'Orchids drink little but often.' },
      { type: 'heading', level: 2, text: 'How much water' },
      { type: 'paragraph', text: 'Use rain water, not café leftovers.' },
      { type: 'heading', level: 2, text: 'Draining the pot' },
      { type: 'paragraph', text: 'Let the pot drain for ten minutes.' },
    ]);
    // The captions are also the video's transcript, with their timings.
    const hint = output.media.find((m) => m.path === 'orchids.mp4');
    expect(hint?.transcript?.cues).toHaveLength(3);
    expect(hint?.transcript?.cues[1]).toEqual({ start: 4, end: 6.5, text: 'Use rain water, not café leftovers.' });
  });

  it("reads each question set, the correct answer marked by its bit (4 = the third answer)", async () => {
    const output = await camtasia.extract(memoryView(publish(), items('orchids.html')));
    expect(output.assessments.map((a) => [a.title, a.questions.length, a.pageIndex, a.itemId])).toEqual([
      ['Check your watering', 3, 0, 'ITEM-1'],
      ['Your turn', 1, 0, 'ITEM-1'],
    ]);
    const single = questionWith(output, 'Which water suits');
    expect(single.type).toBe('choice');
    expect(single.choices.map((c) => [c.text, c.correct])).toEqual([
      ['Salted water', false],
      ['Ice water', false],
      ['Rain water', true],
      ['Sparkling water', false],
    ]);
    expect(single.feedback).toEqual({ correct: 'Right, rain water.', incorrect: 'Think of the forest.' });
    // A poll (correct answer 0) has choices but no right one.
    const poll = questionWith(output, 'Which colour');
    expect(poll.choices.map((c) => [c.text, c.correct])).toEqual([['White', null], ['Purple', null]]);
    expect(poll.correct_answers).toEqual([]);
    const blank = questionWith(output, 'Let the pot drain');
    expect(blank).toMatchObject({ type: 'fill_in', correct_answers: ['ten', '10'], choices: [] });
    expect(questionWith(output, 'How often will you water')).toMatchObject({ type: 'essay', correct_answers: [] });
    expect(new Set(allQuestions(output).map((q) => q.id)).size).toBe(4);
  });

  it('reads the script copy of the XML when the publish has no XML file, one page a publish', async () => {
    const script = (xml: string) => `var TSC = TSC || {};\n\nTSC.embedded_config_xml = '${xml.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\\n')}';\n`;
    const files: Record<string, string> = {};
    for (const folder of ['part1/', 'part2/']) {
      const own = publish(folder);
      files[`${folder}orchids.html`] = own[`${folder}orchids.html`] as string;
      files[`${folder}orchids.mp4`] = 'video';
      files[`${folder}scripts/config_xml.js`] = script(own[`${folder}orchids_config.xml`] as string);
    }
    const view = memoryView(files, [
      { identifier: 'A', title: 'One', launch: 'part1/orchids.html' },
      { identifier: 'B', title: 'Two', launch: 'part2/orchids.html' },
    ]);
    expect(await camtasia.detect(view)).toEqual({ version: '23.4.2' });
    const output = await camtasia.extract(view);
    expect(output.pages.map((p) => [p.source, p.itemId])).toEqual([
      ['part1/scripts/config_xml.js', 'A'],
      ['part2/scripts/config_xml.js', 'B'],
    ]);
    expect(pageTexts(output)[1]).toContain('Use rain water, not café leftovers.');
    expect(allQuestions(output)).toHaveLength(8);
    expect(new Set(allQuestions(output).map((q) => q.id)).size).toBe(8);
  });

  it('turns caption RTF into plain words', () => {
    expect(rtfText('{\\rtf1 caf\\u233?s and na\\\'efve \\line lines}')).toBe('cafés and naïve lines');
    expect(rtfText('{\\rtf1 {\\b bold} and \\{braces\\}}')).toBe('bold and {braces}');
    expect(rtfText('plain words')).toBe('plain words');
  });
});
