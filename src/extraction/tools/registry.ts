import type { PackageView } from '../source/package-view.js';
import { adapt, evolve } from './adapt/index.js';
import { camtasia } from './camtasia/index.js';
import { engage, presenter, quizmaker } from './articulate-classic/index.js';
import { captivate } from './captivate/index.js';
import { easygenerator } from './easygenerator/index.js';
import { exe } from './exe/index.js';
import { h5p } from './h5p/index.js';
import { ispring, ispringQuizMaker } from './ispring/index.js';
import { lectora } from './lectora/index.js';
import { rise } from './rise/index.js';
import { storyline } from './storyline/index.js';
import type { ToolDecoder } from './tool.js';
import { xerte } from './xerte.js';

/**
 * Decoders in the order they are tried: a tool that embeds another (Rise embeds Storyline) comes
 * before the one it embeds. Camtasia comes last: it claims a package only when its videos are what
 * the package launches.
 */
export const decoders: ToolDecoder[] = [rise, adapt, evolve, presenter, quizmaker, engage, storyline, captivate, ispring, ispringQuizMaker, lectora, h5p, exe, xerte, easygenerator, camtasia];

export async function detectTool(view: PackageView): Promise<{ decoder: ToolDecoder; version: string | null } | undefined> {
  for (const decoder of decoders) {
    const detection = await decoder.detect(view);
    if (detection) return { decoder, version: detection.version };
  }
  return undefined;
}
