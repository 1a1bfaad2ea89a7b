import AWSWire
public import Logging
public import ServiceKit

/// Journals every call once its reply is there, refusals and Task calls included, logs it
/// at debug level, and tells its `observer` (the server's metrics) when there is one.
public struct JournalStage: DispatchStage {
    let journal: Journal
    let clock: any ServerClock
    let logger: Logger
    let observer: (any CallObserver)?

    public init(journal: Journal, clock: any ServerClock, logger: Logger, observer: (any CallObserver)? = nil) {
        self.journal = journal
        self.clock = clock
        self.logger = logger
        self.observer = observer
    }

    public func admit(_ call: inout ServiceCall) -> Admission { .proceed }

    public func complete(_ reply: Reply, of call: ServiceCall) -> Reply {
        record(call, reply)
        return reply
    }

    /// Journals a call that went past no dispatcher: an admin request, or one the HTTP edge
    /// refused before it could be read.
    public func record(_ operation: ServiceCall, _ reply: Reply) {
        let micros = Self.micros(since: operation.started)
        let now = clock.nowMillis()
        let status = reply.outcome.status
        let exchange = JournalExchange(operation, reply)
        journal.record { sequence in
            Journal.Entry(
                sequence: sequence, timeMillis: now, service: operation.service.rawValue, operation: operation.name.rawValue,
                status: status, latencyMicros: micros, requestId: operation.requestId, account: operation.caller.account,
                region: operation.caller.region, model: operation.model, stateMachine: operation.stateMachineName, attempt: operation.attempt, rule: reply.rule, fault: reply.fault, exchange: exchange)
        }
        observer?.answered(service: operation.service.rawValue, operation: operation.name.rawValue, status: status, latencyMicros: micros, fault: reply.fault)
        if logger.logLevel <= .debug {
            logger.debug(
                "\(operation.request.method) \(operation.service.rawValue) \(operation.name) \(status) \(Double(micros) / 1000)ms",
                metadata: ["requestId": .string(operation.requestId)])
        }
    }

    static func micros(since started: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - started
        return elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
    }
}
