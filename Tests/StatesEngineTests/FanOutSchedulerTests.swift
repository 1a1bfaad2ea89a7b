import XCTest

@testable import StatesEngine

/// The fan-out's rules as a value: events in, actions out.
final class FanOutSchedulerTests: XCTestCase {
    func testBranchesThatNeverWaitStartOneAfterAnother() {
        var scheduler = FanOutScheduler(count: 3, limit: 0)
        XCTAssertEqual(scheduler.next(), .start(0))
        XCTAssertEqual(scheduler.next(), .wait(allBlocked: false), "the next starts when the last finishes or waits")
        XCTAssertFalse(scheduler.finished(0, stop: false))
        XCTAssertEqual(scheduler.next(), .start(1))
        XCTAssertFalse(scheduler.finished(1, stop: false))
        XCTAssertEqual(scheduler.next(), .start(2))
        XCTAssertFalse(scheduler.finished(2, stop: false))
        XCTAssertEqual(scheduler.next(), .finished)
    }

    func testABranchWaitingOutsideLetsTheNextStart() {
        var scheduler = FanOutScheduler(count: 3, limit: 0)
        XCTAssertEqual(scheduler.next(), .start(0))
        scheduler.blocked(0)
        XCTAssertEqual(scheduler.next(), .start(1))
        scheduler.blocked(1)
        XCTAssertEqual(scheduler.next(), .start(2))
        scheduler.blocked(0)  // an earlier branch blocking again changes nothing
        XCTAssertEqual(scheduler.next(), .wait(allBlocked: false))
        scheduler.blocked(2)
        XCTAssertEqual(scheduler.next(), .wait(allBlocked: true), "every branch waits outside: so does the fan-out")
        XCTAssertEqual(scheduler.running, 3)
    }

    func testMaxConcurrencyBoundsTheRunningBranches() {
        var scheduler = FanOutScheduler(count: 4, limit: 2)
        XCTAssertEqual(scheduler.next(), .start(0))
        scheduler.blocked(0)
        XCTAssertEqual(scheduler.next(), .start(1))
        scheduler.blocked(1)
        XCTAssertEqual(scheduler.next(), .wait(allBlocked: true), "two running, limit two")
        XCTAssertFalse(scheduler.finished(0, stop: false))
        XCTAssertEqual(scheduler.next(), .start(2))
    }

    func testStoppingCancelsOnceAndStartsNothingMore() {
        var scheduler = FanOutScheduler(count: 5, limit: 0)
        XCTAssertEqual(scheduler.next(), .start(0))
        scheduler.blocked(0)
        XCTAssertEqual(scheduler.next(), .start(1))
        XCTAssertTrue(scheduler.finished(1, stop: true), "the first stop cancels the running branches")
        XCTAssertTrue(scheduler.stopped)
        XCTAssertEqual(scheduler.next(), .wait(allBlocked: true))
        XCTAssertFalse(scheduler.finished(0, stop: true), "cancelled once")
        XCTAssertEqual(scheduler.next(), .finished)
        XCTAssertEqual(scheduler.started, 2)
    }

    func testNothingToRun() {
        var scheduler = FanOutScheduler(count: 0, limit: 0)
        XCTAssertEqual(scheduler.next(), .finished)
    }

    func testAStoppedFanOutStartsNothingMoreAndWaitsForTheRunning() {
        var scheduler = FanOutScheduler(count: 3, limit: 0)
        XCTAssertEqual(scheduler.next(), .start(0))
        scheduler.blocked(0)
        scheduler.stop()
        XCTAssertEqual(scheduler.next(), .wait(allBlocked: true), "branch 0 still runs; branch 1 is not started")
        XCTAssertFalse(scheduler.finished(0, stop: true), "already stopped: nothing more to cancel")
        XCTAssertEqual(scheduler.next(), .finished)
        XCTAssertEqual(scheduler.started, 1)
    }
}
