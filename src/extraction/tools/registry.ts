import type { PackageView } from '../source/package-view.js';
import { adapt } from './adapt.js';
import { captivate } from './captivate.js';
import { exe } from './exe.js';
import { h5p } from './h5p.js';
import { ispring } from './ispring.js';
import { lectora } from './lectora.js';
import { rise } from './rise.js';
import { storyline } from './storyline.js';
import type { ToolDecoder } from './tool.js';
import { xerte } from './xerte.js';

/**
 * Decoders in the order they are tried: a tool that embeds another (Rise embeds Storyline) comes
 * before the one it embeds.
 */
export const decoders: ToolDecoder[] = [rise, storyline, captivate, ispring, lectora, adapt, h5p, exe, xerte];

export async function detectTool(view: PackageView): Promise<{ decoder: ToolDecoder; version: string | null } | undefined> {
  for (const decoder of decoders) {
    const detection = await decoder.detect(view);
    if (detection) return { decoder, version: detection.version };
  }
  return undefined;
}
