import { francAll } from 'franc-min';
import { data } from 'franc-min/data.js';
import { expressions } from 'franc-min/expressions.js';
// Only the 639-3 to 639-1 map: the package's index also loads all 8,000 languages (30 ms per extraction).
import { iso6393To1 } from 'iso-639-3/iso6393-to-1.js';
import type { Page } from './extraction-result.js';

/*
 * The language a course is written in. Packages declare one, but authoring tools write their own
 * default ("en-US") whatever the course says, so the declaration is checked against the text with
 * a trigram language detector (the most common 80-odd languages), and a text in a script the
 * detector does not know but one language writes (Hebrew, Armenian...) is in that language. A
 * declared language the detector cannot tell is trusted; so is any declaration when the text is
 * too short to judge.
 */

/** The detector looks at this much text: the longest pages, where the course speaks most. */
const SAMPLE_CHARS = 2048;
const MIN_SAMPLE_CHARS = 200;
/** How close to the best a declared language must score to be kept (1 is the best's own score). */
const PLAUSIBLE = 0.75;

const DETECTABLE = new Set([...Object.values(data).flatMap((languages) => Object.keys(languages)), ...Object.keys(expressions).filter((k) => /^[a-z]{3}$/.test(k))]);
const ISO3_OF = new Map(Object.entries(iso6393To1).map(([three, two]) => [two, three]));

function sampleOf(pages: Page[]): string {
  let sample = '';
  for (const page of [...pages].sort((a, b) => b.word_count - a.word_count)) {
    if (sample.length >= SAMPLE_CHARS) break;
    sample += `${page.text}\n`;
  }
  return sample.slice(0, SAMPLE_CHARS);
}

/**
 * Scripts the detector does not know, each written by one language (and the codes that language may
 * be declared by): a course written in one is in that language, whatever the tool's default says.
 */
const SCRIPT_LANGUAGES: { script: RegExp; language: string; declared: string[] }[] = [
  { script: /\p{Script=Hebrew}/gu, language: 'he', declared: ['he', 'iw', 'heb', 'yi', 'yid', 'lad'] },
  { script: /\p{Script=Armenian}/gu, language: 'hy', declared: ['hy', 'hye'] },
  { script: /\p{Script=Georgian}/gu, language: 'ka', declared: ['ka', 'kat'] },
  { script: /\p{Script=Khmer}/gu, language: 'km', declared: ['km', 'khm'] },
  { script: /\p{Script=Lao}/gu, language: 'lo', declared: ['lo', 'lao'] },
];

/** The language of the script most of the sample's letters are in, among those the detector does not know. */
function scriptLanguage(sample: string): (typeof SCRIPT_LANGUAGES)[number] | null {
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  return SCRIPT_LANGUAGES.find(({ script }) => (sample.match(script)?.length ?? 0) * 2 > letters) ?? null;
}

/** BCP 47's shortest form: the two-letter code where there is one. */
const tagOf = (iso3: string) => iso6393To1[iso3] ?? iso3;

export function courseLanguage(declared: string | null, pages: Page[]): string | null {
  const sample = sampleOf(pages);
  if (sample.length < MIN_SAMPLE_CHARS) return declared;
  const primary = declared?.split(/[-_]/)[0]?.toLowerCase() ?? '';
  const written = scriptLanguage(sample);
  if (written) return written.declared.includes(primary) ? declared : written.language;
  const scores = francAll(sample, { minLength: MIN_SAMPLE_CHARS });
  const best = scores[0]?.[0];
  if (!best || best === 'und') return declared;
  if (!declared) return tagOf(best);
  const declared3 = primary.length === 2 ? ISO3_OF.get(primary) : primary;
  if (!declared3 || declared3 === best || !DETECTABLE.has(declared3)) return declared;
  const score = scores.find(([language]) => language === declared3)?.[1] ?? 0;
  return score >= PLAUSIBLE ? declared : tagOf(best);
}
