import XCTest

@testable import HTTPEdge

/// The connection's timeouts and lingering close as a value: each event's action, no socket.
final class ConnectionLifecycleTests: XCTestCase {
    private let limits = ConnectionLifecycle.Limits(headerTimeoutMillis: 1_000, idleTimeoutMillis: 5_000, lingerQuietMillis: 200, lingerTotalMillis: 1_000)

    func testARequestArmsTheHeaderThenTheBodyTimerAndServingHasNone() {
        var c = ConnectionLifecycle(limits: limits)
        XCTAssertEqual(c.opened(), .arm(5_000))
        XCTAssertEqual(c.bytesArrived(at: 0).action, .arm(1_000))
        // More head bytes do not move the header deadline: a slow head still times out.
        XCTAssertEqual(c.bytesArrived(at: 500).action, .none)
        XCTAssertEqual(c.received(.headReceived), .arm(5_000))
        XCTAssertEqual(c.bytesArrived(at: 600).action, .arm(5_000))
        XCTAssertEqual(c.received(.requestReceived), .disarm)
        XCTAssertEqual(c.timerFired(), .none)
        XCTAssertEqual(c.received(.responsesComplete), .arm(5_000))
        XCTAssertEqual(c.phase, .idle)
    }

    func testTimeoutsCloseIdleAndAnswerPartialRequests() {
        var idle = ConnectionLifecycle(limits: limits)
        _ = idle.opened()
        XCTAssertEqual(idle.timerFired(), .close)

        var slowHead = ConnectionLifecycle(limits: limits)
        _ = slowHead.bytesArrived(at: 0)
        XCTAssertEqual(slowHead.timerFired(), .timeOut)
        XCTAssertEqual(slowHead.phase, .closed)
    }

    func testAServerCloseLingersUntilTheClientStopsOrTimeRunsOut() {
        var c = ConnectionLifecycle(limits: limits)
        _ = c.bytesArrived(at: 0)
        XCTAssertEqual(c.closeRequested(abortive: false, at: 100), .shutDownOutput(arm: 200))
        let (forward, action) = c.bytesArrived(at: 300)
        XCTAssertFalse(forward)
        XCTAssertEqual(action, .arm(200))
        XCTAssertEqual(c.bytesArrived(at: 1_000).action, .arm(100))
        XCTAssertEqual(c.bytesArrived(at: 1_100).action, .close)

        var quiet = ConnectionLifecycle(limits: limits)
        _ = quiet.closeRequested(abortive: false, at: 0)
        XCTAssertEqual(quiet.timerFired(), .close)

        var ended = ConnectionLifecycle(limits: limits)
        _ = ended.closeRequested(abortive: false, at: 0)
        XCTAssertEqual(ended.inputEnded().action, .close)
    }

    func testAbortiveClosesAndClosesAfterHalfCloseAreImmediate() {
        var aborted = ConnectionLifecycle(limits: limits)
        XCTAssertEqual(aborted.closeRequested(abortive: true, at: 0), .close)

        var halfClosed = ConnectionLifecycle(limits: limits)
        _ = halfClosed.bytesArrived(at: 0)
        _ = halfClosed.received(.headReceived)
        _ = halfClosed.received(.requestReceived)
        let (forward, action) = halfClosed.inputEnded()
        XCTAssertTrue(forward)  // the request in hand is still answered
        XCTAssertEqual(action, .none)
        XCTAssertEqual(halfClosed.received(.responsesComplete), .close)

        var idle = ConnectionLifecycle(limits: limits)
        XCTAssertEqual(idle.inputEnded().action, .close)
    }
}
