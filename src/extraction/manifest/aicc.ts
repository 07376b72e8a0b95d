import type { Warning } from '../result/errors.js';
import type { Item } from '../result/extraction-result.js';
import { ExtractionError } from '../result/errors.js';
import { blankItem, type CourseStructure } from './course-structure.js';

/** Parses AICC's comma-separated files: quoted fields with "" escapes, CRLF or LF; lower-cased header. */
export function parseCsvTable(content: string): { header: string[]; rows: string[][] } {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (quoted) {
      if (c === '"' && content[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field.trim());
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && content[i + 1] === '\n') i++;
      row.push(field.trim());
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field.trim());
  if (row.some((f) => f !== '')) rows.push(row);
  const [header = [], ...data] = rows;
  return { header: header.map((h) => h.toLowerCase()), rows: data };
}

/** The rows of a CSV file as records keyed by lower-cased column name. */
export function parseCsv(content: string): Record<string, string>[] {
  const { header, rows } = parseCsvTable(content);
  return rows.map((cells) => Object.fromEntries(header.map((key, i) => [key, cells[i] ?? ''])));
}

/** Parses the INI-style course file (.crs): sections of key=value, and free-text sections. */
export function parseCrs(content: string): Map<string, Map<string, string> & { text?: string }> {
  const sections = new Map<string, Map<string, string> & { text?: string }>();
  let current: (Map<string, string> & { text?: string }) | undefined;
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1]!.trim().toLowerCase(), current);
      continue;
    }
    if (!current || line === '' || line.startsWith(';')) continue;
    const equals = line.indexOf('=');
    if (equals > 0) current.set(line.slice(0, equals).trim().toLowerCase(), line.slice(equals + 1).trim());
    else current.text = current.text ? `${current.text} ${line}` : line;
  }
  return sections;
}

const number = (raw: string | undefined) => (raw === undefined || raw.trim() === '' || !Number.isFinite(Number(raw.replace('%', ''))) ? null : Number(raw.replace('%', '')));

export interface AiccFiles {
  /** Contents by extension (crs, au, des, cst, ort, pre) and the path of the .crs (or first file). */
  crs?: string;
  au?: string;
  des?: string;
  cst?: string;
  pre?: string;
  descriptorPath: string;
}

/**
 * Reads an AICC course (CMI001): the course file, its assignable units with launch files and
 * mastery scores, their titles, and the block structure. .crs, .au and .des are required.
 */
export function readAicc(files: AiccFiles, warnings: Warning[]): CourseStructure {
  const missing = (['crs', 'au', 'des'] as const).filter((key) => files[key] === undefined);
  if (missing.length > 0) {
    throw new ExtractionError(
      'aicc_incomplete',
      `The AICC course lacks its ${missing.map((m) => `.${m}`).join(', ')} file${missing.length > 1 ? 's' : ''}.`,
    );
  }
  const crs = parseCrs(files.crs ?? '');
  const course = crs.get('course') ?? new Map<string, string>();
  const descriptions = new Map(parseCsv(files.des ?? '').map((d) => [d.system_id?.toLowerCase() ?? '', d]));
  const prerequisites = new Map(parseCsv(files.pre ?? '').map((p) => [(p.structure_element ?? p.pre_from ?? '').toLowerCase(), p.prerequisite ?? p.post_to ?? '']));
  const units = new Map(
    parseCsv(files.au ?? '').map((au) => {
      const id = au.system_id ?? '';
      const described = descriptions.get(id.toLowerCase());
      const item: Item = {
        ...blankItem(id, described?.title || id),
        launch: au.file_name || au.command_line || null,
        parameters: au.file_name && au.command_line ? au.command_line : null,
        mastery_score: number(au.mastery_score),
        time_limit: au.max_time_allowed || null,
        data_from_lms: au.core_vendor || null,
        prerequisites: prerequisites.get(id.toLowerCase()) || null,
      };
      return [id.toLowerCase(), item] as const;
    }),
  );
  if (units.size === 0) warnings.push({ code: 'aicc_no_au', message: 'The .au file lists no assignable unit.' });

  // The .cst lists, per block, its members; the block "root" is the course.
  const members = new Map<string, string[]>();
  // Several columns may be called "member": read the .cst by position.
  const cst = parseCsvTable(files.cst ?? '');
  const memberColumns = cst.header.flatMap((name, i) => (name.startsWith('member') ? [i] : []));
  const prerequisiteColumn = cst.header.indexOf('prerequisites');
  for (const row of cst.rows) {
    const block = (row[0] ?? '').toLowerCase();
    const memberCells = memberColumns.map((i) => row[i] ?? '').filter(Boolean);
    members.set(block, [...(members.get(block) ?? []), ...memberCells]);
    const prerequisite = prerequisiteColumn >= 0 ? row[prerequisiteColumn] : undefined;
    const unit = units.get(memberCells[0]?.toLowerCase() ?? '');
    if (prerequisite && unit) unit.prerequisites ??= prerequisite;
  }
  const placed = new Set<string>();
  const build = (id: string, path: Set<string>): Item | undefined => {
    const key = id.toLowerCase();
    if (path.has(key)) return undefined;
    placed.add(key);
    const nested = (members.get(key) ?? []).map((m) => build(m, new Set([...path, key]))).filter((i): i is Item => !!i);
    const unit = units.get(key);
    if (unit) return { ...unit, children: nested };
    const described = descriptions.get(key);
    return { ...blankItem(id, described?.title || id), children: nested };
  };
  const rootMembers = members.get('root') ?? [];
  const items = rootMembers.map((m) => build(m, new Set(['root']))).filter((i): i is Item => !!i);
  for (const [key, unit] of units) if (!placed.has(key)) items.push(unit);

  const title = course.get('course_title') || null;
  const version = course.get('version');
  return {
    standard: 'aicc',
    version: version ? `AICC ${version}` : 'AICC',
    identifier: course.get('course_id') || null,
    titles: title ? [{ language: null, value: title }] : [],
    description: crs.get('course_description')?.text ?? null,
    language: null,
    keywords: [],
    typicalLearningTime: crs.get('course_behavior')?.get('max_time_allowed') ?? null,
    defaultOrganization: course.get('course_id') || 'course',
    organizations: [{ identifier: course.get('course_id') || 'course', title, items, sequencing: null }],
    resources: [],
    descriptorPath: files.descriptorPath,
    interactions: [],
  };
}
