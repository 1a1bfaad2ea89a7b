import AWSWire
import JSONCore
import UnderstudyTesting
import XCTest

@testable import UnderstudyServer

/// The console's page and JSON: served to the browser's own same-origin requests with a policy
/// that allows no inline script, refused to other origins like the rest of the admin API, kept
/// out of the journal, and paged on the server.
final class ConsoleTests: XCTestCase {
    /// What Chromium sends for a page and its `fetch` calls on http://localhost:4566.
    let sameOrigin = [("Host", "localhost:4566"), ("Sec-Fetch-Site", "same-origin"), ("Sec-Fetch-Mode", "cors"), ("User-Agent", "Mozilla/5.0")]

    func get(_ route: String, _ headers: [(String, String)]) -> TestRequest {
        TestRequest(service: .admin, method: "GET", target: "/_understudy/\(route)", headers: headers, body: [], signing: .unsigned)
    }

    func testThePageAndItsFilesComeWithAStrictPolicy() async throws {
        try await InMemoryServer.with { server in
            let typed = [("Host", "localhost:4566"), ("Sec-Fetch-Site", "none"), ("User-Agent", "Mozilla/5.0")]
            for route in ["", "executions/arn:aws:states:us-east-1:000000000000:execution:M:e", "machines/arn:aws:states:us-east-1:000000000000:stateMachine:M"] {
                let page = try await server.send(get(route, typed))
                XCTAssertEqual(page.status, 200, route)
                XCTAssertEqual(page.header("Content-Type"), "text/html; charset=utf-8")
                XCTAssertTrue(page.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
                XCTAssertTrue(page.text.contains("<script src=\"/_understudy/console/app.js\" defer></script>"))
            }
            for (file, type) in [("app.js", "text/javascript; charset=utf-8"), ("graph.js", "text/javascript; charset=utf-8"), ("app.css", "text/css; charset=utf-8")] {
                let asset = try await server.send(get("console/\(file)", sameOrigin))
                XCTAssertEqual(asset.status, 200, file)
                XCTAssertEqual(asset.header("Content-Type"), type)
                XCTAssertEqual(asset.header("X-Content-Type-Options"), "nosniff")
            }
            let elsewhere = try await server.send(get("console/executions", [("Host", "localhost:4566"), ("Sec-Fetch-Site", "cross-site")]))
            XCTAssertEqual(elsewhere.status, 403)
            let missing = try await server.send(get("console/nothing", sameOrigin))
            XCTAssertEqual(missing.status, 404)
        }
    }

    func testConsoleRequestsStayOutOfTheJournalAndTheJournalPagesByCursor() async throws {
        try await InMemoryServer.with { server in
            let machine = try await server.stepFunctions.createStateMachine(
                name: "Console", definition: ["StartAt": "P", "States": ["P": ["Type": "Pass", "Result": "<b>x</b>", "End": true]]], type: .express)
            _ = try await server.stepFunctions.startSyncExecution(machine)
            for route in ["console/machines", "console/executions", "console/journal", "console/rules", "console/batch-jobs"] {
                let answer = try await server.send(get(route, sameOrigin))
                XCTAssertEqual(answer.status, 200, "\(route): \(answer.text)")
            }
            let journal = try await server.send(get("journal", [])).json()["entries"]?.arrayValue ?? []
            let operations = journal.compactMap { $0["operation"]?.stringValue }
            XCTAssertEqual(operations, ["CreateStateMachine", "StartSyncExecution"], "the console's own polling is not journaled")
            let first = journal.first?["sequence"]?.intValue ?? 0
            let after = try await server.send(get("console/journal?after=\(first)", sameOrigin)).json()["entries"]?.arrayValue ?? []
            XCTAssertEqual(after.compactMap { $0["operation"]?.stringValue }, ["StartSyncExecution", "Journal"])
        }
    }

    func testExecutionsArePagedNewestFirstWithANextToken() async throws {
        try await InMemoryServer.with { server in
            let machine = try await server.stepFunctions.createStateMachine(
                name: "Paged", definition: ["StartAt": "P", "States": ["P": ["Type": "Pass", "End": true]]], type: .express)
            var started: [String] = []
            for _ in 0..<7 { started.append(try await server.stepFunctions.startSyncExecution(machine).executionArn ?? "") }
            var seen: [String] = []
            var token: String? = nil
            repeat {
                let page = try await server.send(get("console/executions?limit=3" + (token.map { "&nextToken=\($0)" } ?? ""), sameOrigin)).json()
                let rows = page["executions"]?.arrayValue ?? []
                XCTAssertLessThanOrEqual(rows.count, 3)
                XCTAssertNil(rows.first?["input"], "rows carry no payloads")
                seen += rows.compactMap { $0["executionArn"]?.stringValue }
                token = page["nextToken"]?.stringValue
            } while token != nil
            XCTAssertEqual(seen, started.reversed())
            let one = try await server.send(get("console/execution?arn=\(URIEncoding.encode(started[0]))", sameOrigin)).json()
            XCTAssertEqual(one["status"]?.stringValue, "SUCCEEDED")
            XCTAssertEqual(one["definition"]?["StartAt"]?.stringValue, "P")
            XCTAssertEqual(one["events"]?.arrayValue?.first?["type"]?.stringValue, "ExecutionStarted")
            let refused = try await server.send(get("console/executions?limit=0", sameOrigin))
            XCTAssertEqual(refused.status, 400)
        }
    }
}
