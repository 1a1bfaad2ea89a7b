/// `graphview.js`: The graph drawn as SVG, states coloured by what happened to them.
/// Kept as Swift text so the console is in the binary and works offline.
enum ConsoleGraphDrawing {
    static let text = #"""
'use strict';
/* Draws a laid-out scope (graph.js) as SVG: boxes by state type, arrows with their labels,
   groups with their branches inside. `status` maps a state's name to what happened to it. */
Graph.render = function (def, options) {
  const opts = options || {};
  const g = Graph.layout(def, '');
  const svg = U.svg('svg', {
    class: 'graph', width: Math.ceil(g.width), height: Math.ceil(g.height + Graph.PAD),
    viewBox: '0 0 ' + Math.ceil(g.width) + ' ' + Math.ceil(g.height + Graph.PAD), role: 'img', 'aria-label': 'State machine graph'
  });
  const defs = U.svg('defs');
  for (const kind of ['next', 'choice', 'default', 'catch', 'back']) {
    defs.append(U.svg('marker', { id: 'arrow-' + kind, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      U.svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead ' + kind })));
  }
  svg.append(defs);
  svg.append(Graph.drawScope(g, 0, 0, opts));
  return svg;
};

Graph.drawScope = function (g, ox, oy, opts) {
  const root = U.svg('g', { transform: 'translate(' + ox + ',' + oy + ')' });
  const edgeLayer = U.svg('g', { class: 'edges' }), labelLayer = U.svg('g', { class: 'labels' }), nodeLayer = U.svg('g', { class: 'nodes' });
  root.append(edgeLayer, nodeLayer, labelLayer);
  const ports = Graph.ports(g);
  for (const e of g.edges) {
    const a = g.nodes.get(e.from), b = g.nodes.get(e.to);
    if (!a || !b) continue;
    let d, lx, ly;
    if (e.back || e.from === e.to) {
      const sx = a.x + a.w, sy = a.y + a.h / 2, tx = b.x + b.w, ty = b.y + b.h / 2;
      const far = Math.max(sx, tx) + 36;
      d = 'M' + sx + ',' + sy + ' C' + far + ',' + sy + ' ' + far + ',' + ty + ' ' + (tx + 2) + ',' + ty;
      lx = far - 10; ly = (sy + ty) / 2;
    } else {
      const pts = [[ports.out.get(e), a.y + a.h]];
      for (const p of e.points || []) pts.push([p.x + p.w / 2, p.y]);
      pts.push([ports.in.get(e), b.y - 2]);
      d = 'M' + pts[0][0] + ',' + pts[0][1];
      for (let i = 1; i < pts.length; i++) {
        const [x1, y1] = pts[i - 1], [x2, y2] = pts[i], my = (y1 + y2) / 2;
        d += ' C' + x1 + ',' + my + ' ' + x2 + ',' + my + ' ' + x2 + ',' + y2;
      }
      lx = pts[0][0] + (pts[1][0] - pts[0][0]) * 0.5; ly = pts[0][1] + Math.min(30, (pts[1][1] - pts[0][1]) * 0.5);
    }
    const kind = e.back ? 'back' : e.kind;
    const path = U.svg('path', { d: d, class: 'edge ' + e.kind + (e.back ? ' back' : ''), 'marker-end': 'url(#arrow-' + kind + ')' });
    path.setAttribute('data-from', e.from); path.setAttribute('data-to', e.to);
    edgeLayer.append(path);
    if (e.label) {
      const w = e.label.length * 6.1 + 10;
      labelLayer.append(U.svg('g', { class: 'edge-label ' + e.kind, transform: 'translate(' + (lx - w / 2) + ',' + (ly - 9) + ')' },
        U.svg('rect', { width: w, height: 17, rx: 4 }), U.svg('text', { x: w / 2, y: 12.5, 'text-anchor': 'middle', text: e.label })));
    }
  }
  for (const n of g.nodes.values()) nodeLayer.append(Graph.drawNode(n, opts));
  return root;
};

/* Where each edge leaves its source and enters its target: spread along the box's edge in
   the order of the other ends, so fanned-out Choice edges do not start on one point. */
Graph.ports = function (g) {
  const out = new Map(), inn = new Map();
  const spread = (list, node, key, map) => {
    list.sort((p, q) => key(p) - key(q));
    const k = list.length, step = Math.min(22, node.w / (k + 1));
    list.forEach((e, i) => map.set(e, node.x + node.w / 2 + (i - (k - 1) / 2) * step));
  };
  const nextOf = e => (e.points && e.points.length ? e.points[0] : g.nodes.get(e.to));
  const prevOf = e => (e.points && e.points.length ? e.points[e.points.length - 1] : g.nodes.get(e.from));
  for (const n of g.nodes.values()) {
    const outs = g.edges.filter(e => e.from === n.id && !e.back && e.from !== e.to && g.nodes.has(e.to));
    spread(outs, n, e => { const m = nextOf(e); return m.x + m.w / 2; }, out);
    const ins = g.edges.filter(e => e.to === n.id && !e.back && e.from !== e.to && g.nodes.has(e.from));
    spread(ins, n, e => { const m = prevOf(e); return m.x + m.w / 2; }, inn);
  }
  return { out: out, in: inn };
};

Graph.drawNode = function (n, opts) {
  if (n.kind === 'dummy') return U.svg('g');
  if (n.kind === 'start' || n.kind === 'end') {
    return U.svg('g', { class: 'terminal ' + n.kind, transform: 'translate(' + n.x + ',' + n.y + ')' },
      U.svg('rect', { width: n.w, height: n.h, rx: n.h / 2 }),
      U.svg('text', { x: n.w / 2, y: n.h / 2 + 4, 'text-anchor': 'middle', text: n.label }));
  }
  if (n.kind === 'missing') {
    return U.svg('g', { class: 'node missing', transform: 'translate(' + n.x + ',' + n.y + ')' },
      U.svg('rect', { width: n.w, height: n.h, rx: 6 }), U.svg('text', { x: 10, y: 26, text: n.label }));
  }
  const status = (opts.status && opts.status[n.name]) || (opts.status ? 'notreached' : 'none');
  const group = U.svg('g', { class: 'node type-' + n.type.toLowerCase() + ' st-' + status, transform: 'translate(' + n.x + ',' + n.y + ')' });
  group.setAttribute('data-state', n.name);
  group.setAttribute('data-status', status);
  group.append(U.svg('title', { text: n.name + ' (' + n.type + ')' + (opts.status ? ': ' + status : '') }));
  const box = U.svg('rect', { class: 'box', width: n.w, height: n.h, rx: n.type === 'Choice' ? 14 : 6 });
  group.append(box);
  group.append(U.svg('text', { class: 'title', x: 12, y: 18, text: n.title }));
  group.append(U.svg('text', { class: 'sub', x: 12, y: 34, text: n.sub }));
  if (opts.counts && opts.counts[n.name] > 1) {
    group.append(U.svg('text', { class: 'count', x: n.w - 8, y: 18, 'text-anchor': 'end', text: '\u00d7' + opts.counts[n.name] }));
  }
  if (n.inner) {
    let x = Graph.PAD;
    for (const sub of n.inner) {
      const frame = U.svg('g', { class: 'branch', transform: 'translate(' + x + ',40)' },
        U.svg('rect', { width: sub.width, height: sub.height + 20, rx: 6 }),
        U.svg('text', { class: 'branch-title', x: 8, y: 14, text: sub.title }));
      frame.append(Graph.drawScope(sub, 0, 18, opts));
      group.append(frame);
      x += sub.width + Graph.PAD;
    }
  }
  if (opts.onSelect) group.addEventListener('click', ev => { ev.stopPropagation(); opts.onSelect(n.name); });
  return group;
};
"""#
}
