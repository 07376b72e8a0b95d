// The player page: the course's table of contents, one SCO at a time in the frame, and the SCORM
// runtime (scorm-again) on this window, where SCOs look for `API` (1.2) and `API_1484_11` (2004).
// Every commit goes to the service with fetch (keepalive when it fits), never a synchronous
// request, and carries its delivery and a sequence number so the service can drop stale ones.
// cmi5 AUs and Tin Can content talk to the LRS themselves: the page asks the service for a launch
// URL (its session's parameters) and follows their progress from the service.
'use strict';
(() => {
  const config = JSON.parse(document.getElementById('player-config').textContent);
  const frame = document.getElementById('content');
  const contents = document.getElementById('contents');
  const message = document.getElementById('message');
  const buttons = { previous: document.getElementById('previous'), next: document.getElementById('next'), exit: document.getElementById('exit') };
  const is12 = config.version === '1.2';
  const isXapi = config.version === 'xapi';
  const statuses = { ...config.statuses };
  const DONE = new Set(['completed', 'passed']);
  const KEEPALIVE_BYTES = 60000;
  /** Launchable items in the order of the course. */
  const items = [];
  (function walk(list) {
    for (const item of list) {
      if (item.href) items.push(item);
      walk(item.children);
    }
  })(config.items);
  let current = null;
  let ended = false;

  const names = is12
    ? { finish: 'LMSFinish', commit: 'LMSCommit', status: ['cmi.core.lesson_status'] }
    : { finish: 'Terminate', commit: 'Commit', status: ['cmi.completion_status', 'cmi.success_status'] };

  async function post(path, body) {
    const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.message || `The service answered ${response.status}.`);
    return answer;
  }

  function show(text) {
    message.textContent = text;
    message.hidden = !text;
  }

  function statusOf(item) {
    return statuses[item.id] || 'not attempted';
  }

  function renderContents() {
    const list = (children) => {
      const ul = document.createElement('ul');
      for (const item of children) {
        if (!item.visible) continue;
        const li = document.createElement('li');
        if (item.href) {
          const button = document.createElement('button');
          button.type = 'button';
          button.textContent = item.title;
          button.dataset.item = item.id;
          button.dataset.status = statusOf(item);
          if (current && current.item.id === item.id) button.setAttribute('aria-current', 'step');
          if (validity && validity.choice && validity.choice[item.id] === 'false') button.disabled = true;
          button.addEventListener('click', () => void open(item));
          const badge = document.createElement('span');
          badge.className = 'status';
          badge.textContent = statusOf(item);
          li.append(button, badge);
        } else {
          const title = document.createElement('span');
          title.className = 'section';
          title.textContent = item.title;
          li.append(title);
        }
        if (item.children.length) li.append(list(item.children));
        ul.append(li);
      }
      return ul;
    };
    contents.replaceChildren(list(config.items));
    const index = current ? items.indexOf(current.item) : -1;
    buttons.previous.disabled = ended || (validity ? !validity.previous : index <= 0);
    buttons.next.disabled = ended || (validity ? !validity.continue : index < 0 || index >= items.length - 1);
  }

  // Requests that must outlive the page are sent with keepalive, which browsers cap at 64 KB in
  // flight for the whole page: a request that would pass the cap goes as a plain fetch instead.
  let keepaliveBytes = 0;
  async function send(url, body) {
    const keepalive = keepaliveBytes + body.length <= KEEPALIVE_BYTES;
    if (keepalive) keepaliveBytes += body.length;
    try {
      const response = await fetch(url, { method: 'POST', keepalive, headers: { 'content-type': 'application/json' }, body });
      return { ok: response.ok, answer: await response.json().catch(() => ({})) };
    } catch {
      return { ok: false, answer: {} };
    } finally {
      if (keepalive) keepaliveBytes -= body.length;
    }
  }

  /**
   * How the runtime's commits reach the service: each names the SCO and delivery on screen when it
   * was made, with its sequence number, and is sent without blocking the SCO (never a synchronous
   * request). The SCO is told of a refusal through the runtime's commit events.
   */
  const httpService = {
    reportsRequestCompletion: true,
    processHttpRequest(url, params, _immediate, _apiLog, processListeners, metadata, onRequestComplete) {
      const body = JSON.stringify({
        item: current.item.id,
        delivery: current.delivery,
        sequence: ++current.sequence,
        terminated: Boolean(metadata && metadata.isTerminateCommit),
        cmi: params.cmi || (params.runtimeData && params.runtimeData.cmi) || {},
      });
      void send(url, body)
        .then(({ ok, answer }) => processListeners(ok ? 'CommitSuccess' : 'CommitError', undefined, ok ? undefined : answer.errorCode || 101))
        .finally(() => onRequestComplete && onRequestComplete());
      return { result: 'true', errorCode: 0 };
    },
    updateSettings() {},
  };

  function settings() {
    return {
      lmsCommitUrl: 'commits',
      httpService,
      // The runtime times the session itself: a SCO closed with its tab never reports its own.
      selfReportSessionTime: true,
      autocommit: true,
      autocommitSeconds: 30,
      logLevel: 5,
    };
  }

  /** SCORM 1.2 allows 4,096 characters of suspend data; a longer value is refused with 405 as the standard says. */
  function enforceSuspendDataLimit(api) {
    const setValue = api.LMSSetValue.bind(api);
    api.LMSSetValue = (element, value) => {
      if (element === 'cmi.suspend_data' && String(value).length > 4096) {
        api.throwSCORMError(element, 405, 'cmi.suspend_data holds at most 4096 characters in SCORM 1.2');
        return 'false';
      }
      return setValue(element, value);
    };
  }

  /** Unloads the SCO in the frame and waits for its last commits: it finishes itself as it unloads. */
  async function unload() {
    if (!current) return;
    const { api } = current;
    frame.src = 'about:blank';
    if (!api) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (api.isInitialized() && !api.isTerminated()) api[names.commit]('');
    await api.whenCommitsSettled({ timeoutMs: 4000 });
  }

  /** The SCO's data from the service: resumed or new, with the delivery its commits carry. */
  async function delivery(item) {
    try {
      return await post('deliveries', { item: item.id });
    } catch (error) {
      show(`The course could not be started: ${error.message}`);
      return null;
    }
  }

  /** Keeps the contents in step with what the SCO reports, and follows it when it finishes. */
  function listen(api, item) {
    for (const element of names.status) {
      api.on(`${is12 ? 'LMSSetValue' : 'SetValue'}.${element}`, (_element, value) => {
        if (element.endsWith('success_status') && value !== 'passed') return;
        statuses[item.id] = value;
        renderContents();
      });
    }
    api.on(names.finish, () => void finished(item, api));
  }

  /** Shows a SCO without sequencing: a runtime of its own, started from its saved data. */
  async function open(item) {
    if (ended) return;
    if (sequencer) return navigate('choice', item.id);
    await unload();
    show('');
    if (isXapi) return openXapi(item);
    const started = await delivery(item);
    if (!started) return;
    const Runtime = is12 ? window.Scorm12API : window.Scorm2004API;
    const api = new Runtime(settings());
    api.loadFromJSON(started.cmi);
    if (is12) {
      enforceSuspendDataLimit(api);
      window.API = api;
    } else {
      window.API_1484_11 = api;
    }
    listen(api, item);
    current = { item, api, delivery: started.delivery, sequence: 0 };
    renderContents();
    frame.src = item.href;
  }

  /** A cmi5 AU or Tin Can activity: a session of its own, opened at the URL the service gives. */
  async function openXapi(item) {
    let started;
    try {
      started = await post('xapi-launches', { item: item.id });
    } catch (error) {
      return show(`The course could not be started: ${error.message}`);
    }
    current = { item, api: null };
    renderContents();
    frame.src = started.url;
  }

  /** xAPI content reports to the LRS, not to this page: the contents follow the service's statuses. */
  async function refreshStatuses() {
    const response = await fetch('status').catch(() => null);
    if (!response || !response.ok) return;
    Object.assign(statuses, (await response.json()).statuses);
    renderContents();
  }

  // SCORM 2004: one runtime for the whole course, whose sequencing engine (the package's rules)
  // decides what may be chosen and which SCO comes next; the page delivers what it decides.
  let sequencer = null;
  let validity = null;

  async function deliverActivity(id) {
    const item = items.find((candidate) => candidate.id === id);
    if (!item) return;
    const started = await delivery(item);
    if (!started) return;
    // The SCO before has terminated: the runtime starts afresh for this one, its sequencing kept.
    if (current) sequencer.reset();
    sequencer.loadFromJSON(started.cmi);
    listen(sequencer, item);
    current = { item, api: sequencer, delivery: started.delivery, sequence: 0 };
    show('');
    renderContents();
    frame.src = item.href;
  }

  /** A navigation request of the learner (choice, continue, previous): the SCO on screen ends first. */
  async function navigate(request, target) {
    if (ended) return;
    await unload();
    const accepted = sequencer.processNavigationRequest(request, target);
    if (!accepted) show('That is not available yet: the course sets the order.');
  }

  /** The engine's state goes to the service with each commit, to be resumed on the next launch. */
  const sequencingPersistence = {
    persistence: {
      saveState: async (state) => (await send('sequencing', JSON.stringify({ state }))).ok,
      loadState: async () => config.sequencingState,
    },
    autoLoadOnInitialize: false,
    autoSaveOn: 'commit',
    // Stored as the JSON it is: the runtime's own packing makes it larger, not smaller.
    compress: false,
  };

  async function startSequencing() {
    sequencer = new window.Scorm2004API({
      ...settings(),
      sequencingStatePersistence: sequencingPersistence,
      sequencing: {
        activityTree: config.activityTree,
        eventListeners: {
          onActivityDelivery: (activity) => void deliverActivity(activity.id),
          onNavigationValidityUpdate: (update) => {
            validity = update;
            renderContents();
          },
          onSequencingSessionEnd: () => void end(),
        },
      },
    });
    window.API_1484_11 = sequencer;
    // A learner coming back: the activities' states and the objectives they left, then on from there.
    const resumed = config.sequencingState ? await sequencer.loadSequencingState({ learnerId: 'learner', courseId: 'course' }) : false;
    if (!sequencer.processNavigationRequest(resumed ? 'resumeAll' : 'start') && !(resumed && sequencer.processNavigationRequest('start'))) {
      show('The course cannot be started.');
    }
  }

  /** After a SCO finished: follow its navigation request (2004), or end the course when all of it is done. */
  async function finished(item, api) {
    // The sequencing engine acts on the SCO's navigation request itself.
    if (sequencer) return;
    await api.whenCommitsSettled({ timeoutMs: 4000 });
    if (!current || current.api !== api) return;
    const request = is12 ? '_none_' : String((api.adl && api.adl.nav && api.adl.nav.request) || '_none_');
    const index = items.indexOf(item);
    const choice = /^\{target=(.+)\}(choice|jump)$/.exec(request);
    if (request === 'continue' && index < items.length - 1) return open(items[index + 1]);
    if (request === 'previous' && index > 0) return open(items[index - 1]);
    if (choice) {
      const target = items.find((candidate) => candidate.id === choice[1]);
      if (target) return open(target);
    }
    if (/^(exit|exitAll|suspendAll|abandonAll)$/.test(request) || items.every((candidate) => DONE.has(statusOf(candidate)))) return end();
    if (items.length === 1) return end();
    show('Choose what to do next in the contents.');
  }

  async function end() {
    await unload();
    ended = true;
    current = null;
    renderContents();
    if (config.redirectUrl) {
      window.location.assign(config.redirectUrl);
      return;
    }
    show('You have left the course. Your progress is saved; you can close this window.');
  }

  buttons.previous.addEventListener('click', () => {
    if (sequencer) return void navigate('previous');
    const index = current ? items.indexOf(current.item) : -1;
    if (index > 0) void open(items[index - 1]);
  });
  buttons.next.addEventListener('click', () => {
    if (sequencer) return void navigate('continue');
    const index = current ? items.indexOf(current.item) : -1;
    if (index >= 0 && index < items.length - 1) void open(items[index + 1]);
  });
  buttons.exit.addEventListener('click', () => void end());
  document.getElementById('toggle-contents').addEventListener('click', (event) => {
    const expanded = event.currentTarget.getAttribute('aria-expanded') === 'true';
    event.currentTarget.setAttribute('aria-expanded', String(!expanded));
    contents.hidden = expanded;
  });

  // The tab may close or go to the background at any moment: what the SCO set so far is committed
  // with a keepalive request, which outlives the page.
  const saveNow = () => {
    if (current && current.api && current.api.isInitialized() && !current.api.isTerminated()) current.api[names.commit]('');
  };
  window.addEventListener('pagehide', saveNow);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') saveNow();
  });

  renderContents();
  if (isXapi) window.setInterval(() => void refreshStatuses(), 3000);
  if (config.activityTree) {
    void startSequencing();
  } else {
    // Start where the learner stopped: the first item not done yet.
    const start = items.find((item) => !DONE.has(statusOf(item))) || items[0];
    if (start) void open(start);
  }
})();
