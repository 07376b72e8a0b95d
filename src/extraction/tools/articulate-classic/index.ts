import { cleanText } from '../../content/text.js';
import type { PackageView } from '../../source/package-view.js';
import { storyline } from '../storyline/index.js';
import { DATA_FILE } from '../storyline/data-files.js';
import type { ToolDecoder, ToolDetection, ToolOutput } from '../tool.js';
import { CLASSIC_DATA_FILE, readClassicStory } from './story.js';

/*
 * Articulate's classic HTML5 output: Storyline 1 and 2, and the Articulate Studio '13 apps
 * (Presenter, Quizmaker), publish `mobile/data.js` and `mobile/slides/<id>.js`, packed
 * scripts holding the story's XML. `meta.xml` at the root names the application and its version.
 * Studio 360 apps publish the later player's data (`html5/data/js/`), read as Storyline's is,
 * under the application's own name.
 */

const PACKED_OR_CALLED = /eval\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,|CreateData\s*\(/;

interface Meta {
  application: string | null;
  version: string | null;
  title: string | null;
  description: string | null;
}

const xmlAttribute = (xml: string, element: string, attribute: string): string | null => {
  const value = new RegExp(`<${element}\\b[^>]*?\\s${attribute}="([^"]*)"`, 'i').exec(xml)?.[1];
  return value !== undefined ? cleanText(value) || null : null;
};

async function readMeta(view: PackageView): Promise<Meta | null> {
  if (!view.has('meta.xml')) return null;
  const xml = await view.text('meta.xml', 1024 * 1024);
  if (!xml) return null;
  const description = /<description>([\s\S]*?)<\/description>/i.exec(xml)?.[1];
  return {
    application: xmlAttribute(xml, 'application', 'name'),
    version: xmlAttribute(xml, 'application', 'version'),
    title: xmlAttribute(xml, 'project', 'title'),
    description: description ? cleanText(description) || null : null,
  };
}

async function hasClassicData(view: PackageView): Promise<boolean> {
  if (!view.has(CLASSIC_DATA_FILE) || view.has(DATA_FILE)) return false;
  const head = (await view.head(CLASSIC_DATA_FILE, 4096).catch(() => Buffer.alloc(0))).toString('latin1');
  return PACKED_OR_CALLED.test(head);
}

/**
 * A decoder for the packages of one Articulate application, told apart by the name `meta.xml`
 * gives; `fallback` claims classic output whose meta.xml names none.
 */
function articulateApp(name: string, application: RegExp, fallback: boolean): ToolDecoder {
  const detect = async (view: PackageView): Promise<ToolDetection | null> => {
    const meta = await readMeta(view);
    const named = meta?.application ? application.test(meta.application) : fallback;
    if (!named) return null;
    if (await hasClassicData(view)) return { version: meta?.version ?? null };
    // The later player's data is Storyline's to read; only another application claims it here.
    return !fallback && (await storyline.detect(view)) ? { version: meta?.version ?? null } : null;
  };
  const extract = async (view: PackageView): Promise<ToolOutput> => {
    const output = (await hasClassicData(view)) ? await readClassicStory(view) : await storyline.extract(view);
    const meta = await readMeta(view);
    return { ...output, title: output.title ?? meta?.title ?? null, description: output.description ?? meta?.description ?? null };
  };
  return { name, detect, extract };
}

export const storylineClassic = articulateApp('Articulate Storyline', /storyline/i, true);
export const presenter = articulateApp('Articulate Presenter', /presenter/i, false);
export const quizmaker = articulateApp('Articulate Quizmaker', /quizmaker/i, false);
