/// `index.html`: The console's one page; the scripts draw every view in it.
/// Kept as Swift text so the console is in the binary and works offline.
enum ConsolePage {
    static let text = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Understudy console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/_understudy/console/app.css">
<script src="/_understudy/console/ui.js" defer></script>
<script src="/_understudy/console/graph.js" defer></script>
<script src="/_understudy/console/graphview.js" defer></script>
<script src="/_understudy/console/history.js" defer></script>
<script src="/_understudy/console/execution.js" defer></script>
<script src="/_understudy/console/app.js" defer></script>
</head>
<body>
<header class="top">
<a class="brand" href="/_understudy/">Understudy</a>
<nav>
<a href="/_understudy/#machines" data-tab="machines">State machines</a>
<a href="/_understudy/#executions" data-tab="executions">Executions</a>
<a href="/_understudy/#journal" data-tab="journal">Journal</a>
<a href="/_understudy/#batch" data-tab="batch">Batch jobs</a>
<a href="/_understudy/#rules" data-tab="rules">Faults &amp; quotas</a>
</nav>
<span id="live"></span>
</header>
<main id="main"><noscript>The console is drawn by JavaScript; enable it for this page.</noscript></main>
</body>
</html>
"""#
}
