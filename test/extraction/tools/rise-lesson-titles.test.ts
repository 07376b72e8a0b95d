import { describe, expect, it } from 'vitest';
import { rise } from '../../../src/extraction/tools/rise/index.js';
import { memoryView } from '../../support/memory-source.js';

/*
 * Rise shows section titles in its menu and a lesson's title at its top, even when the lesson
 * only embeds another page (a survey form): those titles are text the learner reads.
 */

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

const course = {
  course: {
    title: 'Home study habits',
    lessons: [
      { id: 's1', type: 'section', title: 'Step 1 – A quiet place' },
      {
        id: 'l1',
        type: 'blocks',
        title: 'Set up a desk',
        items: [{ id: 'b1', type: 'text', family: 'text', variant: 'paragraph', items: [{ id: 'i1', paragraph: '<p>Keep the desk clear of games.</p>' }] }],
      },
      {
        id: 'l2',
        type: 'blocks',
        title: 'Tell us what you think',
        items: [
          {
            id: 'b2',
            type: 'multimedia',
            family: 'multimedia',
            variant: 'embed',
            items: [{ id: 'i2', media: { embed: { src: '<iframe src="https://forms.example.org/survey"></iframe>', embedType: 'iframe' } } }],
          },
          { id: 'b3', type: 'divider', family: 'continue', variant: 'continue', items: [{ id: 'i3', title: 'CONTINUE' }] },
        ],
      },
    ],
  },
};

describe('Rise lesson and section titles', () => {
  it('keeps the title of a section and of a lesson that only embeds a page as the text of their pages', async () => {
    const view = memoryView({
      'scormcontent/index.html': '<html></html>',
      'scormcontent/lib/rise/player.js': '',
      'scormcontent/locales/und.js': `__resolveJsonp("course:und","${b64(course)}")`,
    });
    const output = await rise.extract(view);
    expect(output.pages.map((p) => [p.title, p.kind, p.blocks])).toEqual([
      ['Step 1 – A quiet place', 'section', [{ type: 'heading', level: 2, text: 'Step 1 – A quiet place' }]],
      ['Set up a desk', 'lesson', [{ type: 'paragraph', text: 'Keep the desk clear of games.' }]],
      ['Tell us what you think', 'lesson', [{ type: 'heading', level: 2, text: 'Tell us what you think' }]],
    ]);
  });
});
