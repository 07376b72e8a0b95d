// Writes docs/extraction-result.schema.json from the TypeBox schemas (npm run schema).
import fs from 'node:fs';
import { ExtractionResultSchema } from '../src/extraction/result/extraction-result.js';

fs.writeFileSync(
  new URL('../docs/extraction-result.schema.json', import.meta.url),
  `${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...ExtractionResultSchema }, null, 2)}\n`,
);
