/// `graph.js`: The graph layout: layers by longest path, crossings reduced by barycentre sweeps.
/// Kept as Swift text so the console is in the binary and works offline.
enum ConsoleGraphLayout {
    static let text = #"""
'use strict';
/* A state machine's definition drawn as an SVG graph, laid out in layers top to bottom:
   back edges (loops) found by a depth-first search and set aside, every state put on the layer
   of its longest path from the start, edges across several layers routed through invisible
   points on the layers between, the order within each layer improved by barycentre sweeps
   (fewer crossings), then x positions pulled towards each node's neighbours. Parallel and Map
   states are groups with their branches or item processor laid out the same way inside. */
const Graph = {};
Graph.NODE_H = 44;
Graph.LAYER_GAP = 48;
Graph.NODE_GAP = 28;
Graph.PAD = 16;

Graph.summary = function (rule, i) {
  if (typeof rule.Condition === 'string') return rule.Condition;
  const ops = ['StringEquals', 'StringLessThan', 'StringGreaterThan', 'StringLessThanEquals', 'StringGreaterThanEquals',
    'StringMatches', 'NumericEquals', 'NumericLessThan', 'NumericGreaterThan', 'NumericLessThanEquals',
    'NumericGreaterThanEquals', 'BooleanEquals', 'TimestampEquals', 'TimestampLessThan', 'TimestampGreaterThan',
    'IsPresent', 'IsNull', 'IsString', 'IsNumeric', 'IsBoolean', 'IsTimestamp'];
  const symbols = { Equals: '==', LessThan: '<', GreaterThan: '>', LessThanEquals: '<=', GreaterThanEquals: '>=', Matches: '~' };
  if (rule.Variable) {
    for (const key of Object.keys(rule)) {
      const base = key.replace(/Path$/, '');
      if (ops.indexOf(base) < 0) continue;
      if (base.startsWith('Is')) return rule.Variable + ' ' + base + ' ' + rule[key];
      const sym = symbols[base.replace(/^(String|Numeric|Boolean|Timestamp)/, '')] || base;
      const value = key.endsWith('Path') ? rule[key] : JSON.stringify(rule[key]);
      return rule.Variable + ' ' + sym + ' ' + value;
    }
  }
  return 'Rule ' + (i + 1);
};
Graph.short = (text, n) => (text.length > n ? text.slice(0, n - 1) + '\u2026' : text);

/* The nodes and edges of one scope (a machine, a branch, an item processor). */
Graph.build = function (def, prefix) {
  const nodes = new Map(), edges = [];
  const states = (def && def.States) || {};
  const add = n => { nodes.set(n.id, n); return n; };
  add({ id: prefix + '^start', kind: 'start', label: 'Start', w: 64, h: 28 });
  add({ id: prefix + '$end', kind: 'end', label: 'End', w: 64, h: 28 });
  const edge = (from, to, label, kind) => {
    if (!nodes.has(from) && !states[from.slice(prefix.length)]) return;
    const same = edges.find(e => e.from === from && e.to === to && e.kind === kind);
    if (same) { if (label) same.label = same.label ? same.label + ' / ' + label : label; return; }
    edges.push({ from: from, to: to, label: label || '', kind: kind || 'next' });
  };
  for (const name of Object.keys(states)) {
    const s = states[name] || {};
    const node = add({ id: prefix + name, name: name, kind: 'state', type: s.Type || 'Task', state: s, children: [] });
    if (s.Type === 'Parallel') (s.Branches || []).forEach((b, i) => node.children.push({ title: 'Branch ' + (i + 1), def: b }));
    if (s.Type === 'Map') node.children.push({ title: s.ItemProcessor ? 'Item processor' : 'Iterator', def: s.ItemProcessor || s.Iterator || {} });
  }
  if (def && def.StartAt) edge(prefix + '^start', prefix + def.StartAt, '', 'next');
  for (const name of Object.keys(states)) {
    const s = states[name] || {}, id = prefix + name;
    if (s.Type === 'Choice') {
      (s.Choices || []).forEach((rule, i) => { if (rule.Next) edge(id, prefix + rule.Next, Graph.short(Graph.summary(rule, i), 34), 'choice'); });
      if (s.Default) edge(id, prefix + s.Default, 'Default', 'default');
    } else if (s.Next) {
      edge(id, prefix + s.Next, '', 'next');
    }
    if (s.End || s.Type === 'Succeed' || s.Type === 'Fail') edge(id, prefix + '$end', '', 'next');
    (s.Catch || []).forEach(c => { if (c.Next) edge(id, prefix + c.Next, 'Catch ' + (c.ErrorEquals || []).join(', '), 'catch'); });
  }
  for (const e of edges) if (!nodes.has(e.to)) add({ id: e.to, kind: 'missing', label: e.to.slice(prefix.length) + ' (missing)', w: 150, h: Graph.NODE_H });
  return { nodes: nodes, edges: edges, prefix: prefix };
};

Graph.subtitle = function (n) {
  const s = n.state;
  if (n.type === 'Task' && typeof s.Resource === 'string') {
    return 'Task \u00b7 ' + s.Resource.replace(/^arn:aws:states:::/, '').replace(/^arn:aws:lambda:[^:]*:[^:]*:function:/, 'lambda:');
  }
  if (n.type === 'Wait') {
    const w = s.Seconds !== undefined ? s.Seconds + ' s' : s.SecondsPath || s.Timestamp || s.TimestampPath || '';
    return 'Wait \u00b7 ' + w;
  }
  return n.type;
};

/* Sizes every node of a scope, laying out groups' insides first. */
Graph.size = function (g) {
  for (const n of g.nodes.values()) {
    if (n.kind !== 'state') continue;
    n.title = Graph.short(n.name, 34);
    n.sub = Graph.short(Graph.subtitle(n), 40);
    const textW = Math.max(n.title.length * 7.4, n.sub.length * 6.2);
    n.w = Math.min(280, Math.max(120, Math.round(textW + 46)));
    n.h = Graph.NODE_H;
    if (n.children.length) {
      n.inner = n.children.map((c, i) => { const sub = Graph.layout(c.def, n.id + '/' + i + '/'); sub.title = c.title; return sub; });
      const innerW = n.inner.reduce((a, s) => a + s.width + Graph.PAD, Graph.PAD);
      const innerH = n.inner.reduce((a, s) => Math.max(a, s.height), 0);
      n.w = Math.max(n.w, innerW);
      n.h = 40 + innerH + 22 + Graph.PAD;
    }
  }
};

/* Depth-first from the start: an edge to a node still on the stack closes a loop. */
Graph.backEdges = function (g) {
  const out = new Map();
  for (const id of g.nodes.keys()) out.set(id, []);
  g.edges.forEach(e => out.get(e.from).push(e));
  const mark = new Map(), order = [];
  const visit = function (start) {
    const stack = [[start, 0]];
    mark.set(start, 1); order.push(start);
    while (stack.length) {
      const top = stack[stack.length - 1], list = out.get(top[0]);
      if (top[1] >= list.length) { mark.set(top[0], 2); stack.pop(); continue; }
      const e = list[top[1]++];
      const m = mark.get(e.to);
      if (m === 1) e.back = true;
      else if (!m) { mark.set(e.to, 1); order.push(e.to); stack.push([e.to, 0]); }
    }
  };
  visit(g.prefix + '^start');
  for (const id of g.nodes.keys()) if (!mark.get(id)) visit(id);
  return order;
};

Graph.layout = function (def, prefix) {
  const g = Graph.build(def, prefix || '');
  Graph.size(g);
  const discovery = Graph.backEdges(g);
  const forward = g.edges.filter(e => !e.back && e.from !== e.to);
  /* Longest-path layering, in topological order. */
  const indeg = new Map(), layer = new Map();
  for (const id of g.nodes.keys()) { indeg.set(id, 0); layer.set(id, 0); }
  forward.forEach(e => indeg.set(e.to, indeg.get(e.to) + 1));
  const queue = discovery.filter(id => indeg.get(id) === 0);
  while (queue.length) {
    const id = queue.shift();
    for (const e of forward) {
      if (e.from !== id) continue;
      layer.set(e.to, Math.max(layer.get(e.to), layer.get(id) + 1));
      indeg.set(e.to, indeg.get(e.to) - 1);
      if (indeg.get(e.to) === 0) queue.push(e.to);
    }
  }
  const endId = g.prefix + '$end';
  let maxLayer = 0;
  for (const [id, l] of layer) if (id !== endId) maxLayer = Math.max(maxLayer, l);
  layer.set(endId, maxLayer + 1);
  if (!forward.some(e => e.to === endId)) { g.nodes.delete(endId); layer.delete(endId); }
  /* Layers, with a chain of invisible points for each edge that spans several. */
  const layers = [];
  const place = (n, l) => { n.layer = l; (layers[l] = layers[l] || []).push(n); };
  for (const id of discovery) if (g.nodes.has(id)) place(g.nodes.get(id), layer.get(id));
  for (const e of forward) {
    if (!g.nodes.has(e.to)) continue;
    e.points = [];
    for (let l = layer.get(e.from) + 1; l < layer.get(e.to); l++) {
      const d = { id: e.from + '>' + e.to + '#' + l, kind: 'dummy', w: e.label ? 14 : 8, h: 0 };
      place(d, l); e.points.push(d);
    }
  }
  const links = Graph.links(g, forward);
  Graph.order(layers, links);
  Graph.coordinates(layers, links);
  g.layers = layers;
  g.forward = forward;
  g.width = 0; g.height = 0;
  for (const n of g.nodes.values()) { g.width = Math.max(g.width, n.x + n.w); g.height = Math.max(g.height, n.y + n.h); }
  g.width += Graph.PAD;
  const loops = g.edges.filter(e => e.back);
  if (loops.length) g.width += 40 + loops.reduce((a, e) => Math.max(a, e.label.length * 3.1 + 6), 0);
  return g;
};

/* Neighbour lists between adjacent layers, through the invisible points. */
Graph.links = function (g, forward) {
  const up = new Map(), down = new Map();
  const link = (a, b) => {
    (down.get(a) || down.set(a, []).get(a)).push(b);
    (up.get(b) || up.set(b, []).get(b)).push(a);
  };
  for (const e of forward) {
    const chain = [g.nodes.get(e.from)].concat(e.points || [], [g.nodes.get(e.to)]);
    for (let i = 0; i + 1 < chain.length; i++) if (chain[i] && chain[i + 1]) link(chain[i], chain[i + 1]);
  }
  return { up: up, down: down };
};

Graph.order = function (layers, links) {
  const index = () => layers.forEach(l => l.forEach((n, i) => { n.order = i; }));
  index();
  const sweep = (from, to, step, neighbours) => {
    for (let l = from; l !== to; l += step) {
      const row = layers[l];
      if (!row) continue;
      for (const n of row) {
        const ns = neighbours.get(n) || [];
        n.bary = ns.length ? ns.reduce((a, m) => a + m.order, 0) / ns.length : n.order;
      }
      row.sort((a, b) => a.bary - b.bary || a.order - b.order);
      row.forEach((n, i) => { n.order = i; });
    }
  };
  for (let i = 0; i < 4; i++) {
    sweep(1, layers.length, 1, links.up);
    sweep(layers.length - 2, -1, -1, links.down);
  }
};

Graph.coordinates = function (layers, links) {
  let y = Graph.PAD;
  for (const row of layers) {
    if (!row) continue;
    const h = row.reduce((a, n) => Math.max(a, n.h), 0);
    row.forEach(n => { n.y = y + (h - n.h) / 2; });
    y += Math.max(h, 8) + Graph.LAYER_GAP;
    let x = Graph.PAD;
    row.forEach(n => { n.x = x; x += n.w + Graph.NODE_GAP; });
  }
  const widest = layers.reduce((a, row) => Math.max(a, row ? row[row.length - 1].x + row[row.length - 1].w : 0), 0);
  /* Centre each layer, then pull nodes towards the centres of their neighbours, keeping order. */
  for (const row of layers) {
    if (!row) continue;
    const shift = (widest - (row[row.length - 1].x + row[row.length - 1].w - Graph.PAD)) / 2;
    row.forEach(n => { n.x += shift; });
  }
  const centre = n => n.x + n.w / 2;
  const pull = (row, neighbours) => {
    for (const n of row) {
      const ns = neighbours.get(n) || [];
      if (ns.length) n.want = ns.reduce((a, m) => a + centre(m), 0) / ns.length - n.w / 2;
      else n.want = n.x;
    }
    for (let i = 0; i < row.length; i++) {
      const n = row[i], min = i ? row[i - 1].x + row[i - 1].w + Graph.NODE_GAP : Graph.PAD;
      n.x = Math.max(min, n.want);
    }
    for (let i = row.length - 2; i >= 0; i--) {
      const n = row[i], max = row[i + 1].x - Graph.NODE_GAP - n.w;
      if (n.x > max) n.x = Math.max(max, i ? row[i - 1].x + row[i - 1].w + Graph.NODE_GAP : Graph.PAD);
    }
  };
  for (let k = 0; k < 3; k++) {
    for (let l = 1; l < layers.length; l++) if (layers[l]) pull(layers[l], links.up);
    for (let l = layers.length - 2; l >= 0; l--) if (layers[l]) pull(layers[l], links.down);
  }
  let minX = Infinity;
  for (const row of layers) if (row) for (const n of row) minX = Math.min(minX, n.x);
  for (const row of layers) if (row) for (const n of row) n.x += Graph.PAD - minX;
};
"""#
}
