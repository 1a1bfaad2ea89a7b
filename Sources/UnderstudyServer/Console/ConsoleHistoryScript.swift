/// `history.js`: An execution's history read into state entries, attempts and statuses; the timeline.
/// Kept as Swift text so the console is in the binary and works offline.
enum ConsoleHistoryScript {
    static let text = #"""
'use strict';
/* An execution's history read back into what the console shows: each entry into a state with
   its input, output and attempts (a Task's tries, each scheduled then succeeded or failed),
   what happened to it, and the timeline those entries make on the execution's clock. */
const History = {};
History.rank = { succeeded: 1, retried: 2, caught: 3, failed: 4, running: 5 };
History.details = function (e) {
  for (const k of Object.keys(e)) if (k.endsWith('EventDetails')) return e[k] || {};
  return {};
};
History.attemptKind = /^(Task|LambdaFunction|Activity)(Scheduled|Succeeded|Failed|TimedOut)$/;

History.read = function (x) {
  const entries = [], open = [], owner = new Map();
  const lastOpen = test => { for (let i = open.length - 1; i >= 0; i--) if (test(open[i])) return open[i]; return null; };
  const close = entry => { const i = open.indexOf(entry); if (i >= 0) open.splice(i, 1); };
  for (const e of x.events || []) {
    const t = e.type, d = History.details(e);
    if (t.endsWith('StateEntered')) {
      const entry = { index: entries.length, name: d.name, type: t.slice(0, -'StateEntered'.length), start: e.timestamp, end: null,
        input: d.input, output: null, attempts: [], events: [e], inner: false };
      entries.push(entry); open.push(entry); owner.set(e.id, entry);
      if (entry.type === 'Fail') { entry.end = e.timestamp; entry.failState = true; close(entry); }
      continue;
    }
    if (t.endsWith('StateExited')) {
      const entry = lastOpen(o => o.name === d.name);
      if (entry) { entry.end = e.timestamp; entry.output = d.output; entry.exited = true; entry.events.push(e); close(entry); }
      owner.set(e.id, entry);
      continue;
    }
    let entry = owner.get(e.previousEventId) || null;
    const group = /^(Parallel|Map)(State|Iteration|Run)/.exec(t);
    if (group) entry = lastOpen(o => o.type === group[1]);
    if (entry && entry.end !== null) entry = null;
    if (!entry && History.attemptKind.test(t)) entry = lastOpen(o => o.type === 'Task');
    owner.set(e.id, entry);
    if (!entry) continue;
    entry.events.push(e);
    const m = History.attemptKind.exec(t);
    if (m && m[2] === 'Scheduled') {
      entry.attempts.push({ start: e.timestamp, end: null, ok: null, request: d.parameters || d.input, resource: d.resource });
    } else if (m) {
      const a = entry.attempts[entry.attempts.length - 1];
      if (a && a.end === null) {
        a.end = e.timestamp; a.ok = m[2] === 'Succeeded';
        if (a.ok) a.output = d.output; else { a.error = d.error || m[2]; a.cause = d.cause; }
      }
    } else if (t === 'ParallelStateFailed' || t === 'MapStateFailed') {
      entry.failedInside = true; entry.error = d.error; entry.cause = d.cause;
    }
  }
  const running = x.status === 'RUNNING';
  for (const entry of entries) {
    const failedTries = entry.attempts.filter(a => a.ok === false).length;
    const last = entry.attempts[entry.attempts.length - 1];
    if (entry.failState) entry.status = 'failed';
    else if (entry.exited) {
      if ((last && last.ok === false) || entry.failedInside) entry.status = 'caught';
      else if (failedTries > 0) entry.status = 'retried';
      else entry.status = 'succeeded';
    } else entry.status = running ? 'running' : 'failed';
    entry.retries = Math.max(0, entry.attempts.length - 1);
  }
  return entries;
};

/* What the graph colours each state by: the worst of its entries (a Map's states are entered
   once per item), and how many times it was entered. */
History.statusByState = function (entries) {
  const status = {}, counts = {};
  for (const e of entries) {
    counts[e.name] = (counts[e.name] || 0) + 1;
    if (!status[e.name] || History.rank[e.status] > History.rank[status[e.name]]) status[e.name] = e.status;
  }
  return { status: status, counts: counts };
};

History.maxRows = 250;

/* A bar per state entry on the execution's clock; a Task's attempts as segments (failed ones
   red, the wait before a retry hatched), a mark where each retry starts; Wait states striped. */
History.timeline = function (x, entries) {
  const t0 = x.startDate;
  const lastEvent = (x.events || []).reduce((a, e) => Math.max(a, e.timestamp), t0);
  const t1 = Math.max(x.stopDate || lastEvent, lastEvent, t0 + 1);
  const span = t1 - t0;
  const pct = t => ((Math.min(Math.max(t, t0), t1) - t0) / span * 100);
  const place = (node, from, to) => { node.style.left = pct(from) + '%'; node.style.width = Math.max(0, pct(to) - pct(from)) + '%'; return node; };
  const wrap = U.el('div', { class: 'timeline' });
  const axis = U.el('div', { class: 'tl-axis' });
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    const tick = U.el('span', { class: 'tl-tick', text: U.duration(span * f) });
    tick.style.left = (f * 100) + '%';
    axis.append(tick);
  }
  wrap.append(U.el('div', { class: 'tl-row tl-head' }, U.el('div', { class: 'tl-label', text: 'State' }), U.el('div', { class: 'tl-track' }, axis)));
  for (const entry of entries.slice(0, History.maxRows)) {
    const end = entry.end === null ? t1 : entry.end;
    const track = U.el('div', { class: 'tl-track' });
    const bar = place(U.el('div', { class: 'tl-bar st-' + entry.status + ' type-' + entry.type.toLowerCase() }), entry.start, end);
    bar.title = entry.name + ': ' + entry.status + ', ' + U.duration(end - entry.start) + (entry.retries ? ', ' + entry.retries + ' retries' : '');
    track.append(bar);
    entry.attempts.forEach((a, i) => {
      const prev = entry.attempts[i - 1];
      if (prev && prev.end !== null && a.start > prev.end) {
        const gap = place(U.el('div', { class: 'tl-seg backoff' }), prev.end, a.start);
        gap.title = 'Retry wait: ' + U.duration(a.start - prev.end);
        track.append(gap);
      }
    });
    entry.attempts.forEach((a, i) => {
      const aEnd = a.end === null ? t1 : a.end;
      const seg = place(U.el('div', { class: 'tl-seg attempt ' + (a.ok === null ? 'open' : a.ok ? 'ok' : 'failed') }), a.start, aEnd);
      seg.title = 'Attempt ' + (i + 1) + ': ' + (a.ok === null ? 'running' : a.ok ? 'succeeded' : a.error) + ', ' + U.duration(aEnd - a.start);
      seg.setAttribute('data-attempt', String(i + 1));
      track.append(seg);
      if (i > 0) {
        const mark = U.el('div', { class: 'tl-retry', title: 'Retry ' + i + ' after ' + (entry.attempts[i - 1].error || 'an error') });
        mark.style.left = pct(a.start) + '%';
        track.append(mark);
      }
    });
    const label = U.el('div', { class: 'tl-label' }, U.el('span', { class: 'dot st-' + entry.status }), entry.name,
      entry.retries ? U.el('span', { class: 'chip warn', text: entry.retries + (entry.retries === 1 ? ' retry' : ' retries') }) : null);
    const row = U.el('div', { class: 'tl-row' }, label, track, U.el('div', { class: 'tl-dur', text: U.duration(end - entry.start) }));
    row.setAttribute('data-state', entry.name);
    row.setAttribute('data-attempts', String(entry.attempts.length));
    wrap.append(row);
  }
  if (entries.length > History.maxRows) wrap.append(U.message('The first ' + History.maxRows + ' of ' + entries.length + ' state entries.'));
  return wrap;
};
"""#
}
