import type { Readable } from 'node:stream';
import type { ResultIndex, ResultSlice, SlicedSection } from '../../extraction/result/result-files.js';
import type { ContentExtraction } from '../../infra/db/schema.js';
import { ObjectNotFoundError, readCapped, type Storage } from '../../infra/storage/storage.js';
import { ConflictError } from '../../http/errors.js';
import { resultKeysOf, type ResultKeys } from './storage-keys.js';

/** An index holds a few thousand outline rows and slice offsets: far below this. */
const MAX_INDEX_BYTES = 16 * 1024 * 1024;
/** A slice is about a megabyte, unless one element is bigger; the extraction's own limits bound those. */
const MAX_SLICE_BYTES = 64 * 1024 * 1024;

/**
 * Stored results, read the way the API and the panel need them: the index (facts, outline,
 * offsets) and one slice of a section at a time, never the whole result, whatever its size.
 */
export class ExtractionResults {
  constructor(private readonly storage: Storage) {}

  /** Where a completed extraction keeps its result; 409 while it has none. */
  keys(extraction: ContentExtraction): ResultKeys {
    if (extraction.status !== 'completed' || !extraction.final_output_path) {
      throw new ConflictError('extraction_not_completed', `Content extraction ${extraction.id} has no result yet (${extraction.status}).`);
    }
    return resultKeysOf(extraction.final_output_path);
  }

  async index(extraction: ContentExtraction): Promise<ResultIndex> {
    const key = this.keys(extraction).index;
    try {
      return JSON.parse(await readCapped(await this.storage.read(key), MAX_INDEX_BYTES, key)) as ResultIndex;
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error;
      throw new ConflictError(
        'extraction_result_outdated',
        `Content extraction ${extraction.id} was stored before results were indexed; restart it to read it here (its JSON is still downloadable).`,
      );
    }
  }

  /** The elements of one slice of a section (slices are listed in the index). */
  async slice<T>(extraction: ContentExtraction, slice: ResultSlice): Promise<T[]> {
    const key = this.keys(extraction).json;
    const text = await readCapped(await this.storage.readRange(key, slice.start, slice.end), MAX_SLICE_BYTES, key);
    return JSON.parse(`[${text}]`) as T[];
  }

  /** Slice `number` of a section, or an empty list past its end. */
  async sectionSlice<T>(extraction: ContentExtraction, index: ResultIndex, section: SlicedSection, number: number): Promise<T[]> {
    const slice = index.sections[section].slices[number];
    return slice ? this.slice<T>(extraction, slice) : [];
  }

  async markdown(extraction: ContentExtraction): Promise<Readable> {
    return this.storage.read(this.keys(extraction).markdown);
  }
}
