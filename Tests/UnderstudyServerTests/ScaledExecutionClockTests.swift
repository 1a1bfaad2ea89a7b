import ServiceKit
import StatesEngine
import StepFunctionsService
import XCTest

/// The execution clock takes any wait an execution asks for (issue 19): a saturated
/// `SecondsPath` or a year-9999 Timestamp used to trap it.
final class ScaledExecutionClockTests: XCTestCase {
    func testInstantClockSkipsToTheEndOfTimeAndNoFurther() async {
        let server = ManualClock(millis: 1_700_000_000_000)
        let clock = ScaledExecutionClock(clock: server, scale: 0)
        await clock.sleep(milliseconds: 1000)
        XCTAssertEqual(clock.nowMillis(), 1_700_000_001_000)
        await clock.sleep(milliseconds: .max)
        XCTAssertEqual(clock.nowMillis(), ExecutionTime.latestMillis)
        server.advance(millis: 5000)
        XCTAssertEqual(clock.nowMillis(), ExecutionTime.latestMillis, "time a timestamp can name")
        await clock.sleep(milliseconds: .max)
        XCTAssertEqual(clock.nowMillis(), ExecutionTime.latestMillis)
    }

    func testRealTimeWaitUntilTheYear9999EndsWhenCancelled() async throws {
        let clock = ScaledExecutionClock(clock: SystemClock(), scale: 1)
        let until = try XCTUnwrap(StatesTimestamp.parse("9999-12-31T23:59:59Z"))
        let started = ContinuousClock.now
        let sleeper = Task { await clock.sleep(milliseconds: until - clock.nowMillis()) }
        try await Task.sleep(nanoseconds: 50_000_000)
        sleeper.cancel()
        await sleeper.value
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
    }
}
