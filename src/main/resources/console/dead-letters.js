// The Dead letters tab (docs/console.md, "Dead letters"): every *.dlq topic's letters grouped by reason, with
// counts, first/last time and masked samples (/console/api/dead-letters); a group is replayed with a dry run first
// (what would be replayed), then, once confirmed, for real (POST /console/api/dead-letters/replay).
'use strict';

(() => {
  const { el } = Console;
  let body;

  async function load(section) {
    if (!body) {
      body = el('div', { id: 'dead-letters-body' });
      section.append(el('h2', {}, 'Dead letters'),
        el('div', { class: 'toolbar' }, el('button', { id: 'dead-letters-refresh', type: 'button', onclick: () => load(section) }, 'Refresh'),
          el('span', { class: 'hint' }, 'grouped by reason; replay sends a group back to its flow topic, where every destination that has not delivered it yet gets it again')),
        body);
    }
    body.replaceChildren(el('p', { class: 'muted' }, 'reading the dead-letter topics…'));
    let answer;
    try {
      answer = await Console.api('dead-letters');
    } catch (e) {
      body.replaceChildren(el('p', { class: 'error' }, e.message));
      return;
    }
    const topics = answer.topics.filter(t => t.total > 0);
    if (!topics.length) {
      body.replaceChildren(el('p', { id: 'dead-letters-none', class: 'ok' }, 'No dead letters.'));
      return;
    }
    body.replaceChildren(...topics.map(topic));
  }

  function topic(t) {
    return el('div', { class: 'card dlq', dataset: { dlq: t.topic } },
      el('h3', {}, el('code', {}, t.topic), ' ', el('span', { class: 'muted' },
        Console.number(t.total) + ' letters' + (t.scanned < t.total ? ' (the newest ' + Console.number(t.scanned) + ' grouped)' : ''))),
      el('table', {}, el('thead', {}, el('tr', {}, ['reason', 'count', 'first', 'last', 'samples', ''].map(h => el('th', {}, h)))),
        el('tbody', {}, t.groups.map(g => group(t.topic, g)))));
  }

  function group(dlq, g) {
    const result = el('div', { class: 'replay-result' });
    const dry = el('button', { type: 'button', class: 'dry-run', onclick: () => dryRun(dlq, g, result) }, 'Replay…');
    return el('tr', { class: 'dlq-group', dataset: { reason: g.reason } },
      el('td', {}, g.reason, g.destination ? el('div', { class: 'muted' }, 'destination: ' + g.destination) : null),
      el('td', { class: 'num count' }, Console.number(g.count)),
      el('td', { class: 'mono' }, Console.time(g.first)), el('td', { class: 'mono' }, Console.time(g.last)),
      el('td', {}, g.samples.map(s => el('details', { class: 'sample' },
        el('summary', {}, s.eventId ? el('a', { href: '#trail/' + s.eventId }, s.eventId) : s.offset,
          s.httpStatus ? ' · HTTP ' + s.httpStatus : ''),
        s.answer ? el('div', {}, 'platform: ', el('code', {}, s.answer)) : null,
        el('pre', { class: 'mono' }, s.event)))),
      el('td', {}, dry, result));
  }

  // the group's window: its letters up to now (its last letter included); the reason as the group names it
  function selection(dlq, g, dryRun) {
    return { dlq, reason: g.reason, since: g.first, until: new Date(Date.parse(g.last) + 1).toISOString(), dryRun };
  }

  async function dryRun(dlq, g, result) {
    result.replaceChildren(el('span', { class: 'muted' }, 'dry run…'));
    let report;
    try {
      report = await Console.api('dead-letters/replay', { body: selection(dlq, g, true) });
    } catch (e) {
      result.replaceChildren(el('span', { class: 'error' }, e.message));
      return;
    }
    const targets = Object.entries(report.toTopics || {}).map(([topic, n]) => n + ' to ' + topic).join(', ');
    result.replaceChildren(el('div', { class: 'dry-run-report' },
      'Dry run: ' + report.matched + ' of ' + report.scanned + ' letters match' + (targets ? '; would send ' + targets : '')
        + (report.notReplayable ? '; ' + report.notReplayable + ' not replayable' : '') + '. ',
      report.matched - report.notReplayable > 0
        ? el('button', { type: 'button', class: 'primary confirm-replay', onclick: () => replay(dlq, g, result) }, 'Replay ' + (report.matched - report.notReplayable))
        : null,
      ' ', el('button', { type: 'button', onclick: () => result.replaceChildren() }, 'Cancel')));
  }

  async function replay(dlq, g, result) {
    result.replaceChildren(el('span', { class: 'muted' }, 'replaying…'));
    try {
      const report = await Console.api('dead-letters/replay', { body: selection(dlq, g, false) });
      const targets = Object.entries(report.toTopics || {}).map(([topic, n]) => n + ' to ' + topic).join(', ');
      result.replaceChildren(el('div', { class: 'ok replay-report' }, 'Replayed ' + report.replayed + (targets ? ' (' + targets + ')' : '')
        + '. The letters stay in ' + dlq + '; follow an event\'s trail to see it delivered.'));
    } catch (e) {
      result.replaceChildren(el('span', { class: 'error' }, 'replay failed: ' + e.message));
    }
  }

  Console.onTab('dead-letters', load);
})();
