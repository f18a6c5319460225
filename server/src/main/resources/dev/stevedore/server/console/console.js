// Live updates: the server says "change" on the page's event stream when a record the page shows
// changed (from the store's watch), and "stats" when a task the page charts had a new sample; the page
// then fetches itself once and swaps its live part (the charts are drawn by the server).
// No timer asks the server anything.
(function () {
  const main = document.getElementById('live');
  if (!main || !main.dataset.live) {
    return;
  }
  let fetching = false;
  let again = false;
  async function refresh() {
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    try {
      const answer = await fetch(location.href, { credentials: 'same-origin', cache: 'no-store' });
      if (answer.ok) {
        const page = new DOMParser().parseFromString(await answer.text(), 'text/html');
        const fresh = page.getElementById('live');
        if (fresh) {
          main.replaceChildren(...fresh.childNodes);
          main.dataset.updated = String(Date.now());
        }
      }
    } finally {
      fetching = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  }
  const events = new EventSource(main.dataset.live);
  events.addEventListener('change', refresh);
  events.addEventListener('stats', refresh);
  events.addEventListener('open', () => { main.dataset.stream = 'open'; });
})();
// A task's logs: new lines arrive as "log" events and are appended as text (never parsed as markup).
(function () {
  const follow = document.getElementById('follow');
  if (!follow || !follow.dataset.follow) {
    return;
  }
  const events = new EventSource(follow.dataset.follow);
  events.addEventListener('log', (event) => {
    const batch = JSON.parse(event.data);
    for (const pre of document.querySelectorAll('pre.log')) {
      if (pre.dataset.container === batch.container) {
        pre.append(document.createTextNode(batch.lines.join('\n') + '\n'));
      }
    }
  });
  events.addEventListener('open', () => { follow.dataset.stream = 'open'; });
})();
