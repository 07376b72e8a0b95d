// SCORM Lens admin panel: small enhancements over server-rendered pages, which work without it.
const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? '';
const live = document.createElement('div');
live.className = 'visually-hidden';
live.setAttribute('aria-live', 'polite');
document.body.append(live);
const announce = (text) => {
  live.textContent = text;
};

// Forms that destroy something ask first.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// Copy buttons for secrets shown once.
for (const button of document.querySelectorAll('[data-copy]')) {
  button.addEventListener('click', async () => {
    const text = document.querySelector(button.dataset.copy)?.textContent ?? '';
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      const range = document.createRange();
      range.selectNodeContents(document.querySelector(button.dataset.copy));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      button.textContent = 'Selected: press Ctrl+C';
    }
    announce(button.textContent);
  });
}

// Upload: drop packages anywhere on the zone, or choose them; each shows its progress.
const uploadForm = document.querySelector('form#upload');
if (uploadForm) {
  const list = uploadForm.querySelector('.uploads');
  const input = uploadForm.querySelector('input[type="file"]');
  input.multiple = true;

  const send = (file) =>
    new Promise((resolve) => {
      const item = document.createElement('li');
      const name = document.createElement('span');
      name.textContent = file.name;
      const state = document.createElement('span');
      state.textContent = 'Uploading…';
      const bar = document.createElement('progress');
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute('aria-label', `Upload of ${file.name}`);
      item.append(name, state, bar);
      list.append(item);

      const body = new FormData();
      body.append('batch_name', uploadForm.querySelector('[name="batch_name"]').value);
      body.append('file', file);
      const request = new XMLHttpRequest();
      request.open('POST', uploadForm.action);
      request.setRequestHeader('x-csrf-token', csrfToken);
      request.setRequestHeader('accept', 'application/json');
      request.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable) bar.value = Math.round((event.loaded / event.total) * 100);
      });
      const fail = (message) => {
        state.textContent = 'Failed';
        const error = document.createElement('span');
        error.className = 'error';
        error.textContent = message;
        item.append(error);
        announce(`${file.name}: ${message}`);
        resolve(false);
      };
      request.addEventListener('load', () => {
        if (request.status >= 200 && request.status < 300) {
          bar.value = 100;
          state.textContent = 'Uploaded';
          announce(`${file.name} uploaded`);
          resolve(true);
          return;
        }
        let message = `The upload was refused (${request.status}).`;
        try {
          message = JSON.parse(request.responseText).message ?? message;
        } catch {
          // Not JSON: keep the generic message.
        }
        fail(message);
      });
      request.addEventListener('error', () => fail('The connection was lost. Try again.'));
      request.send(body);
    });

  const uploadAll = async (files) => {
    if (files.length === 0) return;
    const results = [];
    for (const file of files) results.push(await send(file));
    if (results.every(Boolean)) window.location.assign('/admin/files?done=uploaded');
  };

  uploadForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void uploadAll([...input.files]);
  });
  for (const type of ['dragenter', 'dragover']) {
    uploadForm.addEventListener(type, (event) => {
      event.preventDefault();
      uploadForm.classList.add('over');
    });
  }
  uploadForm.addEventListener('dragleave', (event) => {
    if (!uploadForm.contains(event.relatedTarget)) uploadForm.classList.remove('over');
  });
  uploadForm.addEventListener('drop', (event) => {
    event.preventDefault();
    uploadForm.classList.remove('over');
    void uploadAll([...(event.dataTransfer?.files ?? [])]);
  });
}

// Status badges of files still being prepared or extracted refresh themselves.
const POLL_MS = 2000;
const moving = () => [...document.querySelectorAll('[data-file-id][data-final="false"]')];
async function poll() {
  const badges = moving();
  if (badges.length === 0) return;
  try {
    const ids = [...new Set(badges.map((b) => b.dataset.fileId))].join(',');
    const response = await fetch(`/admin/files/status?ids=${ids}`, { headers: { accept: 'application/json', 'x-csrf-token': csrfToken } });
    // The session ended: reloading leads to the sign-in page.
    if (response.status === 401) window.location.reload();
    if (response.ok) {
      const { files } = await response.json();
      for (const file of files) {
        for (const badge of document.querySelectorAll(`[data-file-id="${file.id}"]`)) {
          if (badge.textContent === file.label) continue;
          badge.className = `badge ${file.status}`;
          badge.textContent = file.label;
          badge.dataset.final = String(file.final);
          const name = badge.closest('tr')?.querySelector('a')?.textContent ?? document.querySelector('h1')?.textContent ?? 'File';
          announce(`${name}: ${file.label}`);
          if (file.final && badge.closest('[data-reload-when-final]')) window.location.reload();
        }
      }
    }
  } finally {
    setTimeout(poll, POLL_MS);
  }
}
if (moving().length) setTimeout(poll, POLL_MS);
