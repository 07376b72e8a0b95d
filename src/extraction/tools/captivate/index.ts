import { asObject, asString, parseJson, type DataObject } from '../../content/data-values.js';
import { cleanText } from '../../content/text.js';
import type { PackageView } from '../../source/package-view.js';
import { launchInView } from '../items.js';
import type { AssessmentDraft, ToolDecoder, ToolDetection, ToolOutput } from '../tool.js';
import { mediaHints } from './media.js';
import { addPools, findFile, findModelFile, ModelReader, readModel } from './model.js';
import { passingScore, readQuestion } from './questions.js';
import { slidePage } from './slides.js';

const CPM = 'assets/js/CPM.js';
const PROJECT = 'project.txt';
const LAUNCH_FILES = ['index_scorm.html', 'index_lms.html', 'index_TINCAN.html', 'index.html', 'multiscreen.html'];
const GENERIC_TITLES = /^(captivate e-?learning course|course object title|untitled( project)?|project description|)$/i;
const MARKERS = /assets\/js\/CPM\.js|CPXHRLoader|initializeCP\s*\(|cp\.CPProjInit|Adobe Captivate/;

async function readProject(view: PackageView): Promise<DataObject | undefined> {
  const file = findFile(view, PROJECT);
  if (!file || (view.size(file) ?? 0) > 4 * 1024 * 1024) return undefined;
  const text = await view.text(file);
  if (text === undefined) return undefined;
  return asObject(parseJson(text.trim()));
}

function projectMeta(project: DataObject | undefined): DataObject | undefined {
  return asObject(project?.metadata);
}

/** A title the author gave, not Captivate's default; a project file name loses its extension. */
function nonGeneric(value: string | undefined): string | null {
  const text = value === undefined ? '' : cleanText(value).replace(/\.cptx?$/i, '');
  return text && !GENERIC_TITLES.test(text) ? text : null;
}

/** The item launching one of the player's files, else the only item launching a file of this view. */
function itemFor(view: PackageView, launches: string[]): string | null {
  const wanted = new Set(launches.map((l) => l.toLowerCase()));
  const hit = view.items.find((item) => wanted.has((launchInView(view, item) ?? '').toLowerCase()));
  if (hit) return hit.identifier;
  const launchable = view.items.filter((i) => !!i.launch && i.launch.startsWith(view.base));
  return launchable.length === 1 ? (launchable[0]?.identifier ?? null) : null;
}

async function detectCaptivate(view: PackageView): Promise<ToolDetection | null> {
  const cpm = await findModelFile(view);
  const project = await readProject(view);
  const meta = projectMeta(project);
  const generator = asString(meta?.generator) ?? '';
  const projectSaysCaptivate = /captivate/i.test(generator);
  let captivate = !!cpm || projectSaysCaptivate;
  if (!captivate) {
    for (const launch of LAUNCH_FILES) {
      const file = findFile(view, launch);
      if (!file || (view.size(file) ?? 0) > 2 * 1024 * 1024) continue;
      const html = await view.text(file);
      if (html && MARKERS.test(html)) {
        captivate = true;
        break;
      }
    }
  }
  if (!captivate) return null;
  let version = asString(meta?.generatorVersion) ?? null;
  if (!version && cpm && (view.size(cpm) ?? 0) <= 16 * 1024 * 1024) {
    const source = await view.text(cpm);
    version = source ? (/cp\.cv\(\s*['"]CaptivateVersion['"]\s*,\s*['"]([^'"]+)['"]/.exec(source)?.[1] ?? null) : null;
  }
  return { version };
}

async function extractCaptivate(view: PackageView): Promise<ToolOutput> {
  const project = await readProject(view);
  const meta = projectMeta(project);
  const output: ToolOutput = { title: null, description: null, language: null, pages: [], assessments: [], media: [] };
  output.description = nonGeneric(asString(meta?.description));
  const launch = asString(meta?.launchFile);

  const cpm = await findModelFile(view);
  const source = cpm ? await view.text(cpm) : undefined;
  const model = source ? readModel(source) : null;
  if (!model) {
    if (cpm) view.warn('captivate_model_unreadable', `${cpm} holds no Captivate model (cp.model.data) that could be read.`, cpm);
    output.title = nonGeneric(asString(meta?.title));
    return output;
  }
  await addPools(view, model);
  const reader = new ModelReader(view, model, cpm ?? CPM);
  output.title = nonGeneric(asString(meta?.title)) ?? nonGeneric(asString(asObject(model.data.project)?.pN));

  const itemId = itemFor(view, [...(launch ? [launch] : []), ...LAUNCH_FILES]);
  const slides = reader.slideNames();
  output.pages = slides.map((name) => slidePage(reader, name, itemId));

  const ids = new Set<string>();
  const questions = reader.questionKeys().map((key) => {
    const q = reader.obj(key) ?? {};
    let id = asString(q.iid) ?? (typeof q.iid === 'number' ? String(q.iid) : key);
    if (ids.has(id)) id = key;
    ids.add(id);
    return readQuestion(reader, key, id);
  });
  if (questions.length) {
    const assessment: AssessmentDraft = {
      title: null,
      source: cpm ?? CPM,
      itemId,
      pageIndex: null,
      passingScore: passingScore(reader),
      questions,
    };
    output.assessments.push(assessment);
  }
  output.media = mediaHints(reader, slides);
  return output;
}

export const captivate: ToolDecoder = {
  name: 'Adobe Captivate',
  detect: detectCaptivate,
  extract: extractCaptivate,
};
