import Locking

/// The replaying server's cassette: which recording answers a request, shared by every thread.
///
/// Equal requests (same fingerprint) are answered by their recordings in the order they were
/// made, then the last one again and again, as WireMock's scenarios and Hoverfly's sequences do:
/// a polled `DescribeExecution` recorded RUNNING, RUNNING, SUCCEEDED replays that way and then
/// stays SUCCEEDED. Requests are redacted as the recordings were before they are compared, so a
/// secret in a request does not stop it matching.
public final class ReplayBook: Sendable {
    public let redactor: Redactor
    public let rules: MatchRules
    private let writer: CassetteWriter?
    private let state: Locked<State>

    private struct State {
        var interactions: [RecordedInteraction] = []
        var files: [String?] = []
        var fingerprints: [RequestFingerprint] = []
        /// Positions of equal requests, in recorded order.
        var groups: [RequestFingerprint: [Int]] = [:]
        /// How many times each group has answered.
        var plays: [RequestFingerprint: Int] = [:]

        mutating func add(_ interaction: RecordedInteraction, file: String?, rules: MatchRules) {
            let fingerprint = RequestFingerprint(interaction, rules: rules)
            groups[fingerprint, default: []].append(interactions.count)
            interactions.append(interaction)
            files.append(file)
            fingerprints.append(fingerprint)
        }
    }

    /// `writer`, when given, is where `record` appends (`--on-miss record`); it should write to
    /// the cassette's own directory.
    public init(cassette: Cassette, redactor: Redactor = Redactor(), rules: MatchRules = .standard, writer: CassetteWriter? = nil) {
        self.redactor = redactor
        self.rules = rules
        self.writer = writer
        var state = State()
        for (i, interaction) in cassette.interactions.enumerated() {
            let file = cassette.index.entries.indices.contains(i) ? cassette.index.entries[i].file : nil
            state.add(interaction, file: file, rules: rules)
        }
        self.state = Locked(state)
    }

    public var count: Int { state.withLock { $0.interactions.count } }

    /// The recording that answers `query`, or the near miss.
    public func answer(_ query: ReplayQuery) -> ReplayAnswer {
        let restore = redactor.rules.accounts.restoring(as: query.callerAccount)
        let redacted = redactor.redactForMatching(query.request, resource: query.resource, accounts: restore.reversed)
        let fingerprint = RequestFingerprint(
            service: query.service, operation: query.operation, resource: redacted.resource, request: redacted.request, rules: rules)
        let found: (position: Int, play: Int, repeated: Bool, interaction: RecordedInteraction, file: String?)? = state.withLock { state in
            guard let positions = state.groups[fingerprint] else { return nil }
            let play = state.plays[fingerprint, default: 0]
            state.plays[fingerprint] = play + 1
            let position = positions[min(play, positions.count - 1)]
            return (position, play, play >= positions.count, state.interactions[position], state.files[position])
        }
        guard let found else {
            let (recorded, files) = state.withLock { ($0.fingerprints, $0.files) }
            return .miss(NearMissFinder.miss(for: fingerprint, among: recorded, files: files))
        }
        let interaction = redactor.mapAccounts(in: found.interaction, restore)
        return .recorded(
            ReplayHit(interaction: interaction, position: found.position, file: found.file, play: found.play, repeated: found.repeated))
    }

    /// Adds a new interaction (a miss forwarded upstream): written to the cassette when the book
    /// has a writer, then answerable like the others. Returns it as it was kept (redacted).
    @discardableResult
    public func record(_ interaction: RecordedInteraction) throws(CassetteFormatError) -> RecordedInteraction {
        var kept = interaction
        var file: String? = nil
        if let writer {
            let appended = try writer.append(interaction)
            kept = appended.interaction
            file = appended.entry.file
        } else {
            kept = redactor.redact(interaction).interaction
        }
        let rules = self.rules
        state.withLock { $0.add(kept, file: file, rules: rules) }
        return kept
    }

    /// Every sequence back to its first recording (the admin API's reset).
    public func rewind() { state.withLock { $0.plays = [:] } }

    /// Positions no request has been answered with yet (VCR's `allow_unused_http_interactions`).
    public func unplayed() -> [Int] {
        state.withLock { state in
            var used = Set<Int>()
            for (fingerprint, plays) in state.plays {
                guard let positions = state.groups[fingerprint] else { continue }
                used.formUnion(positions.prefix(plays))
            }
            return state.interactions.indices.filter { !used.contains($0) }
        }
    }
}
