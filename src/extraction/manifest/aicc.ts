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

/** Sections of the .crs that hold free text instead of key=value lines. */
const FREE_TEXT_SECTIONS = new Set(['course_description']);

type CrsSection = Map<string, string> & { text?: string };

/**
 * Parses the INI-style course file (.crs): sections of key=value, and free-text sections. A line
 * that fits neither (text before any section, a key=value section line without `=`) makes the
 * file invalid: AICC's CMI001 gives it no meaning.
 */
export function parseCrs(content: string): Map<string, CrsSection> {
  const sections = new Map<string, CrsSection>();
  let current: { name: string; section: CrsSection } | undefined;
  for (const [index, raw] of content.split(/\r?\n/).entries()) {
    const line = raw.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      const name = header[1]!.trim().toLowerCase();
      current = { name, section: new Map() };
      sections.set(name, current.section);
      continue;
    }
    if (line === '' || line.startsWith(';')) continue;
    if (!current) throw new ExtractionError('aicc_crs_invalid', `The .crs file has text before its first [section], at line ${index + 1}.`);
    const equals = line.indexOf('=');
    if (FREE_TEXT_SECTIONS.has(current.name)) {
      current.section.text = current.section.text ? `${current.section.text} ${line}` : line;
    } else if (equals > 0) {
      current.section.set(line.slice(0, equals).trim().toLowerCase(), line.slice(equals + 1).trim());
    } else {
      throw new ExtractionError('aicc_crs_invalid', `Line ${index + 1} of the .crs file, in [${current.name}], is not a key=value pair.`);
    }
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
 * Prerequisites by structure element from the .pre file. An element may have several rows: each
 * is a condition, and all of them must hold (AICC's `&`).
 */
function prerequisitesOf(pre: string | undefined): Map<string, string> {
  const conditions = new Map<string, string[]>();
  for (const row of parseCsv(pre ?? '')) {
    const element = (row.structure_element ?? row.pre_from ?? '').toLowerCase();
    const condition = row.prerequisite ?? row.post_to ?? '';
    if (element && condition) conditions.set(element, [...(conditions.get(element) ?? []), condition]);
  }
  return new Map([...conditions].map(([element, all]) => [element, all.length === 1 ? all[0]! : all.map((c) => `(${c})`).join('&')]));
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
  const course = crs.get('course');
  if (!course) throw new ExtractionError('aicc_crs_invalid', 'The .crs file has no [Course] section.');
  if (!course.get('course_title')) throw new ExtractionError('aicc_crs_invalid', 'The .crs file gives no Course_Title.');
  const descriptions = new Map(parseCsv(files.des ?? '').map((d) => [d.system_id?.toLowerCase() ?? '', d]));
  const prerequisites = prerequisitesOf(files.pre);
  const auRows = parseCsv(files.au ?? '');
  const unnamed = auRows.filter((au) => !au.system_id);
  if (unnamed.length > 0) throw new ExtractionError('aicc_au_invalid', `${unnamed.length} row(s) of the .au file have no System_ID.`);
  const units = new Map(
    auRows.map((au) => {
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

  const title = course.get('course_title') ?? null;
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
