// The Live tab (docs/console.md, "Live debugger"): the event stream as it happens through /v1/stream (the session
// cookie signs the WebSocket in), filtered by flow, type, destination and outcome; an event's trail from
// /console/api/events/{id}. Every value shown comes masked from the bus and is written as text, never as HTML.
'use strict';

(() => {
  const MAX_ROWS = 200;
  // a flow is a family of event types (the stream's type filter takes prefixes ending in '*')
  const FLOWS = {
    '': '', subscriptions: 'marketing.contact.*', conversions: 'marketing.conversion.*,marketing.purchase.*',
    analytics: 'marketing.analytics.*,marketing.identity.*,marketing.custom.*', catalog: 'marketing.product.*',
    opportunities: 'marketing.opportunity.*,marketing.deal.*', messaging: 'marketing.message.*',
  };
  const OUTCOMES = ['', 'accepted', 'delivered', 'filtered', 'retried', 'dead-lettered'];
  const { el } = Console;
  let built = false, socket = null, paused = false, dropped = 0, held = [];
  let rows, status, droppedNode, pauseButton, trailBox, form;

  function build(section) {
    form = {
      flow: el('select', { id: 'live-flow', 'aria-label': 'flow' }, Object.keys(FLOWS).map(f => el('option', { value: f }, f || 'all flows'))),
      type: el('input', { id: 'live-type', placeholder: 'type, e.g. marketing.contact.*', size: 28 }),
      destination: el('input', { id: 'live-destination', placeholder: 'destination, e.g. hubspot', size: 18 }),
      outcome: el('select', { id: 'live-outcome', 'aria-label': 'outcome' }, OUTCOMES.map(o => el('option', { value: o }, o || 'all outcomes'))),
    };
    pauseButton = el('button', { id: 'live-pause', type: 'button', onclick: togglePause }, 'Pause');
    status = el('span', { id: 'live-status', class: 'muted' }, 'not connected');
    droppedNode = el('span', { id: 'live-dropped', class: 'muted' });
    rows = el('tbody', { id: 'live-rows' });
    trailBox = el('div', { id: 'live-trail', class: 'card', hidden: true });
    section.append(
      el('h2', {}, 'Live events'),
      el('form', { class: 'toolbar', onsubmit: e => { e.preventDefault(); connect(); } },
        form.flow, form.type, form.destination, form.outcome,
        el('button', { type: 'submit', class: 'primary' }, 'Apply'), pauseButton,
        el('button', { type: 'button', onclick: () => { rows.replaceChildren(); } }, 'Clear'), status, droppedNode),
      el('p', { class: 'hint' }, 'Newest first, the last ' + MAX_ROWS + ' shown; e-mails and phones are masked by the bus. Click an event for its trail.'),
      trailBox,
      el('table', { id: 'live-table' }, el('thead', {}, el('tr', {},
        el('th', {}, 'time'), el('th', {}, 'kind'), el('th', {}, 'event'), el('th', {}, 'type'),
        el('th', {}, 'stage'), el('th', {}, 'outcome'), el('th', {}, 'detail'))), rows));
    built = true;
  }

  function query() {
    const q = {};
    // a type typed in is narrower than the flow's families: it wins
    const type = form.type.value.trim() || FLOWS[form.flow.value];
    if (type) q.type = type;
    if (form.destination.value.trim()) q.destination = form.destination.value.trim();
    if (form.outcome.value) q.outcome = form.outcome.value;
    return q;
  }

  function connect() {
    if (socket) { socket.onclose = null; socket.close(); }
    dropped = 0; droppedNode.textContent = '';
    const ws = new WebSocket(Console.streamUrl(query()));
    socket = ws;
    status.textContent = 'connecting…'; status.className = 'muted';
    ws.onmessage = m => {
      const frame = JSON.parse(m.data);
      if (frame.kind === 'subscribed') { status.textContent = 'live'; status.className = 'ok'; return; }
      if (frame.kind === 'dropped') {
        dropped += frame.count;
        droppedNode.textContent = Console.number(dropped) + ' dropped (the page fell behind)';
        return;
      }
      if (paused) { held.push(frame); if (held.length > MAX_ROWS) held.shift(); return; }
      add(frame);
    };
    ws.onclose = e => {
      if (socket !== ws) return;
      status.textContent = 'disconnected (' + e.code + '), reconnecting…'; status.className = 'warn';
      setTimeout(() => { if (socket === ws && Console.tab === 'live') connect(); }, 3000);
    };
  }

  function add(frame) {
    const id = frame.kind === 'event' ? frame.id : frame.eventId;
    const detail = frame.kind === 'event' ? JSON.stringify(frame.data || {})
      : [frame.reason, frame.httpStatus && ('HTTP ' + frame.httpStatus), frame.attempt && ('attempt ' + frame.attempt)]
        .filter(Boolean).join(' · ');
    const outcomeClass = { delivered: 'ok', accepted: 'ok', retried: 'warn', 'dead-lettered': 'bad' }[frame.outcome] || '';
    const row = el('tr', { class: 'live-row', dataset: { eventId: id || '' }, onclick: () => id && openTrail(id) },
      el('td', { class: 'mono' }, Console.time(frame.kind === 'event' ? (frame.time || Date.now()) : frame.at)),
      el('td', {}, frame.kind),
      el('td', { class: 'mono' }, el('a', { href: '#trail/' + id }, id || '')),
      el('td', {}, frame.type || ''),
      el('td', {}, frame.stage || frame.topic || ''),
      el('td', { class: outcomeClass }, frame.outcome || ''),
      el('td', { class: 'mono detail' }, detail.length > 300 ? detail.slice(0, 300) + '…' : detail));
    rows.prepend(row);
    while (rows.children.length > MAX_ROWS) rows.lastChild.remove();
  }

  function togglePause() {
    paused = !paused;
    pauseButton.textContent = paused ? 'Resume (' + held.length + ' waiting)' : 'Pause';
    if (!paused) { held.forEach(add); held = []; }
  }

  async function openTrail(id) {
    trailBox.hidden = false;
    trailBox.replaceChildren(el('p', { class: 'muted' }, 'loading the trail of ' + id + '…'));
    let trail;
    try {
      trail = await Console.api('events/' + encodeURIComponent(id));
    } catch (e) {
      trailBox.replaceChildren(el('h3', {}, 'Trail of ', el('code', {}, id)), el('p', { class: 'error' }, e.message));
      return;
    }
    trailBox.replaceChildren(
      el('h3', {}, 'Trail of ', el('code', { id: 'trail-id' }, trail.eventId),
        ' ', el('button', { type: 'button', onclick: () => { trailBox.hidden = true; } }, 'Close')),
      el('table', { id: 'trail-table' },
        el('thead', {}, el('tr', {}, ['time', 'stage', 'outcome', 'attempt', 'HTTP', 'reason', "platform's answer"].map(h => el('th', {}, h)))),
        el('tbody', {}, trail.records.map(r => el('tr', { class: 'trail-row', dataset: { outcome: r.outcome } },
          el('td', { class: 'mono' }, Console.time(r.at)), el('td', {}, r.stage),
          el('td', { class: { delivered: 'ok', accepted: 'ok', retried: 'warn', 'dead-lettered': 'bad' }[r.outcome] || '' }, r.outcome),
          el('td', { class: 'num' }, r.attempt ?? ''), el('td', { class: 'num' }, r.httpStatus ?? ''),
          el('td', {}, r.reason || ''), el('td', { class: 'mono' }, r.answer || ''))))));
  }

  function trailFromHash() {
    const hash = window.location.hash;
    if (!hash.startsWith('#trail/')) return;
    Console.show('live');
    openTrail(decodeURIComponent(hash.slice('#trail/'.length)));
  }

  Console.onTab('live', section => {
    if (!built) build(section);
    if (!socket || socket.readyState > 1) connect();
  });
  window.addEventListener('hashchange', trailFromHash);
  window.addEventListener('DOMContentLoaded', trailFromHash);
})();
