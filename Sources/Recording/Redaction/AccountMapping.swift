/// Account ids to write in place of others: on record the real account becomes a placeholder
/// (`123456789012` unless configured), and on replay the placeholder becomes the replaying
/// caller's account, so the ARNs a client gets back name its own account.
///
/// An id is replaced only as a whole run of 12 digits (in an ARN, a bucket name, a queue URL),
/// never inside a longer number.
public struct AccountMapping: Sendable, Equatable {
    public static let defaultPlaceholder = "123456789012"

    /// What replaces what, in the order given.
    public private(set) var replacements: [(from: String, to: String)]

    public init() { replacements = [] }

    /// `pairs` maps a real account to its placeholder; a nil placeholder is `defaultPlaceholder`.
    public init(_ pairs: [(real: String, placeholder: String?)]) throws(RedactionRuleError) {
        replacements = []
        for pair in pairs {
            let placeholder = pair.placeholder ?? Self.defaultPlaceholder
            for id in [pair.real, placeholder] where !Self.isAccountID(id) {
                throw RedactionRuleError("account id \"\(id)\" must be 12 digits")
            }
            guard !replacements.contains(where: { $0.from == pair.real }) else {
                throw RedactionRuleError("account \(pair.real) is mapped twice")
            }
            replacements.append((pair.real, placeholder))
        }
    }

    private init(replacements: [(from: String, to: String)]) { self.replacements = replacements }

    public var isEmpty: Bool { replacements.isEmpty }

    public static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// For replay: each placeholder back to its real account, except that the first one
    /// becomes `callerAccount` when given (the account the replaying client signs as).
    public func restoring(as callerAccount: String?) -> AccountMapping {
        var back: [(from: String, to: String)] = []
        for (i, pair) in replacements.enumerated() where !back.contains(where: { $0.from == pair.to }) {
            let target = i == 0 ? (callerAccount ?? pair.from) : pair.from
            back.append((pair.to, target))
        }
        return AccountMapping(replacements: back)
    }

    /// The opposite direction (a replay request's accounts to the recorded placeholders).
    public var reversed: AccountMapping {
        AccountMapping(replacements: replacements.map { ($0.to, $0.from) }.filter { $0.0 != $0.1 })
    }

    /// `text` with every mapped account replaced, or nil when none occurs.
    func apply(to text: String) -> String? {
        guard !replacements.isEmpty else { return nil }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var copied = 0
        var i = 0
        while i < bytes.count {
            guard bytes[i] >= 0x30 && bytes[i] <= 0x39 else {
                i += 1
                continue
            }
            var end = i
            while end < bytes.count, bytes[end] >= 0x30 && bytes[end] <= 0x39 { end += 1 }
            if end - i == 12 {
                let run = String(decoding: bytes[i..<end], as: UTF8.self)
                if let target = replacements.first(where: { $0.from == run })?.to {
                    output.append(contentsOf: bytes[copied..<i])
                    output.append(contentsOf: target.utf8)
                    copied = end
                }
            }
            i = end
        }
        guard copied > 0 else { return nil }
        output.append(contentsOf: bytes[copied...])
        return String(decoding: output, as: UTF8.self)
    }

    public static func == (lhs: AccountMapping, rhs: AccountMapping) -> Bool {
        lhs.replacements.elementsEqual(rhs.replacements) { $0.from == $1.from && $0.to == $1.to }
    }
}
