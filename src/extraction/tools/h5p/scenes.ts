import { asArray, isObject, num, obj, str, type DataObject } from '../../content/data-values.js';
import { authoredTitle, toText, type Sink } from './params.js';
import type { Walker } from './walker.js';

// Content types that stage other content: a video with timed interactions, branching paths,
// virtual tours, timelines, image sliders and hotspot images.

/** 83 seconds as "1:23"; an hour or more as "1:02:03". */
const clock = (seconds: number): string => {
  const s = Math.max(0, Math.floor(seconds));
  const mmss = `${Math.floor((s % 3600) / 60)}:${String(s % 60).padStart(2, '0')}`;
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mmss.padStart(5, '0')}` : mmss;
};

/**
 * Interactive Video: the start screen, the bookmarks, then each interaction in time order under a
 * heading with its time and label. A question without a prompt of its own takes the label; its
 * adaptivity messages (shown on a right or wrong answer) are its feedback when it has none.
 */
export function interactiveVideo(walker: Walker, params: DataObject, sink: Sink): void {
  const iv = obj(params.interactiveVideo);
  const video = obj(iv.video);
  const start = obj(video.startScreenOptions);
  // "Interactive Video" is the editor's default title, not the author's.
  if (start.hideStartTitle !== true && toText(start.title) !== 'Interactive Video') walker.heading(sink, start.title, 2);
  walker.html(sink, start.shortStartDescription);
  const captions = walker.tracks(video.textTracks);
  for (const file of asArray(video.files)) walker.addMedia(str(obj(file).path), { captions });
  walker.image(null, start.poster, '');
  const assets = obj(iv.assets);
  const bookmarks = byTime(asArray(assets.bookmarks).filter(isObject), (b) => num(b.time))
    .map((b) => [clock(num(b.time) ?? 0), toText(b.label)].join(' '))
    .filter((line) => / \S/.test(line));
  if (bookmarks.length > 0) sink.blocks.push({ type: 'list', ordered: false, items: bookmarks });
  for (const interaction of byTime(asArray(assets.interactions).filter(isObject), (i) => num(obj(i.duration).from))) {
    const action = obj(interaction.action);
    const label = toText(interaction.label) || authoredTitle(obj(action.metadata).title, obj(action.metadata));
    const at = clock(num(obj(interaction.duration).from) ?? 0);
    sink.blocks.push({ type: 'heading', level: 3, text: label ? `${at} ${label}` : at });
    const asked = sink.questions.length;
    walker.node(action, sink);
    const adaptivity = obj(interaction.adaptivity);
    for (const question of sink.questions.slice(asked)) {
      if (!question.prompt) question.prompt = label;
      question.feedback.correct ??= toText(obj(adaptivity.correct).message) || null;
      question.feedback.incorrect ??= toText(obj(adaptivity.wrong).message) || null;
    }
  }
  const summary = obj(iv.summary);
  if (summary.task !== undefined) walker.node(summary.task, sink);
}

const byTime = <T>(list: T[], time: (entry: T) => number | null): T[] => [...list].sort((a, b) => (time(a) ?? 0) - (time(b) ?? 0));

/**
 * Branching Scenario: the start screen, each content node in the order the author made them (the
 * learner's path depends on choices), the feedback shown after a node, then the end screens.
 */
export function branchingScenario(walker: Walker, params: DataObject, sink: Sink): void {
  const scenario = obj(params.branchingScenario);
  const start = obj(scenario.startScreen);
  walker.heading(sink, start.startScreenTitle, 2);
  walker.html(sink, start.startScreenSubtitle);
  walker.image(sink, start.startScreenImage, toText(start.startScreenAltText));
  for (const node of asArray(scenario.content).filter(isObject)) {
    const content = obj(node.type);
    if (node.showContentTitle === true) walker.heading(sink, authoredTitle(obj(content.metadata).title, obj(content.metadata)), 3);
    walker.node(content, sink);
    branchFeedback(walker, node.feedback, sink);
  }
  for (const end of asArray(scenario.endScreens).filter(isObject)) {
    walker.heading(sink, end.endScreenTitle, 3);
    walker.html(sink, end.endScreenSubtitle);
    walker.image(sink, end.endScreenImage, toText(end.endScreenAltText));
  }
}

/** A question of a Branching Scenario: its alternatives lead on, none is marked right. */
export function branchingQuestion(walker: Walker, params: DataObject, sink: Sink): void {
  const question = obj(params.branchingQuestion);
  walker.html(sink, question.question);
  const alternatives = asArray(question.alternatives).filter(isObject);
  const texts = alternatives.map((a) => toText(a.text)).filter(Boolean);
  if (texts.length > 0) sink.blocks.push({ type: 'list', ordered: false, items: texts });
  for (const alternative of alternatives) branchFeedback(walker, alternative.feedback, sink);
}

function branchFeedback(walker: Walker, value: unknown, sink: Sink): void {
  const feedback = obj(value);
  walker.paragraph(sink, feedback.title);
  walker.html(sink, feedback.subtitle);
  walker.image(sink, feedback.image, toText(feedback.imageAltText));
}

/** Virtual Tour (360): each scene's name and description, then what its hotspots open. */
export function virtualTour(walker: Walker, params: DataObject, sink: Sink): void {
  for (const scene of asArray(obj(params.threeImage).scenes).filter(isObject)) {
    walker.heading(sink, scene.scenename, 2);
    walker.html(sink, scene.scenedescription);
    walker.image(null, scene.scenesrc, '');
    for (const interaction of asArray(scene.interactions).filter(isObject)) {
      const action = obj(interaction.action);
      // A hotspot that only moves to another scene shows its label and nothing else.
      if (str(action.library).startsWith('H5P.GoToScene')) continue;
      walker.heading(sink, interaction.labelText, 3);
      walker.node(action, sink);
    }
  }
}

/** Timeline: the title slide, then each event in date order, headed by its headline and dates. */
export function timeline(walker: Walker, params: DataObject, sink: Sink): void {
  const line = obj(params.timeline);
  walker.heading(sink, line.headline, 2);
  walker.html(sink, line.text);
  timelineAsset(walker, line.asset, sink);
  const year = (date: DataObject) => Number(/-?\d+/.exec(str(date.startDate))?.[0] ?? NaN);
  const dates = asArray(line.date).filter(isObject);
  for (const date of [...dates].sort((a, b) => (year(a) || 0) - (year(b) || 0))) {
    const when = [str(date.startDate), str(date.endDate)].map((d) => d.trim()).filter(Boolean).join('–');
    const headline = toText(date.headline);
    if (headline || when) sink.blocks.push({ type: 'heading', level: 3, text: headline && when ? `${headline} (${when})` : headline || when });
    walker.html(sink, date.text);
    timelineAsset(walker, date.asset, sink);
  }
}

function timelineAsset(walker: Walker, value: unknown, sink: Sink): void {
  const asset = obj(value);
  walker.image(null, asset.thumbnail, toText(asset.caption));
  walker.paragraph(sink, asset.caption);
}

/** Agamotto: a title, then each image of the sequence with its label and description. */
export function imageSequence(walker: Walker, params: DataObject, sink: Sink): void {
  walker.heading(sink, params.title, 2);
  walker.html(sink, params.description);
  for (const item of asArray(params.items).filter(isObject)) {
    walker.heading(sink, item.labelText, 3);
    walker.node(item.image, sink);
    walker.html(sink, item.description);
  }
}

/** Image Hotspots: the image, then each hotspot's header and what it opens. */
export function imageHotspots(walker: Walker, params: DataObject, sink: Sink): void {
  walker.image(sink, params.image, toText(params.backgroundImageAltText));
  for (const hotspot of asArray(params.hotspots).filter(isObject)) {
    walker.heading(sink, hotspot.header, 3);
    for (const content of asArray(hotspot.content)) walker.node(content, sink);
  }
}
