import Foundation
import JSONCore
import JokeTeller
import Testing
import UnderstudyTesting

/// The same checks in Swift Testing: `#expect` on the journal, and one test run against each
/// way of running the server in process.
@Suite struct JokeTellerSuite {
    static let claude = "anthropic.claude-3-haiku-20240307-v1:0"

    @Test func theAppsCallIsJournalledOnce() async throws {
        try await Understudy.withServer { server in
            let joke = try await JokeTeller(endpoint: URL(string: server.endpoint)!).joke(about: "otters")
            #expect(!joke.isEmpty)
            #expect(try await server.journal.calls(operation: "InvokeModel").count == 1)
        }
    }

    /// The harness's own client needs no socket, so this runs in memory too.
    @Test(arguments: [UnderstudyTarget.inProcess, .inMemory])
    func aStreamedAnswerArrivesInChunks(target: UnderstudyTarget) async throws {
        try await Understudy.withServer(target) { server in
            let body: JSONValue = ["anthropic_version": "bedrock-2023-05-31", "max_tokens": 64, "messages": [["role": "user", "content": "Hi"]]]
            var types: [String] = []
            for try await event in try await server.bedrock.invokeModelStream(Self.claude, body: body) {
                if let type = event["type"]?.stringValue { types.append(type) }
            }
            #expect(types.first == "message_start")
            #expect(types.last == "message_stop")
            #expect(types.contains("content_block_delta"))
        }
    }
}
