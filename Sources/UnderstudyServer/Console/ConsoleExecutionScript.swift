/// `execution.js`: An execution's page: graph, timeline, states, service calls, history, map runs.
/// Kept as Swift text so the console is in the binary and works offline.
enum ConsoleExecutionScript {
    static let text = #"""
'use strict';
/* An execution's own page (/_understudy/executions/ARN): what happened, drawn on its graph and
   timeline, with each state's input and output, the Bedrock calls its Tasks made (from the
   journal), its history events and its map runs. It asks again every second while it runs. */
const Exec = {};

Exec.show = function (main, arn) {
  const head = U.el('section', { class: 'panel', id: 'exec-head' }, U.message('Loading\u2026'));
  const graph = U.el('div', { id: 'graph', class: 'graph-wrap' });
  const timeline = U.el('div', { id: 'timeline' });
  const states = U.el('div', { id: 'states' });
  const calls = U.el('div', { id: 'calls' });
  const runs = U.el('div', { id: 'mapruns' });
  const history = U.el('div', { id: 'history' });
  const io = U.el('div', { id: 'io', class: 'io' });
  main.append(head,
    U.section('Graph', Exec.legend(), graph), U.section('Timeline', timeline), U.section('Input and output', io),
    U.section('States', states), U.section('Service calls', calls), U.section('Map runs', runs), U.section('History events', history));
  let shown = '';
  const load = async function () {
    let x;
    try { x = await U.get('console/execution', { arn: arn }); } catch (e) { U.clear(head).append(U.message(String(e.message), 'error')); return false; }
    const key = x.status + ':' + x.eventCount;
    if (key !== shown) {
      shown = key;
      const entries = History.read(x);
      Exec.header(U.clear(head), x);
      const marks = History.statusByState(entries);
      U.clear(graph).append(Graph.render(x.definition, { status: marks.status, counts: marks.counts, onSelect: name => Exec.focus(name) }));
      U.clear(timeline).append(History.timeline(x, entries));
      Exec.io(U.clear(io), x);
      Exec.states(U.clear(states), entries, x);
      Exec.history(U.clear(history), x);
      Exec.mapRuns(U.clear(runs), x);
      await Exec.calls(calls, x);
    }
    U.live(x.status === 'RUNNING' ? 'live: updating every second' : '');
    return x.status === 'RUNNING';
  };
  load().then(running => {
    if (!running) return;
    const timer = U.every(1000, async () => { if (!(await load())) timer.stop(); });
  });
};

Exec.legend = function () {
  return U.el('div', { class: 'legend' }, ['succeeded', 'retried', 'caught', 'failed', 'running', 'notreached'].map(s =>
    U.el('span', { class: 'legend-item' }, U.el('span', { class: 'dot st-' + s }), s === 'notreached' ? 'not reached' : s)));
};

Exec.header = function (head, x) {
  head.append(U.el('h1', null, x.name, ' ', U.badge(x.status)));
  const facts = [
    ['State machine', U.link(U.machineHref(x.stateMachineArn), x.stateMachineName)],
    ['Type', x.type], ['Account / region', x.account + ' / ' + x.region],
    ['Started', U.time(x.startDate)], ['Duration', Exec.duration(x)],
    ['ARN', U.el('code', { text: x.executionArn })],
  ];
  if (x.parentExecutionArn) facts.push(['Map run of', U.link(U.executionHref(x.parentExecutionArn), x.parentExecutionArn.split(':').slice(-2).join(':'))]);
  if (x.error) facts.push(['Error', U.el('span', { class: 'error-text', text: x.error + (x.cause ? ': ' + x.cause : '') })]);
  head.append(U.el('dl', { class: 'facts' }, facts.map(f => [U.el('dt', { text: f[0] }), U.el('dd', null, f[1])])));
};

/* Waits and retry intervals pass on the execution's clock (scaled by --time-scale): when it
   differs from the wall clock, both are shown. */
Exec.duration = function (x) {
  const wall = (x.stopDate || Date.now()) - x.startDate;
  const last = (x.events || []).reduce((a, e) => Math.max(a, e.timestamp), x.startDate) - x.startDate;
  if (Math.abs(last - wall) <= Math.max(50, wall * 0.1)) return U.duration(wall);
  return U.duration(wall) + ' (' + U.duration(last) + ' on the execution\u2019s clock)';
};

Exec.io = function (io, x) {
  io.append(U.el('div', null, U.el('h3', { text: 'Input' }), U.code(x.input)));
  io.append(U.el('div', null, U.el('h3', { text: 'Output' }),
    x.output !== undefined ? U.el('pre', { class: 'code', id: 'exec-output', text: U.pretty(x.output) }) : U.message(x.status === 'RUNNING' ? 'Running\u2026' : 'No output.')));
};

Exec.focus = function (name) {
  const row = document.querySelector('#states tr[data-state="' + CSS.escape(name) + '"]');
  if (row) { row.scrollIntoView({ behavior: 'smooth', block: 'center' }); row.classList.add('flash'); setTimeout(() => row.classList.remove('flash'), 1200); }
};

Exec.states = function (box, entries, x) {
  const rows = entries.slice(0, History.maxRows).map(e => {
    const end = e.end === null ? null : e.end;
    const attempts = e.attempts.map((a, i) => U.el('div', { class: 'attempt-line' },
      'Attempt ' + (i + 1) + ': ', a.ok === null ? 'running' : a.ok ? 'succeeded' : U.el('span', { class: 'error-text', text: a.error + (a.cause ? ' \u2014 ' + Graph.short(a.cause, 100) : '') })));
    const tr = U.el('tr', { class: 'st-row st-' + e.status },
      U.td(String(e.index + 1)), U.td(U.el('strong', { text: e.name })), U.td(e.type), U.td([U.el('span', { class: 'dot st-' + e.status }), e.status], 'nowrap'),
      U.td('+' + U.duration(e.start - x.startDate)), U.td(end === null ? '' : U.duration(end - e.start)),
      U.td(attempts.length ? attempts : '\u2014'),
      U.td(Exec.fold('input', e.input)), U.td(e.output === null ? '' : Exec.fold('output', e.output)));
    tr.setAttribute('data-state', e.name);
    return tr;
  });
  box.append(rows.length ? U.table(['#', 'State', 'Type', 'Status', 'Entered', 'Took', 'Attempts', 'Input', 'Output'], rows) : U.message('No state entered yet.'));
};

Exec.fold = function (label, text) {
  if (text === undefined || text === null) return '';
  const pretty = U.pretty(text);
  return U.el('details', { class: 'fold' }, U.el('summary', { text: Graph.short(pretty.replace(/\s+/g, ' '), 48) }), U.el('pre', { class: 'code', text: pretty }));
};

Exec.history = function (box, x) {
  const limit = 1000;
  const rows = (x.events || []).slice(0, limit).map(e => {
    const d = History.details(e);
    return U.el('tr', null, U.td(String(e.id)), U.td(e.type, 'ev-type'), U.td('+' + U.duration(e.timestamp - x.startDate)), U.td(d.name || ''),
      U.td(Object.keys(d).length ? Exec.fold('details', JSON.stringify(d)) : ''));
  });
  box.append(U.table(['ID', 'Type', 'Time', 'State', 'Details'], rows));
  if (x.eventCount > rows.length) box.append(U.message('The first ' + rows.length + ' of ' + x.eventCount + ' events.'));
};

Exec.mapRuns = function (box, x) {
  if (!x.mapRuns || !x.mapRuns.length) { box.append(U.message('No Distributed Map runs.')); return; }
  for (const run of x.mapRuns) {
    const c = run.executionCounts || {};
    const children = U.el('div', { class: 'children' });
    box.append(U.el('div', { class: 'maprun' },
      U.el('h3', null, run.label, ' ', U.badge(run.status)),
      U.el('p', { class: 'counts', text: 'children: ' + c.total + ' total, ' + c.succeeded + ' succeeded, ' + c.failed + ' failed, ' + c.running + ' running, ' + c.pending + ' pending' }),
      children));
    App.executionList(children, { mapRun: run.mapRunArn }, false);
  }
};

/* Bedrock calls a Task of this execution made: the journal's calls for this state machine
   between its start and end (the journal keys calls by state machine, not by execution). */
Exec.calls = async function (box, x) {
  let entries = [];
  try { entries = (await U.get('console/journal', { limit: 500 })).entries; } catch (e) { U.clear(box).append(U.message(e.message, 'error')); return; }
  const from = x.startDate - 1000, to = (x.stopDate || Date.now()) + 1000;
  const mine = entries.filter(e => e.stateMachine === x.stateMachineName.split('/')[0] && e.service !== 'states' && e.service !== 'admin' &&
    Date.parse(e.time) >= from && Date.parse(e.time) <= to);
  U.clear(box);
  if (!mine.length) { box.append(U.message('No service calls in the journal for this execution.')); return; }
  for (const e of mine) box.append(Exec.callCard(e));
};

/* One journaled call: what decided it, the tokens, and for Bedrock the request (prompt, model,
   max tokens), the answer and a stream's frames. */
Exec.callCard = function (e) {
  const chips = [];
  if (e.rule) chips.push(U.el('span', { class: 'chip rule', text: 'rule: ' + e.rule }));
  if (e.fault) chips.push(U.el('span', { class: 'chip fault', text: (e.fault.includes(':') ? '' : 'fault: ') + e.fault }));
  if (e.attempt) chips.push(U.el('span', { class: 'chip', text: 'attempt ' + e.attempt }));
  const x = e.exchange;
  if (x && (x.inputTokens !== undefined || x.outputTokens !== undefined)) chips.push(U.el('span', { class: 'chip tokens', text: 'tokens in ' + (x.inputTokens ?? '?') + ' / out ' + (x.outputTokens ?? '?') }));
  const card = U.el('div', { class: 'call' + (e.status >= 400 ? ' failed' : '') },
    U.el('div', { class: 'call-head' }, U.el('span', { class: 'http s' + Math.floor(e.status / 100), text: String(e.status) }),
      U.el('strong', { text: e.operation }), U.el('span', { class: 'muted', text: e.service + (e.model ? ' \u00b7 ' + e.model : '') + (e.stateMachine ? ' \u00b7 ' + e.stateMachine : '') }),
      U.el('span', { class: 'muted', text: e.time.replace('T', ' ').replace('Z', '') + ' \u00b7 ' + e.latencyMs + ' ms' }), chips));
  card.setAttribute('data-sequence', String(e.sequence));
  if (!x) return card;
  const req = Exec.parse(x.request);
  const facts = Exec.requestFacts(req);
  const body = U.el('div', { class: 'call-body' });
  body.append(U.el('div', null, U.el('h4', { text: 'Request' }),
    facts.length ? U.el('dl', { class: 'facts small' }, facts.map(f => [U.el('dt', { text: f[0] }), U.el('dd', null, U.el('pre', { class: 'prompt', text: f[1] }))])) : null,
    U.el('details', { class: 'fold' }, U.el('summary', { text: 'Request body (' + x.requestBytes + ' bytes)' }), U.el('pre', { class: 'code', text: U.pretty(x.request) }))));
  const answer = U.el('div', null, U.el('h4', { text: 'Answer' }));
  if (x.error) answer.append(U.el('pre', { class: 'prompt error-text', text: x.error }));
  if (x.response !== undefined) {
    const text = Exec.answerText(Exec.parse(x.response));
    if (text) answer.append(U.el('pre', { class: 'prompt', text: text }));
    answer.append(U.el('details', { class: 'fold' }, U.el('summary', { text: 'Response body (' + x.responseBytes + ' bytes)' }), U.el('pre', { class: 'code', text: U.pretty(x.response) })));
  }
  if (x.frames) {
    const frames = x.frames.map((f, i) => U.el('li', null, U.el('code', { text: Exec.frameText(f) })));
    answer.append(U.el('details', { class: 'fold', open: '' }, U.el('summary', { text: 'Stream: ' + x.frameCount + ' frames' + (x.frameCount > x.frames.length ? ' (first ' + x.frames.length + ')' : '') }), U.el('ol', { class: 'frames' }, frames)));
  }
  body.append(answer);
  card.append(body);
  return card;
};

Exec.parse = text => { try { return JSON.parse(text); } catch (e) { return null; } };

Exec.requestFacts = function (r) {
  if (!r || typeof r !== 'object') return [];
  const facts = [];
  if (typeof r.prompt === 'string') facts.push(['Prompt', r.prompt]);
  if (typeof r.inputText === 'string') facts.push(['Prompt', r.inputText]);
  if (r.system) facts.push(['System', typeof r.system === 'string' ? r.system : JSON.stringify(r.system)]);
  if (Array.isArray(r.messages)) {
    facts.push(['Messages', r.messages.map(m => (m.role || '?') + ': ' + (typeof m.content === 'string' ? m.content :
      (m.content || []).map(c => c.text !== undefined ? c.text : JSON.stringify(c)).join(' '))).join('\n')]);
  }
  const max = r.max_tokens ?? r.max_tokens_to_sample ?? r.maxTokens ?? (r.inferenceConfig && r.inferenceConfig.maxTokens) ?? (r.textGenerationConfig && r.textGenerationConfig.maxTokenCount);
  if (max !== undefined) facts.push(['Max tokens', String(max)]);
  return facts;
};

Exec.answerText = function (r) {
  if (!r || typeof r !== 'object') return '';
  if (typeof r.completion === 'string') return r.completion;
  if (Array.isArray(r.content)) return r.content.map(c => c.text || '').join('');
  if (r.output && r.output.message) return (r.output.message.content || []).map(c => c.text || '').join('');
  if (Array.isArray(r.results)) return r.results.map(c => c.outputText || '').join('');
  if (typeof r.generation === 'string') return r.generation;
  return '';
};

/* A stream frame's payload; InvokeModelWithResponseStream wraps each chunk in base64. */
Exec.frameText = function (f) {
  const p = Exec.parse(f);
  if (p && typeof p.bytes === 'string') {
    try { return new TextDecoder().decode(Uint8Array.from(atob(p.bytes), c => c.charCodeAt(0))); } catch (e) { return f; }
  }
  return f;
};
"""#
}
