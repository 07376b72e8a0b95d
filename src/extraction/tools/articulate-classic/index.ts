import { cleanText } from '../../content/text.js';
import type { PackageView } from '../../source/package-view.js';
import { storyline } from '../storyline/index.js';
import { DATA_FILE, LEGACY_DATA_FILE } from '../storyline/data-files.js';
import type { ToolDecoder, ToolDetection } from '../tool.js';

/*
 * Articulate Studio's Presenter, Quizmaker and Engage publish the same player and data as Storyline of
 * their time (`mobile/` for Studio '13, `html5/data/js/` for Studio 360), read by Storyline's
 * decoder. `meta.xml` at the root names the application and its version, and the package is
 * named after it.
 */

async function application(view: PackageView): Promise<{ name: string | null; version: string | null }> {
  const xml = view.has('meta.xml') ? await view.text('meta.xml', 1024 * 1024) : undefined;
  const attribute = (name: string) => {
    const value = xml ? new RegExp(`<application\\b[^>]*?\\s${name}="([^"]*)"`, 'i').exec(xml)?.[1] : undefined;
    return value !== undefined ? cleanText(value) || null : null;
  };
  return { name: attribute('name'), version: attribute('version') };
}

function articulateApp(name: string, pattern: RegExp): ToolDecoder {
  const detect = async (view: PackageView): Promise<ToolDetection | null> => {
    if (!view.has(DATA_FILE) && !view.has(LEGACY_DATA_FILE)) return null;
    const app = await application(view);
    return app.name && pattern.test(app.name) ? { version: app.version } : null;
  };
  return { name, detect, extract: (view) => storyline.extract(view) };
}

export const presenter = articulateApp('Articulate Presenter', /presenter/i);
export const quizmaker = articulateApp('Articulate Quizmaker', /quizmaker/i);
export const engage = articulateApp('Articulate Engage', /engage/i);
