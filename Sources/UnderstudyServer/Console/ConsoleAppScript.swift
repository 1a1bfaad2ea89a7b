/// `app.js`: The router and the list pages: machines, executions, journal, batch jobs, rules.
/// Kept as Swift text so the console is in the binary and works offline.
enum ConsoleAppScript {
    static let text = #"""
'use strict';
/* The router and the list pages: state machines by account and region, a machine's graph,
   executions (paged on the server), the journal as it grows, batch jobs, faults and quotas. */
const App = {};
App.statuses = ['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

App.route = function () {
  U.stopTimers();
  U.live('');
  const main = U.clear(document.getElementById('main'));
  const path = location.pathname;
  const after = prefix => decodeURIComponent(path.slice(path.indexOf(prefix) + prefix.length));
  let tab = (location.hash || '#machines').slice(1);
  if (path.includes('/_understudy/executions/')) { tab = 'executions'; Exec.show(main, after('/_understudy/executions/')); }
  else if (path.includes('/_understudy/machines/')) { tab = 'machines'; App.machine(main, after('/_understudy/machines/')); }
  else if (tab === 'executions') App.executions(main);
  else if (tab === 'journal') App.journal(main);
  else if (tab === 'batch') App.batch(main);
  else if (tab === 'rules') App.rules(main);
  else App.machines(main);
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.getAttribute('data-tab') === tab);
};

App.machines = async function (main) {
  const box = U.el('div');
  main.append(U.section('State machines', box));
  const load = async () => {
    const list = (await U.get('console/machines')).machines;
    U.clear(box);
    if (!list.length) { box.append(U.message('No state machines yet. Create one with any AWS SDK against this endpoint.')); return; }
    const groups = new Map();
    for (const m of list) { const k = m.account + ' \u00b7 ' + m.region; (groups.get(k) || groups.set(k, []).get(k)).push(m); }
    for (const [k, ms] of groups) {
      box.append(U.el('h3', { class: 'group', text: k }));
      box.append(U.table(['Name', 'Type', 'States', 'Created'], ms.map(m => U.el('tr', null,
        U.td(U.link(U.machineHref(m.stateMachineArn), m.name)), U.td(m.type), U.td(String(m.stateCount)), U.td(U.time(m.creationDate))))));
    }
  };
  await load().catch(e => box.append(U.message(e.message, 'error')));
  U.every(3000, load);
};

App.machine = async function (main, arn) {
  const head = U.el('section', { class: 'panel' }), graph = U.el('div', { id: 'graph', class: 'graph-wrap' }), runs = U.el('div');
  main.append(head, U.section('Definition', graph), U.section('Executions', runs));
  try {
    const m = await U.get('console/machine', { arn: arn });
    head.append(U.el('h1', null, m.name, ' ', U.el('span', { class: 'chip', text: m.type })),
      U.el('dl', { class: 'facts' }, U.el('dt', { text: 'Account / region' }), U.el('dd', { text: m.account + ' / ' + m.region }),
        U.el('dt', { text: 'ARN' }), U.el('dd', null, U.el('code', { text: m.stateMachineArn }))));
    graph.append(Graph.render(m.definition, {}));
    graph.append(U.el('details', { class: 'fold' }, U.el('summary', { text: 'Definition JSON' }), U.code(JSON.stringify(m.definition))));
  } catch (e) { head.append(U.message(e.message, 'error')); }
  App.executionList(runs, { machine: arn }, true);
};

App.executions = async function (main) {
  const box = U.el('div');
  main.append(U.section('Executions', box));
  App.executionList(box, {}, true);
};

/* A paged list: the server returns `limit` rows and a token for the next page; the page keeps
   the tokens it came through to go back. The first page is asked again every two seconds. */
App.executionList = async function (box, fixed, filters) {
  const state = { status: '', machine: fixed.machine || '', tokens: [], token: null };
  const table = U.el('div', { class: 'exec-list' });
  const pager = U.el('div', { class: 'pager' });
  if (filters) {
    const status = U.el('select', { id: 'status-filter', onchange: () => { state.status = status.value; state.tokens = []; state.token = null; load(); } },
      App.statuses.map(s => U.el('option', { value: s, text: s || 'any status' })));
    const bar = U.el('div', { class: 'filters' }, U.el('label', null, 'Status ', status));
    if (!fixed.machine) {
      const machine = U.el('select', { id: 'machine-filter', onchange: () => { state.machine = machine.value; state.tokens = []; state.token = null; load(); } },
        U.el('option', { value: '', text: 'any state machine' }));
      U.get('console/machines').then(r => r.machines.forEach(m => machine.append(U.el('option', { value: m.stateMachineArn, text: m.name + ' (' + m.region + ')' })))).catch(() => {});
      bar.append(U.el('label', null, 'State machine ', machine));
    }
    box.append(bar);
  }
  box.append(table, pager);
  const load = async () => {
    const page = await U.get('console/executions', { status: state.status, machine: state.machine, mapRun: fixed.mapRun, limit: 25, nextToken: state.token });
    U.clear(table);
    if (!page.executions.length) table.append(U.message('No executions.'));
    else table.append(U.table(['Name', 'State machine', 'Type', 'Status', 'Started', 'Duration'], page.executions.map(x => {
      const tr = U.el('tr', null, U.td(U.link(U.executionHref(x.executionArn), x.name)), U.td(x.stateMachineName), U.td(x.type),
        U.td(U.badge(x.status)), U.td(U.time(x.startDate)), U.td(x.stopDate ? U.duration(x.stopDate - x.startDate) : ''));
      tr.setAttribute('data-arn', x.executionArn);
      return tr;
    })));
    U.clear(pager);
    if (state.tokens.length) pager.append(U.el('button', { class: 'newer', text: '\u2190 Newer', onclick: () => { state.token = state.tokens.pop(); load(); } }));
    if (page.nextToken) pager.append(U.el('button', { class: 'older', text: 'Older \u2192', onclick: () => { state.tokens.push(state.token); state.token = page.nextToken; load(); } }));
  };
  await load().catch(e => table.append(U.message(e.message, 'error')));
  if (filters) U.every(2000, () => (state.token === null ? load() : null));
};

/* The journal as it grows: the newest first, new calls asked for every second with the last
   sequence seen. */
App.journal = async function (main) {
  const only = U.el('input', { type: 'checkbox', id: 'bedrock-only' });
  const list = U.el('div', { id: 'journal' });
  main.append(U.section('Journal', U.el('div', { class: 'filters' }, U.el('label', null, only, ' Bedrock calls only')), list));
  let after = 0;
  const shown = [];
  const draw = () => {
    U.clear(list);
    const rows = shown.filter(e => !only.checked || e.service.startsWith('bedrock')).slice(-200).reverse();
    if (!rows.length) list.append(U.message('No requests yet.'));
    for (const e of rows) list.append(Exec.callCard(e));
  };
  only.addEventListener('change', draw);
  const poll = async () => {
    const r = await U.get('console/journal', { after: after, limit: 200 });
    if (r.entries.length) {
      after = r.entries[r.entries.length - 1].sequence;
      shown.push(...r.entries);
      if (shown.length > 500) shown.splice(0, shown.length - 500);
      draw();
    } else if (!list.firstChild) draw();
    U.live('live: journal up to #' + after);
  };
  await poll().catch(e => list.append(U.message(e.message, 'error')));
  U.every(1000, poll);
};

App.batch = async function (main) {
  const box = U.el('div');
  main.append(U.section('Batch inference jobs', box));
  const load = async () => {
    const jobs = (await U.get('console/batch-jobs')).jobs;
    U.clear(box);
    if (!jobs.length) { box.append(U.message('No batch jobs.')); return; }
    box.append(U.table(['Job', 'Model', 'Status', 'Progress', 'Submitted', 'Input', 'Output'], jobs.map(j => {
      const total = j.totalRecords || 0, done = j.processedRecords || 0;
      const bar = U.el('div', { class: 'progress' }, U.el('div', { class: 'progress-fill' }));
      bar.firstChild.style.width = (total ? Math.round(done / total * 100) : (j.status === 'Completed' ? 100 : 0)) + '%';
      return U.el('tr', null, U.td(j.request.jobName), U.td(j.request.modelId), U.td(U.badge(j.status)),
        U.td(U.el('div', null, bar, U.el('span', { class: 'muted', text: done + ' / ' + total + (j.errorRecords ? ', ' + j.errorRecords + ' errors' : '') }))),
        U.td(U.time(j.submitted)), U.td(j.request.inputUri), U.td(j.request.outputUri));
    })));
  };
  await load().catch(e => box.append(U.message(e.message, 'error')));
  U.every(2000, load);
};

App.rules = async function (main) {
  const box = U.el('div');
  main.append(box);
  const load = async () => {
    const r = await U.get('console/rules');
    U.clear(box);
    const list = (title, rules, stats, columns) => U.section(title, rules.length ? U.table(['Name'].concat(columns.map(c => c[0]), ['Rule']), rules.map(rule => {
      const s = stats[rule.name] || {};
      const tr = U.el('tr', null, U.td(U.el('strong', { text: rule.name || '' })), columns.map(c => U.td(String(s[c[1]] ?? 0))), U.td(U.code(JSON.stringify(rule))));
      tr.setAttribute('data-rule', rule.name || '');
      return tr;
    })) : U.message('None.'));
    box.append(list('Fault rules', r.faults, r.faultStats, [['Matched', 'matched'], ['Hits', 'hits']]));
    box.append(list('Bedrock quotas', r.quotas, r.quotaUsage, [['Requests/min', 'requestsLastMinute'], ['Tokens/min', 'tokensLastMinute'], ['Tokens/day', 'tokensLastDay'], ['In flight', 'inFlight']]));
    box.append(list('Rate limits', r.rateLimits, r.rateLimitStats, [['Refused', 'refused']]));
    box.append(list('Canned completions', r.completions, {}, []));
  };
  await load().catch(e => box.append(U.message(e.message, 'error')));
  U.every(2000, load);
};

window.addEventListener('hashchange', App.route);
App.route();
"""#
}
