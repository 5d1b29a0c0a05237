// The KPIs tab (docs/console.md, "KPIs"): seed 001's table computed from what the bus measured, each KPI with its
// target, met or not, per integration type, and a uPlot trend chart per KPI (one line per type).
'use strict';

(() => {
  const { el, api, number } = Console;
  let windowName = '1d';
  let built = null;
  let charts = [];

  function format(kpi, value) {
    if (value === null || value === undefined) return '–';
    return kpi.unit === 'seconds' ? number(value * 1000, 0) + ' ms' : number(value * 100, 3) + ' %';
  }

  function build(section) {
    const windows = el('div', { class: 'toolbar', role: 'group', 'aria-label': 'Window' },
      el('strong', {}, 'KPIs'),
      ['1h', '1d', '7d'].map(w => el('button', {
        id: 'kpis-window-' + w, class: w === windowName ? 'primary' : null, type: 'button',
        onclick: () => { windowName = w; for (const b of windows.querySelectorAll('button')) b.classList.toggle('primary', b.id.endsWith(w)); refresh(); },
      }, w)),
      el('span', { id: 'kpis-note', class: 'muted' }));
    const table = el('table', { id: 'kpis-table' },
      el('thead', {}, el('tr', {}, el('th', {}, 'KPI'), el('th', {}, 'Type'), el('th', { class: 'num' }, 'Value'),
        el('th', { class: 'num' }, 'Target'), el('th', {}, 'Met'), el('th', {}, 'From'))),
      el('tbody'));
    const chartBox = el('div', { id: 'kpi-charts' });
    section.replaceChildren(windows, table, el('h3', {}, 'Trends'), chartBox);
    return { table, chartBox };
  }

  function render(body) {
    document.getElementById('kpis-note').textContent = `${body.note} (${body.instance}).`;
    built.table.tBodies[0].replaceChildren(...body.kpis.map(kpi => el('tr', { dataset: { kpi: kpi.id, type: kpi.type } },
      el('td', {}, kpi.label), el('td', {}, kpi.type),
      el('td', { class: 'num col-value' }, format(kpi, kpi.value)),
      el('td', { class: 'num col-target' }, kpi.comparison + ' ' + format(kpi, kpi.target)),
      el('td', { class: 'col-met ' + (kpi.met === true ? 'ok' : kpi.met === false ? 'bad' : 'muted') },
        kpi.met === true ? 'met' : kpi.met === false ? 'missed' : 'no data'),
      el('td', { class: 'muted' }, Object.entries(kpi.from).map(([k, v]) => `${k} ${number(v)}`).join(', ')))));
    renderCharts(body);
  }

  function renderCharts(body) {
    charts.forEach(c => c.destroy());
    charts = [];
    built.chartBox.replaceChildren();
    if (typeof uPlot === 'undefined') return;
    const byId = new Map();
    for (const kpi of body.kpis) {
      if (!byId.has(kpi.id)) byId.set(kpi.id, []);
      byId.get(kpi.id).push(kpi);
    }
    const colours = ['#2456c7', '#1f7a3e', '#a15c00', '#b3261e', '#6a3fb5', '#0f7c8c', '#7a7a7a'];
    for (const [id, kpis] of byId) {
      const box = el('div', { class: 'card kpi-chart', id: 'kpi-chart-' + id }, el('h3', {}, kpis[0].label));
      built.chartBox.append(box);
      const scale = kpis[0].unit === 'seconds' ? 1000 : 100;
      const data = [body.times, ...kpis.map(k => k.trend.map(v => (v === null ? null : v * scale)))];
      charts.push(new uPlot({
        width: Math.min(900, built.chartBox.clientWidth || 900), height: 180,
        series: [{}, ...kpis.map((k, i) => ({ label: k.type, stroke: colours[i % colours.length], width: 1.5 }))],
        axes: [{}, { label: kpis[0].unit === 'seconds' ? 'ms' : '%' }],
      }, data, box));
    }
  }

  async function refresh() {
    try {
      render(await api('kpis?window=' + windowName));
    } catch (e) {
      if (e.status !== 401) Console.error('KPIs: ' + e.message);
    }
  }

  Console.onTab('kpis', section => {
    if (!built || !section.contains(built.table)) built = build(section);
    refresh();
  });
})();
