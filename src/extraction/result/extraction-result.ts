import { Type, type Static, type TSchema } from 'typebox';

/**
 * The extraction result: what a course says, as one JSON document. The TypeBox schemas below are
 * the single source of the TypeScript types and of docs/extraction-result.schema.json.
 * Bump FORMAT_VERSION's major on any change a client could trip over.
 */
export const FORMAT_VERSION = '1.1';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Text = (description: string) => Type.String({ description });

export const WarningSchema = Type.Object(
  {
    code: Text('Stable machine code, e.g. `dangling_identifierref`.'),
    message: Text('What was wrong and how it was handled.'),
    path: Type.Optional(Text('The file inside the package it concerns.')),
  },
  { additionalProperties: false },
);

export const LanguageStringSchema = Type.Object(
  { language: Nullable(Type.String()), value: Type.String() },
  { additionalProperties: false },
);

export const SequencingSchema = Type.Record(Type.String(), Type.Unknown(), {
  description: 'IMS Simple Sequencing of an item, as structured data (control modes, rules, objectives...).',
});

export const ItemSchema = Type.Object(
  {
    identifier: Type.String(),
    title: Type.String(),
    identifierref: Nullable(Type.String()),
    launch: Nullable(Text('Launch path of the item inside the package (or absolute URL), xml:base applied.')),
    parameters: Nullable(Type.String()),
    visible: Type.Boolean(),
    mastery_score: Nullable(Type.Number()),
    completion_threshold: Nullable(Type.Number()),
    time_limit: Nullable(Type.String()),
    data_from_lms: Nullable(Type.String()),
    prerequisites: Nullable(Text('Prerequisite expression (SCORM 1.2 `adlcp:prerequisites`, AICC).')),
    move_on: Nullable(Text('cmi5 moveOn criterion.')),
    launch_method: Nullable(Text('cmi5 launchMethod.')),
    sequencing: Nullable(SequencingSchema),
    children: Type.Array(Type.Any(), { description: 'Nested items, same shape.' }),
  },
  { additionalProperties: false },
);

export const OrganizationSchema = Type.Object(
  {
    identifier: Type.String(),
    title: Nullable(Type.String()),
    items: Type.Array(ItemSchema),
    sequencing: Nullable(SequencingSchema),
  },
  { additionalProperties: false },
);

export const ResourceSchema = Type.Object(
  {
    identifier: Type.String(),
    type: Nullable(Type.String()),
    scorm_type: Nullable(Text('`sco` or `asset`.')),
    href: Nullable(Type.String()),
    files: Type.Array(Type.String()),
    dependencies: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);

export const BlockSchema = Type.Union([
  Type.Object({ type: Type.Literal('heading'), level: Type.Integer({ minimum: 1, maximum: 6 }), text: Type.String() }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('paragraph'), text: Type.String() }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('list'), ordered: Type.Boolean(), items: Type.Array(Type.String()) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('table'), rows: Type.Array(Type.Array(Type.String())) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('quote'), text: Type.String() }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('image'), alt: Type.String(), src: Nullable(Type.String()) }, { additionalProperties: false }),
]);

export const PageSchema = Type.Object(
  {
    id: Text('Stable within the package: the same package always gives the same ids.'),
    item_id: Nullable(Text('The organization item this page belongs to.')),
    title: Nullable(Type.String()),
    kind: Type.Enum(['page', 'slide', 'lesson', 'section', 'document', 'transcript'], {
      description: 'What the unit of text is in its tool.',
    }),
    source: Text('File inside the package the text comes from.'),
    page_number: Nullable(Type.Integer({ description: 'For documents: the page of the PDF.' })),
    blocks: Type.Array(BlockSchema),
    text: Text('The learner-visible text, plain.'),
    markdown: Type.String(),
    word_count: Type.Integer(),
  },
  { additionalProperties: false },
);

export const QuestionTypeSchema = Type.Enum([
  'choice',
  'multiple_response',
  'true_false',
  'fill_in',
  'matching',
  'sequencing',
  'hotspot',
  'drag_drop',
  'essay',
  'likert',
  'other',
]);

export const ChoiceSchema = Type.Object(
  {
    id: Type.String(),
    text: Type.String(),
    correct: Nullable(Type.Boolean()),
    feedback: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

export const QuestionSchema = Type.Object(
  {
    id: Type.String(),
    type: QuestionTypeSchema,
    prompt: Type.String(),
    choices: Type.Array(ChoiceSchema),
    correct_answers: Type.Array(Type.String(), { description: 'Texts of the correct choices, or accepted answers.' }),
    matches: Type.Array(
      Type.Object({ source: Type.String(), target: Type.String() }, { additionalProperties: false }),
      { description: 'Correct pairs of a matching or drag-and-drop question.' },
    ),
    feedback: Type.Object(
      { correct: Nullable(Type.String()), incorrect: Nullable(Type.String()) },
      { additionalProperties: false },
    ),
    points: Nullable(Type.Number()),
    source: Type.String(),
  },
  { additionalProperties: false },
);

export const AssessmentSchema = Type.Object(
  {
    id: Type.String(),
    title: Nullable(Type.String()),
    item_id: Nullable(Type.String()),
    page_id: Nullable(Type.String()),
    source: Type.String(),
    passing_score: Nullable(Type.Number()),
    questions_per_attempt: Nullable(
      Type.Integer({ minimum: 1, description: 'How many of its questions one attempt asks, when it draws fewer than all at random (a question pool).' }),
    ),
    questions: Type.Array(QuestionSchema),
  },
  { additionalProperties: false },
);

export const CueSchema = Type.Object(
  { start: Type.Number(), end: Type.Number(), text: Type.String() },
  { additionalProperties: false },
);

export const TranscriptSchema = Type.Object(
  {
    source: Text('Caption file or `inline` for a transcript given in the course data.'),
    format: Type.Union([Type.Literal('vtt'), Type.Literal('srt'), Type.Literal('inline')]),
    language: Nullable(Type.String()),
    text: Type.String(),
    cues: Type.Array(CueSchema),
  },
  { additionalProperties: false },
);

export const MediaSchema = Type.Object(
  {
    path: Type.String(),
    kind: Type.Enum(['image', 'audio', 'video', 'document', 'caption']),
    mime: Type.String(),
    size_bytes: Nullable(Type.Integer()),
    missing: Type.Boolean({ description: 'Referenced by the package but not in it.' }),
    alt_text: Nullable(Type.String()),
    duration_seconds: Nullable(Type.Number()),
    transcripts: Type.Array(TranscriptSchema),
  },
  { additionalProperties: false },
);

export const ChunkSchema = Type.Object(
  {
    id: Text('Stable: derived from the pages and the chunk text.'),
    page_id: Nullable(Text('The page the chunk starts in (for questions: the page that asks them, when known).')),
    page_ids: Type.Array(Type.String(), { description: 'Every page the chunk covers: short pages of one item are joined.' }),
    assessment_id: Nullable(Text('For a chunk of questions: their assessment. Questions are never split from their answers.')),
    item_id: Nullable(Type.String()),
    title: Nullable(Text('Page title and heading path, for context.')),
    text: Type.String(),
    token_estimate: Type.Integer(),
  },
  { additionalProperties: false },
);

export const PackageFactsSchema = Type.Object(
  {
    standard: Type.Enum(['scorm', 'cmi5', 'xapi', 'aicc']),
    version: Nullable(Text('e.g. `1.2`, `2004 4th Edition`, `cmi5`, `AICC 3.5`.')),
    tool: Nullable(
      Type.Object(
        { name: Type.String(), version: Nullable(Type.String()) },
        { additionalProperties: false, description: 'The authoring tool that produced the package.' },
      ),
    ),
    title: Nullable(Type.String()),
    titles: Type.Array(LanguageStringSchema, { description: 'Every language variant of the title.' }),
    description: Nullable(Type.String()),
    language: Nullable(Type.String()),
    identifier: Nullable(Type.String()),
    keywords: Type.Array(Type.String()),
    typical_learning_time: Nullable(Type.String()),
    root: Text('Folder of the package inside the archive (`` at the root).'),
    manifest_path: Nullable(Type.String()),
    size_bytes: Type.Integer(),
    sha256: Type.String(),
    entry_count: Type.Integer(),
  },
  { additionalProperties: false },
);

export const StatisticsSchema = Type.Object(
  {
    items: Type.Integer(),
    launchable_items: Type.Integer(),
    resources: Type.Integer(),
    pages: Type.Integer(),
    words: Type.Integer(),
    questions: Type.Integer(),
    media: Type.Integer(),
    reading_time_minutes: Type.Integer({ description: 'At 200 words a minute, rounded up.' }),
  },
  { additionalProperties: false },
);

export const ExtractionResultSchema = Type.Object(
  {
    format_version: Type.Literal(FORMAT_VERSION),
    package: PackageFactsSchema,
    default_organization: Nullable(Type.String()),
    organizations: Type.Array(OrganizationSchema),
    resources: Type.Array(ResourceSchema),
    pages: Type.Array(PageSchema),
    assessments: Type.Array(AssessmentSchema),
    media: Type.Array(MediaSchema),
    chunks: Type.Array(ChunkSchema),
    statistics: StatisticsSchema,
    warnings: Type.Array(WarningSchema),
  },
  {
    $id: 'https://scorm-lens.dev/schemas/extraction-result-1.json',
    title: 'SCORM Lens extraction result',
    additionalProperties: false,
  },
);

export type Warning = Static<typeof WarningSchema>;
export type LanguageString = Static<typeof LanguageStringSchema>;
export type Item = Omit<Static<typeof ItemSchema>, 'children'> & { children: Item[] };
export type Organization = Omit<Static<typeof OrganizationSchema>, 'items'> & { items: Item[] };
export type Resource = Static<typeof ResourceSchema>;
export type Block = Static<typeof BlockSchema>;
export type Page = Static<typeof PageSchema>;
export type PageKind = Page['kind'];
export type QuestionType = Static<typeof QuestionTypeSchema>;
export type Choice = Static<typeof ChoiceSchema>;
export type Question = Static<typeof QuestionSchema>;
export type Assessment = Static<typeof AssessmentSchema>;
export type Cue = Static<typeof CueSchema>;
export type Transcript = Static<typeof TranscriptSchema>;
export type Media = Static<typeof MediaSchema>;
export type MediaKind = Media['kind'];
export type Chunk = Static<typeof ChunkSchema>;
export type PackageFacts = Static<typeof PackageFactsSchema>;
export type Statistics = Static<typeof StatisticsSchema>;
export type ExtractionResult = Omit<Static<typeof ExtractionResultSchema>, 'organizations'> & {
  organizations: Organization[];
};
