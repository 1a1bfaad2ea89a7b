/// One of the console's files as it is served: its type and its bytes, built once. The page
/// loads its scripts and style from these same-origin files because its Content-Security-Policy
/// allows no inline script or style.
struct ConsoleAsset: Sendable {
    let contentType: String
    let bytes: [UInt8]

    init(_ text: String, type: String) {
        contentType = type
        bytes = Array(text.utf8)
    }

    static let page = ConsoleAsset(ConsolePage.text, type: "text/html; charset=utf-8")

    /// The scripts in the order the page loads them: each uses what the ones before define.
    static let files: [String: ConsoleAsset] = [
        "app.css": ConsoleAsset(ConsoleStyle.text, type: "text/css; charset=utf-8"),
        "ui.js": script(ConsoleUIScript.text),
        "graph.js": script(ConsoleGraphLayout.text),
        "graphview.js": script(ConsoleGraphDrawing.text),
        "history.js": script(ConsoleHistoryScript.text),
        "execution.js": script(ConsoleExecutionScript.text),
        "app.js": script(ConsoleAppScript.text),
    ]

    static func script(_ text: String) -> ConsoleAsset { ConsoleAsset(text, type: "text/javascript; charset=utf-8") }

    /// The file `/_understudy/console/NAME` serves, or nil.
    static func named(_ name: String) -> ConsoleAsset? { files[name] }
}
