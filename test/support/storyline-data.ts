/** A Storyline data file as its player has it: the JSON inside a single-quoted JavaScript string. */
export const provideData = (kind: string, value: unknown): string =>
  `window.globalProvideData('${kind}', '${JSON.stringify(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}');`;

/** A Storyline 360 text object: a shape whose text library holds one paragraph per line. */
export const textObject = (id: string, lines: string[], extra: Record<string, unknown> = {}) => ({
  kind: 'vectorshape',
  id,
  accType: 'text',
  xPos: 10,
  yPos: 10,
  width: 300,
  height: 50,
  textLib: [{ kind: 'textdata', vartext: { blocks: lines.map((line) => ({ spans: [{ text: `${line}\n` }], style: { tagType: 'P' } })) } }],
  ...extra,
});
