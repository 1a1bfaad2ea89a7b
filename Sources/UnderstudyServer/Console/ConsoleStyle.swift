/// `app.css`: The console's one style sheet.
/// Kept as Swift text so the console is in the binary and works offline.
enum ConsoleStyle {
    static let text = #"""
:root { --fg: #1d232b; --muted: #667085; --line: #d9dee5; --bg: #f6f7f9; --panel: #fff; --accent: #2f5fd0;
  --ok: #2e9d58; --ok-bg: #e3f5ea; --fail: #d0392f; --fail-bg: #fde8e6; --caught: #d9822b; --caught-bg: #fdf0e1;
  --retry: #b8930b; --retry-bg: #fdf6d8; --run: #2f74d0; --run-bg: #e3eefc; --idle: #9aa3af; --idle-bg: #f1f2f4; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
code, pre, .code { font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; }
header.top { display: flex; align-items: center; gap: 24px; padding: 10px 20px; background: #1d2533; color: #fff; position: sticky; top: 0; z-index: 2; }
header.top .brand { color: #fff; font-weight: 700; font-size: 16px; }
header.top nav a { color: #c9d3e3; margin-right: 16px; padding: 4px 0; }
header.top nav a.active { color: #fff; border-bottom: 2px solid #7aa7ff; }
#live { margin-left: auto; color: #9fdcb4; font-size: 12px; }
main { padding: 16px 20px 40px; max-width: 1500px; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin-bottom: 16px; }
.panel > h2 { font-size: 15px; margin: 0 0 10px; }
h1 { font-size: 19px; margin: 0 0 8px; } h3 { font-size: 14px; margin: 12px 0 6px; } h4 { margin: 4px 0; font-size: 13px; }
h3.group { color: var(--muted); font-weight: 600; }
.message { color: var(--muted); margin: 6px 0; } .message.error, .error-text { color: var(--fail); }
.muted { color: var(--muted); }
table.grid { border-collapse: collapse; width: 100%; }
table.grid th, table.grid td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.grid th { font-size: 12px; color: var(--muted); font-weight: 600; }
table.grid pre.code { margin: 0; max-height: 160px; overflow: auto; }
tr.flash { background: #fff6bf; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
.facts dt { color: var(--muted); } .facts dd { margin: 0; word-break: break-all; }
.facts.small { gap: 2px 10px; }
pre.code { background: #f4f6f8; border: 1px solid var(--line); border-radius: 6px; padding: 8px; overflow: auto; max-height: 320px; white-space: pre-wrap; word-break: break-word; }
pre.prompt { margin: 0; white-space: pre-wrap; word-break: break-word; font: 13px/1.4 system-ui, sans-serif; background: #f8f9fb; padding: 6px 8px; border-radius: 4px; }
.io { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; } .io h3 { margin-top: 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 11px; font-weight: 700; letter-spacing: .02em; background: var(--idle-bg); color: var(--muted); vertical-align: middle; }
.badge.s-succeeded, .badge.s-completed { background: var(--ok-bg); color: var(--ok); }
.badge.s-failed, .badge.s-timed_out, .badge.s-aborted, .badge.s-expired, .badge.s-stopped { background: var(--fail-bg); color: var(--fail); }
.badge.s-running, .badge.s-inprogress, .badge.s-submitted, .badge.s-validating, .badge.s-scheduled { background: var(--run-bg); color: var(--run); }
.chip { display: inline-block; padding: 0 7px; margin-left: 6px; border-radius: 9px; font-size: 11px; background: #eef1f5; color: #41506a; }
.chip.warn { background: var(--retry-bg); color: #7a6206; } .chip.fault { background: var(--fail-bg); color: var(--fail); }
.chip.rule { background: #ece7fb; color: #5a3fb8; } .chip.tokens { background: #e5f3f5; color: #1f6b75; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; background: var(--idle); vertical-align: middle; }
.dot.st-succeeded { background: var(--ok); } .dot.st-failed { background: var(--fail); } .dot.st-caught { background: var(--caught); }
.dot.st-retried { background: var(--retry); } .dot.st-running { background: var(--run); } .dot.st-notreached { background: #fff; border: 1px dashed var(--idle); }
.legend { display: flex; gap: 14px; margin-bottom: 8px; font-size: 12px; color: var(--muted); }
.filters { display: flex; gap: 16px; margin-bottom: 8px; } select, button { font: inherit; padding: 3px 8px; }
.pager { display: flex; gap: 8px; margin-top: 8px; }
/* The graph */
.graph-wrap { overflow-x: auto; }
svg.graph { display: block; margin: 0 auto; font: 12px system-ui, "Liberation Sans", sans-serif; }
svg.graph .node .box { fill: #fff; stroke: #8792a2; stroke-width: 1.4; }
svg.graph .node text.title { font-weight: 600; font-size: 12.5px; fill: var(--fg); }
svg.graph .node text.sub { font-size: 11px; fill: var(--muted); }
svg.graph .node text.count { font-size: 11px; fill: var(--muted); font-weight: 700; }
svg.graph .node { cursor: pointer; }
svg.graph .type-task .box { stroke: #3d6fd6; } svg.graph .type-choice .box { stroke: #c48a12; }
svg.graph .type-pass .box { stroke: #8a94a3; } svg.graph .type-wait .box { stroke: #8a5cc7; }
svg.graph .type-succeed .box { stroke: var(--ok); } svg.graph .type-fail .box { stroke: var(--fail); }
svg.graph .type-parallel > .box, svg.graph .type-map > .box { fill: #fafbfd; stroke: #5b6b85; stroke-dasharray: 0; }
svg.graph .branch > rect { fill: #fff; stroke: #c3cad5; stroke-dasharray: 4 3; }
svg.graph .branch-title { font-size: 11px; fill: var(--muted); }
svg.graph .node.st-succeeded > .box { fill: var(--ok-bg); stroke: var(--ok); stroke-width: 2; }
svg.graph .node.st-failed > .box { fill: var(--fail-bg); stroke: var(--fail); stroke-width: 2.4; }
svg.graph .node.st-caught > .box { fill: var(--caught-bg); stroke: var(--caught); stroke-width: 2.2; }
svg.graph .node.st-retried > .box { fill: var(--retry-bg); stroke: var(--retry); stroke-width: 2.2; }
svg.graph .node.st-running > .box { fill: var(--run-bg); stroke: var(--run); stroke-width: 2.4; }
svg.graph .node.st-notreached > .box { fill: #fafafa; stroke: #b9c0ca; stroke-dasharray: 5 3; }
svg.graph .node.st-notreached text { fill: #9aa3af; }
svg.graph .terminal rect { fill: #eef1f5; stroke: #9aa3af; } svg.graph .terminal text { fill: #4b5563; font-size: 11px; }
svg.graph .edge { fill: none; stroke: #7d8796; stroke-width: 1.4; }
svg.graph .edge.catch { stroke: var(--caught); stroke-dasharray: 5 3; } svg.graph .edge.default { stroke-dasharray: 2 3; }
svg.graph .edge.back { stroke: #8a5cc7; }
svg.graph .arrowhead { fill: #7d8796; } svg.graph .arrowhead.catch { fill: var(--caught); } svg.graph .arrowhead.back { fill: #8a5cc7; }
svg.graph .edge-label rect { fill: #fff; stroke: #dde2e8; } svg.graph .edge-label text { font-size: 10.5px; fill: #4b5563; }
svg.graph .edge-label.catch text { fill: #a35d12; }
/* The timeline */
.timeline { font-size: 12px; }
.tl-row { display: grid; grid-template-columns: 230px 1fr 70px; align-items: center; min-height: 22px; border-bottom: 1px solid #f0f2f5; }
.tl-head { color: var(--muted); font-weight: 600; min-height: 26px; }
.tl-label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding-right: 8px; }
.tl-track { position: relative; height: 18px; background: repeating-linear-gradient(90deg, transparent 0 24.9%, #eef0f3 24.9% 25%); }
.tl-axis { position: relative; height: 18px; } .tl-tick { position: absolute; transform: translateX(-50%); font-size: 11px; white-space: nowrap; }
.tl-tick:first-child { transform: none; } .tl-tick:last-child { transform: translateX(-100%); }
.tl-bar { position: absolute; top: 4px; height: 10px; min-width: 4px; border-radius: 3px; background: var(--idle); opacity: .35; }
.tl-bar.st-succeeded { background: var(--ok); } .tl-bar.st-failed { background: var(--fail); } .tl-bar.st-caught { background: var(--caught); }
.tl-bar.st-retried { background: var(--retry); } .tl-bar.st-running { background: var(--run); }
.tl-bar.type-wait { background: repeating-linear-gradient(45deg, #8a5cc7 0 4px, #c7b2e6 4px 8px); opacity: .8; }
.tl-seg { position: absolute; top: 1px; height: 16px; min-width: 5px; border-radius: 2px; }
.tl-seg.attempt.ok { background: var(--ok); } .tl-seg.attempt.failed { background: var(--fail); } .tl-seg.attempt.open { background: var(--run); }
.tl-seg.backoff { background: repeating-linear-gradient(45deg, #f4c7c3 0 3px, #fff 3px 6px); min-width: 0; }
.tl-retry { position: absolute; top: -2px; width: 2px; height: 22px; background: #7a6206; }
.tl-dur { text-align: right; color: var(--muted); }
/* Calls */
.call { border: 1px solid var(--line); border-radius: 6px; margin-bottom: 8px; padding: 6px 10px; background: #fff; }
.call.failed { border-left: 4px solid var(--fail); }
.call-head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
.call-body { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; margin-top: 6px; }
.http { font-weight: 700; font-size: 12px; padding: 0 6px; border-radius: 4px; background: var(--ok-bg); color: var(--ok); }
.http.s4, .http.s5 { background: var(--fail-bg); color: var(--fail); }
ol.frames { margin: 4px 0; padding-left: 26px; max-height: 220px; overflow: auto; } ol.frames code { white-space: pre-wrap; word-break: break-all; }
details.fold summary { cursor: pointer; color: #41506a; font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 420px; }
.maprun { border-top: 1px solid var(--line); padding-top: 6px; } .counts { color: var(--muted); margin: 2px 0 6px; }
.progress { width: 160px; height: 8px; background: #eceff3; border-radius: 4px; overflow: hidden; }
.progress-fill { height: 100%; background: var(--accent); }
.attempt-line { max-width: 420px; }
td.nowrap { white-space: nowrap; }
"""#
}
