import type { LaunchItem, LaunchPlan } from '../../extraction/result/launch-plan.js';
import { html, Html } from '../../http/html.js';
import type { Launch } from '../../infra/db/schema.js';
import type { ScormVersion } from './runtime-data.js';
import { activityTree, type ActivitySettings } from './sequencing.js';

/** What the player's script is told: the course tree, each item's address, statuses, the runtime to start. */
interface PlayerConfig {
  /** The runtime the content talks to: SCORM's API on this window, or xAPI (cmi5, Tin Can) through launch parameters. */
  version: ScormVersion | 'xapi';
  title: string;
  items: PlayerItem[];
  statuses: Record<string, string>;
  redirectUrl: string | null;
  preview: boolean;
  /** SCORM 2004: the activity tree with its sequencing, for the runtime's sequencing engine. */
  activityTree: ActivitySettings | null;
  /** The sequencing engine's state the learner left, to resume from. */
  sequencingState: string | null;
}

interface PlayerItem {
  id: string;
  title: string;
  /** Relative to the player page, or an absolute URL. */
  href: string | null;
  sco: boolean;
  visible: boolean;
  children: PlayerItem[];
}

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

/** An item's address: its file under the session's content folder, with the manifest's parameters joined as IMS CP says. */
export function itemHref(item: Pick<LaunchItem, 'launch' | 'parameters'>): string | null {
  if (!item.launch) return null;
  const [location, query = ''] = item.launch.split(/\?(.*)/s) as [string, string?];
  const base = ABSOLUTE.test(location) ? location : `content/${location.split('/').map(encodeURIComponent).join('/')}`;
  const parameters = (item.parameters ?? '').replace(/^[?&]+/, '');
  const joined = [query, parameters].filter(Boolean).join('&');
  return joined ? `${base}?${joined}` : base;
}

function playerItems(items: LaunchItem[]): PlayerItem[] {
  return items.map((item) => ({
    id: item.identifier,
    title: item.title,
    href: itemHref(item),
    sco: item.sco,
    visible: item.visible,
    children: playerItems(item.children),
  }));
}

/** JSON inside a script element: `<` is escaped so no text of the package can close the element. */
const scriptJson = (value: unknown) => new Html(JSON.stringify(value).replace(/</g, '\\u003c'));

export function playerPage(
  playable: { launch: Launch; plan: LaunchPlan; version: ScormVersion },
  statuses: Record<string, string>,
  sequencingState: string | null,
): Html {
  const { launch, plan, version } = playable;
  const title = plan.title ?? plan.organization?.title ?? 'Course';
  const xapi = plan.standard !== 'scorm';
  const config: PlayerConfig = {
    version: xapi ? 'xapi' : version,
    title,
    items: playerItems(plan.items),
    statuses,
    redirectUrl: launch.redirect_url,
    preview: launch.preview === 1,
    activityTree: !xapi && version === '2004' ? activityTree(plan) : null,
    sequencingState,
  };
  const runtime = xapi ? null : version === '1.2' ? 'scorm12.min.js' : 'scorm2004.min.js';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="../../assets/player.css">
<script type="application/json" id="player-config">${scriptJson(config)}</script>
${runtime ? html`<script src="../../assets/${runtime}"></script>` : ''}
<script src="../../assets/player.js" defer></script>
</head>
<body>
<header class="bar">
  <button type="button" id="toggle-contents" aria-controls="contents" aria-expanded="true">Contents</button>
  <h1>${title}</h1>
  ${launch.preview === 1 ? html`<span class="preview">Preview: nothing is recorded</span>` : ''}
  <nav class="steps" aria-label="Course navigation">
    <button type="button" id="previous">Previous</button>
    <button type="button" id="next">Next</button>
    <button type="button" id="exit">Exit</button>
  </nav>
</header>
<div class="stage">
  <nav id="contents" aria-label="Course contents"></nav>
  <main><iframe id="content" title="${title}" allow="autoplay; fullscreen; microphone; camera"></iframe><p id="message" role="status" hidden></p></main>
</div>
</body>
</html>`;
}

/** A launch link already used, expired, or a session that ended. */
export function unavailablePage(message: string): Html {
  return html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Course unavailable</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>This course link cannot be opened</h1><p>${message}</p></body>
</html>`;
}
