// The delivery overview tab (docs/console.md, "Overview"): per flow and destination, what was received, rejected,
// filtered, delivered, retried, dead-lettered, pending, latency and breaker state over 1 h / 1 d / 7 d; a number
// opens its sample events, each linking to its trail in the live tab.
'use strict';

(() => {
  const { el, api, number } = Console;
  const COLUMNS = [
    ['received', 'Received'], ['rejected', 'Rejected'], ['filtered', 'Filtered'], ['delivered', 'Delivered'],
    ['retried', 'Retried'], ['deadLettered', 'Dead-lettered'],
  ];
  let windowName = '1h';
  let timer = null;
  let built = null;

  function build(section) {
    const windows = el('div', { class: 'toolbar', role: 'group', 'aria-label': 'Window' },
      el('strong', {}, 'Delivery overview'),
      ['1h', '1d', '7d'].map(w => el('button', {
        id: 'overview-window-' + w, class: w === windowName ? 'primary' : null, type: 'button',
        onclick: () => { windowName = w; for (const b of windows.querySelectorAll('button')) b.classList.toggle('primary', b.id.endsWith(w)); refresh(); },
      }, w)),
      el('span', { id: 'overview-updated', class: 'muted' }));
    const table = el('table', { id: 'overview-table' },
      el('thead', {}, el('tr', {},
        el('th', {}, 'Flow'), el('th', {}, 'Source / destination'),
        COLUMNS.map(([, label]) => el('th', { class: 'num' }, label)),
        el('th', { class: 'num' }, 'Pending'), el('th', { class: 'num' }, 'p50'), el('th', { class: 'num' }, 'p95'),
        el('th', {}, 'Breaker'), el('th', {}, 'Reasons'))),
      el('tbody'));
    const samples = el('div', { id: 'overview-samples', class: 'card', hidden: true });
    section.replaceChildren(windows, table,
      el('p', { class: 'hint' }, 'Click a number for its sample events. Latency: accepted at ingress → delivered, ',
        'from the delivery records (bins of 20 %). Pending: the consumer lag now.'),
      samples);
    return { table, samples };
  }

  function ms(value) {
    if (value === null || value === undefined) return '–';
    return value >= 10000 ? number(value / 1000, 1) + ' s' : number(value) + ' ms';
  }

  function reasons(row) {
    const items = [];
    for (const [outcome, byReason] of Object.entries(row.reasons || {})) {
      for (const [reason, count] of Object.entries(byReason)) items.push(el('li', {}, `${outcome}: ${reason} ×${count}`));
    }
    return items.length ? el('ul', { class: 'reasons' }, items) : '';
  }

  function render(body) {
    const tbody = built.table.tBodies[0];
    const rows = body.rows.map(row => el('tr', { dataset: { flow: row.flow, destination: row.destination } },
      el('td', {}, row.flow), el('td', { class: 'mono' }, row.destination),
      COLUMNS.map(([key]) => el('td', { class: 'num col-' + key },
        row[key] > 0
          ? el('button', { class: 'count', type: 'button', title: 'sample events', onclick: () => showSamples(row, key) }, number(row[key]))
          : el('span', { class: 'muted' }, '0'))),
      el('td', { class: 'num col-pending' }, row.pending === null ? '' : number(row.pending)),
      el('td', { class: 'num col-p50' }, ms(row.p50Ms)), el('td', { class: 'num col-p95' }, ms(row.p95Ms)),
      el('td', { class: 'col-breaker ' + (row.breaker === 'closed' ? 'ok' : row.breaker ? 'bad' : '') }, row.breaker || ''),
      el('td', { class: 'col-reasons' }, reasons(row))));
    if (!rows.length) {
      rows.push(el('tr', {}, el('td', { colspan: 13, class: 'muted' },
        'No traffic in this window yet: send a webhook (README, "Try flow 1 against the sandbox").')));
    }
    tbody.replaceChildren(...rows);
    document.getElementById('overview-updated').textContent = 'updated ' + Console.time(Date.now());
  }

  async function showSamples(row, outcome) {
    const panel = built.samples;
    panel.hidden = false;
    panel.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
    const query = new URLSearchParams({ flow: row.flow, destination: row.destination, outcome, window: windowName });
    try {
      const body = await api('overview/samples?' + query);
      panel.replaceChildren(
        el('h3', {}, `${outcome} · ${row.flow} · ${row.destination}`),
        body.samples.length
          ? el('table', { id: 'overview-samples-table' },
            el('thead', {}, el('tr', {}, el('th', {}, 'Event'), el('th', {}, 'Type'), el('th', {}, 'At'), el('th', {}, 'Reason'))),
            el('tbody', {}, body.samples.map(s => el('tr', {},
              el('td', { class: 'mono' }, el('a', { href: '#trail/' + encodeURIComponent(s.eventId),
                onclick: e => { e.preventDefault(); window.location.hash = '#trail/' + s.eventId; } }, s.eventId)),
              el('td', { class: 'mono' }, s.type || ''), el('td', {}, Console.time(s.at)), el('td', {}, s.reason || '')))))
          : el('p', { class: 'muted' }, 'No sample left in this window (the last 10 of each cell are kept).'),
        el('button', { type: 'button', onclick: () => { panel.hidden = true; } }, 'Close'));
    } catch (e) {
      panel.replaceChildren(el('p', { class: 'error' }, 'Samples not loaded: ' + e.message));
    }
  }

  async function refresh() {
    try {
      render(await api('overview?window=' + windowName));
    } catch (e) {
      if (e.status !== 401) Console.error('Overview: ' + e.message);
    }
  }

  Console.onTab('overview', section => {
    if (!built || !section.contains(built.table)) built = build(section);
    refresh();
    clearInterval(timer);
    // every 5 s while the tab shows; stops once another tab is chosen
    timer = setInterval(() => { if (Console.tab === 'overview') refresh(); else clearInterval(timer); }, 5000);
  });
})();
