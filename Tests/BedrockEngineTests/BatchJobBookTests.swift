import BedrockEngine
import JSONCore
import ObjectStore
import Locking
import XCTest

/// The batch job lifecycle as a value over a manual clock: phases, processing, outputs,
/// stopping, expiry and validation failures.
final class BatchJobBookTests: XCTestCase {
    private final class ManualClock: Sendable {
        let millis = Locked<Int64>(1_700_000_000_000)
        func advance(seconds: Int64) { millis.withLock { $0 += seconds * 1000 } }
        var now: Int64 { millis.withLock { $0 } }
    }

    private let model = "anthropic.claude-3-haiku-20240307-v1:0"

    /// Job records in memory: what the state database keeps under `--data-dir`.
    private final class MemoryRecords: BatchJobRecords {
        let documents = Locked<[(id: String, document: String)]>([])
        func all() -> [String] { documents.withLock { $0.map(\.document) } }
        func put(id: String, document: String) {
            documents.withLock { documents in
                if let i = documents.firstIndex(where: { $0.id == id }) { documents[i].document = document } else { documents.append((id, document)) }
            }
        }
        func removeAll() { documents.withLock { $0 = [] } }
    }

    private func setUp(records: Int, timings: BatchTimings, kept: MemoryRecords? = nil) throws -> (BatchJobBook, ObjectStore, ManualClock) {
        let clock = ManualClock()
        let store = try ObjectStore(now: { clock.now })
        try store.createBucket("io", account: "000000000000", region: "us-east-1")
        var lines: [String] = []
        for i in 0..<records {
            lines.append(#"{"recordId":"R\#(i)","modelInput":{"anthropic_version":"bedrock-2023-05-31","max_tokens":16,"messages":[{"role":"user","content":"q\#(i)"}]}}"#)
        }
        try store.put(bucket: "io", key: "in/a.jsonl", body: Array(lines.joined(separator: "\n").utf8), metadata: ObjectMetadata())
        return (try restarted(store: store, clock: clock, timings: timings, kept: kept), store, clock)
    }

    /// A book as a new process builds it over the same objects and records.
    private func restarted(store: ObjectStore, clock: ManualClock, timings: BatchTimings, kept: MemoryRecords?) throws -> BatchJobBook {
        let runtime = BedrockRuntime(catalog: try ModelCatalog.bundled(), seed: 1)
        return try BatchJobBook(store: store, runtime: runtime, seed: 1, timings: timings, records: kept, now: { clock.now })
    }

    private func request(_ input: String = "s3://io/in/") -> ModelInvocationJob.Request {
        ModelInvocationJob.Request(jobName: "j", roleArn: "arn:aws:iam::123456789012:role/r", modelId: model, inputUri: input, outputUri: "s3://io/out")
    }

    func testPhasesFollowTheClockAndOutputsLandAtTheEnd() async throws {
        var timings = BatchTimings()
        timings.minimumRecords = 4
        (timings.submittedMillis, timings.validatingMillis, timings.scheduledMillis, timings.inProgressMillis) = (10_000, 10_000, 10_000, 40_000)
        let (book, store, clock) = try setUp(records: 4, timings: timings)
        let job = try book.create(request(), account: "000000000000", region: "us-east-1")
        var statuses: [String] = []
        for _ in 0..<3 {
            statuses.append(await book.job(job.jobArn, account: "000000000000", region: "us-east-1")!.status.rawValue)
            clock.advance(seconds: 10)
        }
        XCTAssertEqual(statuses, ["Submitted", "Validating", "Scheduled"])
        clock.advance(seconds: 20)
        let running = await book.job(job.jobId, account: "000000000000", region: "us-east-1")!
        XCTAssertEqual(running.status, .inProgress)
        XCTAssertEqual(running.processedRecords, 2)
        XCTAssertThrowsError(try store.head(bucket: "io", key: "out/\(job.jobId)/a.jsonl.out"), "nothing is written before the end")
        clock.advance(seconds: 20)
        let done = await book.job(job.jobId, account: "000000000000", region: "us-east-1")!
        XCTAssertEqual(done.status, .completed)
        XCTAssertEqual(done.endMillis, job.submitMillis + 70_000)
        XCTAssertEqual([done.totalRecords, done.processedRecords, done.successRecords, done.errorRecords], [4, 4, 4, 0])
        let manifest = try JSONParser.parse(try store.get(bucket: "io", key: "out/\(job.jobId)/manifest.json.out").1)
        XCTAssertEqual(manifest["successRecordCount"]?.intValue, 4)
        let elsewhere = await book.job(job.jobId, account: "111111111111", region: "us-east-1")
        XCTAssertNil(elsewhere, "other accounts do not see the job")
    }

    func testStopWritesWhatWasProcessed() async throws {
        var timings = BatchTimings()
        timings.minimumRecords = 1
        timings.inProgressMillis = 100_000
        timings.stoppingMillis = 5_000
        let (book, store, clock) = try setUp(records: 10, timings: timings)
        let job = try book.create(request(), account: "000000000000", region: "us-east-1")
        let started = await book.job(job.jobId, account: "000000000000", region: "us-east-1")
        XCTAssertEqual(started?.status, .inProgress)
        clock.advance(seconds: 30)
        guard case .stopping(let stopping) = await book.stop(job.jobId, account: "000000000000", region: "us-east-1") else { return XCTFail() }
        XCTAssertEqual(stopping.status, .stopping)
        clock.advance(seconds: 5)
        let stopped = await book.job(job.jobId, account: "000000000000", region: "us-east-1")!
        XCTAssertEqual(stopped.status, .stopped)
        XCTAssertEqual(stopped.processedRecords, 3)
        let lines = try store.get(bucket: "io", key: "out/\(job.jobId)/a.jsonl.out").1.split(separator: UInt8(ascii: "\n"))
        XCTAssertEqual(lines.count, 3)
        guard case .notStoppable = await book.stop(job.jobId, account: "000000000000", region: "us-east-1") else { return XCTFail() }
    }

    func testExpiryAndValidationFailures() async throws {
        var timings = BatchTimings()
        timings.minimumRecords = 5
        timings.scheduledMillis = 200 * 3_600_000  // longer than the 168-hour default timeout
        let (book, _, clock) = try setUp(records: 5, timings: timings)
        let late = try book.create(request(), account: "000000000000", region: "us-east-1")
        let scheduled = await book.job(late.jobId, account: "000000000000", region: "us-east-1")
        XCTAssertEqual(scheduled?.status, .scheduled)
        clock.advance(seconds: 168 * 3600)
        let expired = await book.job(late.jobId, account: "000000000000", region: "us-east-1")!
        XCTAssertEqual(expired.status, .expired)
        XCTAssertEqual(expired.endMillis, expired.expirationMillis)

        let (strict, _, _) = try setUp(records: 4, timings: { var t = BatchTimings(); t.minimumRecords = 5; return t }())
        let tooFew = try strict.create(request(), account: "000000000000", region: "us-east-1")
        let failed = await strict.job(tooFew.jobId, account: "000000000000", region: "us-east-1")!
        XCTAssertEqual(failed.status, .failed)
        XCTAssertEqual(failed.message, "The number of records in the input (4) is less than the minimum number of records per batch inference job (5).")
        let (capped, _, _) = try setUp(records: 6, timings: { var t = BatchTimings(); t.minimumRecords = 1; t.maximumRecords = 5; return t }())
        let tooMany = try capped.create(request(), account: "000000000000", region: "us-east-1")
        let refused = await capped.job(tooMany.jobId, account: "000000000000", region: "us-east-1")!
        XCTAssertEqual(refused.status, .failed)
        XCTAssertEqual(refused.message, "The number of records in the input exceeds the maximum number of records per batch inference job (5).")
        XCTAssertNil(refused.totalRecords, "no record was run")

        let noFiles = try strict.create(request("s3://io/elsewhere/"), account: "000000000000", region: "us-east-1")
        let missing = await strict.job(noFiles.jobId, account: "000000000000", region: "us-east-1")
        XCTAssertEqual(missing?.status, .failed)
        var unknown = request()
        unknown.modelId = "anthropic.nothing-v1:0"
        unknown.clientRequestToken = "t"
        let bad = try strict.create(unknown, account: "000000000000", region: "us-east-1")
        XCTAssertEqual(try strict.create(unknown, account: "000000000000", region: "us-east-1").jobArn, bad.jobArn, "same token, same job")
        let unknownModel = await strict.job(bad.jobId, account: "000000000000", region: "us-east-1")
        XCTAssertEqual(unknownModel?.message, "The provided model identifier is invalid.")
    }

    /// A finished job reads back as it was answered; one in progress carries on after the
    /// restart and writes every record once, as the same job run without one does.
    func testJobsSurviveARestart() async throws {
        var timings = BatchTimings()
        timings.minimumRecords = 4
        timings.inProgressMillis = 40_000
        let kept = MemoryRecords()
        let (book, store, clock) = try setUp(records: 6, timings: timings, kept: kept)
        let account = "000000000000", region = "us-east-1"
        var tagged = request()
        tagged.tags = [("team", "ml")]
        tagged.clientRequestToken = "once"
        let finished = try book.create(tagged, account: account, region: region)
        clock.advance(seconds: 40)
        let done = await book.job(finished.jobId, account: account, region: region)!
        XCTAssertEqual(done.status, .completed)
        let running = try book.create(request(), account: account, region: region)
        clock.advance(seconds: 1)
        _ = await book.job(running.jobId, account: account, region: region)
        clock.advance(seconds: 20)
        let halfway = await book.job(running.jobId, account: account, region: region)!
        XCTAssertEqual([halfway.status.rawValue, "\(halfway.processedRecords ?? -1)"], ["InProgress", "3"])

        let again = try restarted(store: store, clock: clock, timings: timings, kept: kept)
        let stamp = { (millis: Int64) in JSONValue(Int(millis)) }
        let readBack = await again.job(finished.jobArn, account: account, region: region)!
        XCTAssertEqual(readBack.wireShape(timestamp: stamp), done.wireShape(timestamp: stamp))
        XCTAssertEqual(readBack.request.tags.map(\.key), ["team"])
        XCTAssertEqual(try again.create(tagged, account: account, region: region).jobId, finished.jobId, "the client token still names it")
        let resumed = await again.job(running.jobId, account: account, region: region)!
        XCTAssertEqual([resumed.status.rawValue, "\(resumed.processedRecords ?? -1)"], ["InProgress", "3"])
        clock.advance(seconds: 20)
        let completed = await again.job(running.jobId, account: account, region: region)!
        XCTAssertEqual([completed.totalRecords, completed.processedRecords, completed.successRecords, completed.errorRecords], [6, 6, 6, 0])
        let output = try store.get(bucket: "io", key: "out/\(running.jobId)/a.jsonl.out").1
        XCTAssertEqual(output, try store.get(bucket: "io", key: "out/\(finished.jobId)/a.jsonl.out").1, "the same records, each once")
        let listed = await again.jobs(account: account, region: region)
        XCTAssertEqual(listed.map(\.jobId), [finished.jobId, running.jobId])
        let newer = try again.create(request(), account: account, region: region)
        XCTAssertFalse([finished.jobId, running.jobId].contains(newer.jobId), "ids already taken are passed over")
        again.reset()
        XCTAssertEqual(kept.all(), [])
    }

    /// A job stopping when the process ended is Stopped after it, with what it had processed.
    func testAStoppingJobEndsStoppedAfterARestart() async throws {
        var timings = BatchTimings()
        timings.minimumRecords = 4
        (timings.inProgressMillis, timings.stoppingMillis) = (40_000, 10_000)
        let kept = MemoryRecords()
        let (book, store, clock) = try setUp(records: 4, timings: timings, kept: kept)
        let job = try book.create(request(), account: "000000000000", region: "us-east-1")
        _ = await book.job(job.jobId, account: "000000000000", region: "us-east-1")
        clock.advance(seconds: 20)
        guard case .stopping = await book.stop(job.jobId, account: "000000000000", region: "us-east-1") else { return XCTFail("not stopping") }
        let again = try restarted(store: store, clock: clock, timings: timings, kept: kept)
        clock.advance(seconds: 10)
        let stopped = await again.job(job.jobId, account: "000000000000", region: "us-east-1")!
        XCTAssertEqual(stopped.status, .stopped)
        XCTAssertEqual(stopped.processedRecords, 2)
        XCTAssertEqual(try store.get(bucket: "io", key: "out/\(job.jobId)/a.jsonl.out").1.filter { $0 == 0x0A }.count, 2)
    }
}
