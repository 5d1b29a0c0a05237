// The console's shared helpers (docs/console.md): each tab's script (overview.js, live.js, dead-letters.js, kpis.js)
// uses Console.api, Console.el and Console.onTab. Plain ES2020, no framework; nothing is written as HTML text, so
// event data can never become markup.
'use strict';

const Console = (() => {
  const TABS = ['overview', 'live', 'dead-letters', 'kpis'];
  const handlers = new Map(TABS.map(name => [name, []]));
  let current = null;

  /**
   * Calls the console API and returns its JSON. `path` is relative to /console/api/ ('overview/summary') or absolute
   * ('/console/api/overview/summary'). `options.body`, when an object, is sent as JSON. On 401 the session has
   * ended: back to the sign-in page. Other failures throw an Error with `status` and the answer's `body`.
   */
  async function api(path, options = {}) {
    const url = path.startsWith('/') ? path : '/console/api/' + path;
    const init = { method: options.method || 'GET', credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (options.body !== undefined) {
      init.method = options.method || 'POST';
      init.headers['Content-Type'] = 'application/json';
      init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    if (options.signal) init.signal = options.signal;
    const response = await fetch(url, init);
    if (response.status === 401) {
      window.location.assign('/console');
      throw Object.assign(new Error('signed out'), { status: 401 });
    }
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = { error: text }; }
    if (!response.ok) {
      const message = (body && (body.error || body.message)) || response.statusText;
      throw Object.assign(new Error(message), { status: response.status, body });
    }
    return body;
  }

  /**
   * Makes an element: attrs are properties or attributes ('class', 'text', 'dataset', 'onclick' → a listener);
   * children are nodes or strings (always text), arrays are flattened, null/undefined/false skipped.
   */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key === 'dataset') Object.assign(node.dataset, value);
      else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Calls fn(section) each time the tab is shown (now, if it is showing). */
  function onTab(name, fn) {
    if (!handlers.has(name)) throw new Error('no tab ' + name);
    handlers.get(name).push(fn);
    if (current === name) run(name, fn);
  }

  function run(name, fn) {
    try {
      fn(document.getElementById(name));
    } catch (e) {
      error(name + ': ' + e.message);
    }
  }

  function show(name) {
    if (!handlers.has(name)) name = 'overview';
    current = name;
    for (const tab of TABS) {
      document.getElementById(tab).hidden = tab !== name;
      const link = document.getElementById('tab-' + tab);
      link.setAttribute('aria-selected', String(tab === name));
      link.classList.toggle('active', tab === name);
    }
    error(null);
    handlers.get(name).forEach(fn => run(name, fn));
  }

  /** Shows a message in the banner under the header; null hides it. */
  function error(message) {
    const banner = document.getElementById('console-error');
    if (!banner) return;
    banner.textContent = message || '';
    banner.hidden = !message;
  }

  /** The live stream's WebSocket URL on this server (the session cookie signs it in), with a query. */
  function streamUrl(query = {}) {
    const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '' && v != null));
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const q = params.toString();
    return scheme + '//' + window.location.host + '/v1/stream' + (q ? '?' + q : '');
  }

  /** 1234567 → '1,234,567'; null → '–'. */
  function number(value, digits = 0) {
    if (value === null || value === undefined || Number.isNaN(value)) return '–';
    return Number(value).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  }

  /** An ISO instant or epoch millis as local 'YYYY-MM-DD HH:MM:SS'. */
  function time(value) {
    if (value === null || value === undefined) return '–';
    const d = new Date(value);
    if (Number.isNaN(d.getTime())) return String(value);
    const pad = n => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  window.addEventListener('hashchange', () => show(window.location.hash.slice(1)));
  // the tab scripts load after this one: show the first tab once they have registered
  window.addEventListener('DOMContentLoaded', () => show(window.location.hash.slice(1) || 'overview'));

  return { api, el, onTab, show, error, streamUrl, number, time, get tab() { return current; } };
})();
