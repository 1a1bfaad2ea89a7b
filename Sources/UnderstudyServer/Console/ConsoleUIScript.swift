/// `ui.js`: Helpers every console script uses: DOM building through textContent only, fetching, timers.
/// Kept as Swift text so the console is in the binary and works offline.
enum ConsoleUIScript {
    static let text = #"""
'use strict';
/* Helpers every console page shares. Data from the server is untrusted text (prompts, model
   answers, state outputs): it only ever reaches the page as textContent or an attribute value
   set through the DOM, never as markup. */
const U = {};
U.base = '/_understudy/';
U.el = function (tag, attrs, ...children) {
  const e = document.createElement(tag);
  U.apply(e, attrs);
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
};
U.svg = function (tag, attrs, ...children) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  U.apply(e, attrs);
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
};
U.apply = function (e, attrs) {
  if (!attrs) return;
  for (const k of Object.keys(attrs)) {
    const v = attrs[k];
    if (v === undefined || v === null) continue;
    if (k === 'class') e.setAttribute('class', v);
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
};
U.clear = function (e) { while (e.firstChild) e.removeChild(e.firstChild); return e; };
U.get = async function (path, params) {
  const q = new URLSearchParams();
  for (const k of Object.keys(params || {})) if (params[k] !== undefined && params[k] !== null && params[k] !== '') q.set(k, params[k]);
  const url = U.base + path + (q.toString() ? '?' + q : '');
  const r = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error((body.message || r.statusText) + ' (' + r.status + ')');
  return body;
};
U.executionHref = arn => U.base + 'executions/' + encodeURIComponent(arn);
U.machineHref = arn => U.base + 'machines/' + encodeURIComponent(arn);
U.link = (href, text, cls) => U.el('a', { href: href, class: cls, text: text });
U.pad = n => String(n).padStart(2, '0');
U.time = function (ms) {
  if (ms === undefined || ms === null) return '';
  const d = new Date(ms);
  return d.getFullYear() + '-' + U.pad(d.getMonth() + 1) + '-' + U.pad(d.getDate()) + ' ' + U.pad(d.getHours()) + ':' +
    U.pad(d.getMinutes()) + ':' + U.pad(d.getSeconds()) + '.' + String(d.getMilliseconds()).padStart(3, '0');
};
U.duration = function (ms) {
  if (ms === undefined || ms === null || isNaN(ms)) return '';
  if (ms < 1000) return Math.round(ms) + ' ms';
  if (ms < 60000) return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
  return Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
};
U.pretty = function (text) {
  if (text === undefined || text === null) return '';
  if (typeof text !== 'string') return JSON.stringify(text, null, 2);
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
};
U.code = (text, cls) => U.el('pre', { class: 'code ' + (cls || ''), text: U.pretty(text) });
U.badge = status => U.el('span', { class: 'badge s-' + String(status || '').toLowerCase(), text: status || '' });
U.section = (title, ...children) => U.el('section', { class: 'panel' }, U.el('h2', { text: title }), ...children);
U.table = function (headers, rows, cls) {
  return U.el('table', { class: cls || 'grid' },
    U.el('thead', null, U.el('tr', null, headers.map(h => U.el('th', { text: h })))),
    U.el('tbody', null, rows));
};
U.td = (content, cls) => U.el('td', { class: cls }, content);
U.message = (text, cls) => U.el('p', { class: 'message ' + (cls || ''), text: text });

/* One set of timers for the page shown: navigation stops them all. */
U.timers = [];
U.every = function (ms, fn) {
  let stopped = false, handle = null;
  const tick = async () => {
    if (stopped) return;
    try { await fn(); } catch (e) { console.warn(e); }
    if (!stopped) handle = setTimeout(tick, ms);
  };
  const timer = { stop: () => { stopped = true; clearTimeout(handle); } };
  U.timers.push(timer);
  handle = setTimeout(tick, ms);
  return timer;
};
U.stopTimers = function () { for (const t of U.timers) t.stop(); U.timers = []; };
U.live = function (text) { const e = document.getElementById('live'); if (e) e.textContent = text; };
"""#
}
