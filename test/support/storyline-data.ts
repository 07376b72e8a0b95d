/** A Storyline data file as its player has it: the JSON inside a single-quoted JavaScript string. */
export const provideData = (kind: string, value: unknown): string =>
  `window.globalProvideData('${kind}', '${JSON.stringify(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}');`;
