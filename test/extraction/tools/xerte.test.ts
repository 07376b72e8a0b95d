import { beforeAll, describe, expect, it } from 'vitest';
import { blocksToText, blocksWordCount } from '../../../src/extraction/content/blocks.js';
import { exe } from '../../../src/extraction/tools/exe/index.js';
import { lectora } from '../../../src/extraction/tools/lectora/index.js';
import type { ToolOutput } from '../../../src/extraction/tools/tool.js';
import { xerte } from '../../../src/extraction/tools/xerte.js';
import { haveFixtures } from '../../support/fixtures.js';
import { memoryView } from '../../support/memory-source.js';
import { openFixtureView } from '../../support/views.js';

const FIXTURE = 'xerte-scorm2004-3rd.zip';

describe.skipIf(!haveFixtures)('Xerte decoder on a Xerte Online Toolkits SCORM 2004 export', () => {
  let output: ToolOutput;
  const textOf = (index: number) => blocksToText(output.pages[index]?.blocks ?? []);

  beforeAll(async () => {
    const { view, close } = await openFixtureView(FIXTURE, { items: 'descriptor' });
    try {
      output = await xerte.extract(view);
    } finally {
      close();
    }
  });

  it('recognises Xerte, and only Xerte claims the package', async () => {
    const { view, warnings, close } = await openFixtureView(FIXTURE);
    try {
      // An export does not state the toolkit's version.
      expect(await xerte.detect(view)).toEqual({ version: null });
      expect(await lectora.detect(view)).toBeNull();
      expect(await exe.detect(view)).toBeNull();
      // Detection reads little and reports nothing.
      expect(warnings).toEqual([]);
    } finally {
      close();
    }
  });

  it('does not claim Lectora or eXeLearning packages', async () => {
    for (const other of ['lectora19-scorm12-srt-partial.zip', 'exe-scorm12-multisco-es.zip']) {
      const { view, close } = await openFixtureView(other);
      try {
        expect(await xerte.detect(view), other).toBeNull();
      } finally {
        close();
      }
    }
  });

  it('reads every page of template.xml in document order, for the single item', () => {
    expect(output.pages).toHaveLength(36);
    expect(output.pages.every((p) => p.kind === 'page' && p.source === 'template.xml' && p.itemId === 'XERTE-ITEM-1604372499')).toBe(true);
    expect(output.pages.slice(0, 5).map((p) => p.title)).toEqual([
      'BEM-VINDO',
      'Apresentação',
      'Apresentação',
      'Maria dos Santos',
      'Verificando a publicação',
    ]);
    expect(output.pages.at(-2)?.title).toBe('Créditos');
    expect(output.title).toBe('FAKEBUQUI');
    expect(output.language).toBe('pt-BR');
  });

  it('keeps the Portuguese learner text of CDATA, attributes and embedded HTML, entities decoded', () => {
    expect(textOf(0)).toBe('BEM-VINDO AO FAKEBUQUI');
    expect(textOf(1)).toContain('Fake news são notícias ou informações falsas, tendo como objetivo nos enganar, por isso tome bastante cuidado.');
    expect(textOf(2)).toContain('A cada publicação será dada a opção de checar as fontes ou simplesmente responder a questão.');
    expect(textOf(3)).toContain('Mark Zuckerberg anuncia que o Facebook será pago');
    expect(textOf(4)).toBe('Nesse momento, estamos procurando na web se essa noticia é verdadeira.');
    expect(textOf(33)).toContain('Dependendo do seu círculo social e suas buscas na internet, o filtro bolha retorna diferentes resultados para a mesma pesquisa.');
    expect(textOf(34)).toContain('GABRIEL ROCHA DE OLIVEIRA');
    expect(textOf(35)).toContain('Você não pode aplicar termos legais ou medidas tecnológicas');
    const words = output.pages.reduce((sum, p) => sum + blocksWordCount(p.blocks), 0);
    expect(words).toBeGreaterThan(1200);
  });

  it('never lets markup, script, editor placeholders or file references into page text', () => {
    for (const [i, page] of output.pages.entries()) {
      const value = blocksToText(page.blocks);
      expect(value, String(i)).not.toMatch(/[<{]|\bfunction\b|\bvar |\S{100,}|FileLocation|Description for the hotspot|Enter a Description/);
    }
  });

  it('reads the eight connector questions with their choices; they mark no answer correct', () => {
    expect(output.assessments).toHaveLength(8);
    const questions = output.assessments.flatMap((a) => a.questions);
    expect(questions).toHaveLength(8);
    expect(output.assessments.map((a) => a.pageIndex)).toEqual([3, 7, 10, 14, 17, 21, 24, 28]);
    expect(questions[0]?.choices.map((c) => c.text)).toEqual(['Verificar informação', 'Não verificar a informação']);
    expect(questions[1]?.choices.map((c) => c.text)).toEqual(['Essa noticia é verdadeira', 'Essa noticia é falsa']);
    expect(questions[2]?.prompt).toBe('Beber água a cada 15 minutos previne a Covid-19');
    expect(questions.every((q) => q.type === 'choice' && q.correct_answers.length === 0 && q.choices.every((c) => c.correct === null))).toBe(true);
  });

  it('lists the media of the pages, hotspot images included', () => {
    const paths = output.media.map((m) => m.path);
    expect(paths).toContain('media/01.png');
    expect(paths).toContain('media/pesquisar_publica1_fb_new_new.png');
    expect(paths).toContain('media/feedback_erro4.png');
    expect(paths.every((p) => p.startsWith('media/'))).toBe(true);
    // "Enter a Description for Accessibility" is the editor's default, not a description.
    expect(output.media.some((m) => m.altText)).toBe(false);
  });
});

describe('Xerte decoder on question pages', () => {
  const files = {
    'scormRLO.htm': '<html></html>',
    'template.xml':
      `<?xml version="1.0"?>
<learningObject editorVersion="3" targetFolder="Nottingham" name="Capitals &amp;amp; rivers" language="en-GB" trackingPassed="60%">` +
      `<text linkID="PG1" name="Intro"><![CDATA[<p>Welcome to the <strong>course</strong>.</p><script>var x = 1;</script>]]></text>` +
      `<mcq linkID="PG2" name="Capital" instruction="&lt;p&gt;Read carefully.&lt;/p&gt;" prompt="&lt;p&gt;What is the capital of France?&lt;/p&gt;" type="Single Answer" feedback="&lt;p&gt;Paris since 508.&lt;/p&gt;" checkBtnTxt="Check">` +
      `<option linkID="PG3" name="Answer" text="&lt;p&gt;Paris&lt;/p&gt;" feedback="&lt;p&gt;Yes.&lt;/p&gt;" correct="true"/>` +
      `<option linkID="PG4" name="Answer" text="&lt;p&gt;Lyon&lt;/p&gt;" feedback="&lt;p&gt;No.&lt;/p&gt;" correct="false"/></mcq>` +
      `<quiz linkID="PG5" name="Quiz"><question linkID="PG6" prompt="Pick the even numbers" type="Multiple Answer">` +
      `<option text="2" correct="true"/><option text="3" correct="false"/><option text="4" correct="true"/></question></quiz>` +
      `<gapFill linkID="PG7" name="Gaps" text="&lt;p&gt;Fill the gaps.&lt;/p&gt;" passage="&lt;p&gt;The |cat| sat on the |mat,rug|.&lt;/p&gt;"/>` +
      `<textVideo linkID="PG8" name="Video" url="FileLocation + 'media/clip.mp4'" tip="Enter a Description for Accessibility" transcript="&lt;p&gt;Hello from the clip.&lt;/p&gt;">` +
      `<![CDATA[<p>Watch it.</p><p><img src="FileLocation + 'media/barn.jpg'" alt="A red barn" /></p>]]></textVideo>` +
      `<text linkID="PG9" name="Hidden" hidePage="true"><![CDATA[<p>Secret</p>]]></text>` +
      `</learningObject>`,
  };

  it('reads choices with correct flags, gaps with their answers, and media transcripts', async () => {
    const view = memoryView(files);
    expect(await xerte.detect(view)).toEqual({ version: null });
    const output = await xerte.extract(view);
    expect(output.title).toBe('Capitals & rivers');
    expect(output.pages.map((p) => p.title)).toEqual(['Intro', 'Capital', 'Quiz', 'Gaps', 'Video']);
    expect(blocksToText(output.pages[0]?.blocks ?? [])).toBe('Welcome to the course.');
    expect(blocksToText(output.pages[1]?.blocks ?? [])).toBe('Read carefully.\n\nWhat is the capital of France?\n\nParis\nLyon');
    expect(blocksToText(output.pages[3]?.blocks ?? [])).toBe('Fill the gaps.\n\nThe ____ sat on the ____ .');

    const [capital, quiz, gaps] = output.assessments;
    expect(capital?.passingScore).toBe(60);
    expect(capital?.questions[0]).toMatchObject({
      type: 'choice',
      prompt: 'What is the capital of France?',
      correct_answers: ['Paris'],
      feedback: { correct: 'Paris since 508.', incorrect: 'Paris since 508.' },
    });
    expect(capital?.questions[0]?.choices.map((c) => [c.text, c.correct, c.feedback])).toEqual([
      ['Paris', true, 'Yes.'],
      ['Lyon', false, 'No.'],
    ]);
    expect(quiz?.questions[0]).toMatchObject({ type: 'multiple_response', correct_answers: ['2', '4'] });
    expect(gaps?.questions[0]).toMatchObject({ type: 'fill_in', correct_answers: ['cat', 'mat / rug'] });
    expect(output.media).toEqual([
      { path: 'media/clip.mp4', transcript: { language: null, cues: [], text: 'Hello from the clip.' } },
      { path: 'media/barn.jpg', altText: 'A red barn' },
    ]);
  });
});
