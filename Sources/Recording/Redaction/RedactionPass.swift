import AWSWire
import BoundedRegex
import JSONCore

/// One run of the redaction rules over one interaction: the rules, the account direction, and
/// what each pattern may still spend. A pattern that runs out of steps on a string replaces
/// that whole string (fail closed) and is noted, so a bad pattern costs bounded time and
/// never lets a secret through.
struct RedactionPass {
    let rules: [RedactionRule]
    let accounts: AccountMapping
    let stepsPerCharacter: Int
    private var allowance: [Int]
    private(set) var notes: [String] = []

    init(rules: [RedactionRule], accounts: AccountMapping, steps: Int, stepsPerCharacter: Int) {
        self.rules = rules
        self.accounts = accounts
        self.stepsPerCharacter = stepsPerCharacter
        allowance = Array(repeating: steps, count: rules.count)
    }

    /// `text` with literals, patterns and accounts replaced.
    mutating func text(_ text: String) -> String {
        var result = text
        for (i, rule) in rules.enumerated() {
            switch rule {
            case .literal(let secret, let placeholder):
                if result.contains(secret) { result = result.replacing(secret, with: placeholder) }
            case .pattern(let pattern):
                let earned = stepsPerCharacter.multipliedReportingOverflow(by: result.utf16.count + 4)
                allowance[i] = earned.overflow ? Int.max : allowance[i].addingReportingOverflow(earned.partialValue).partialValue
                var budget = RegexBudget(steps: max(0, allowance[i]))
                do {
                    if let replaced = try pattern.replacingMatches(in: result, budget: &budget) { result = replaced }
                    allowance[i] = budget.remaining
                } catch {
                    allowance[i] = 0
                    result = pattern.placeholder
                    let note = "redaction pattern \(pattern.regex.source) ran out of steps; the text it was run on was replaced whole"
                    if !notes.contains(note) { notes.append(note) }
                }
            case .path:
                continue
            }
        }
        return accounts.apply(to: result) ?? result
    }

    /// Replaces what the JSON path rules select; returns whether any did.
    mutating func paths(_ value: inout JSONValue) -> Bool {
        var changed = false
        for case .path(let path, let placeholder) in rules {
            changed = path.rewrite(&value) { _ in .string(placeholder) } || changed
        }
        return changed
    }

    /// Runs `text` over every string value (not member names); returns whether any changed.
    mutating func strings(_ value: inout JSONValue) -> Bool {
        switch value {
        case .string(let original):
            let redacted = text(original)
            guard redacted != original else { return false }
            value = .string(redacted)
            return true
        case .array(var array):
            var changed = false
            for i in array.indices { changed = strings(&array[i]) || changed }
            if changed { value = .array(array) }
            return changed
        case .object(let object):
            var rebuilt = JSONObject(minimumCapacity: object.count)
            var changed = false
            for member in object {
                var child = member.value
                changed = strings(&child) || changed
                rebuilt[member.key] = child
            }
            if changed { value = .object(rebuilt) }
            return changed
        case .null, .bool, .number:
            return false
        }
    }

    /// A body with the rules applied; JSON written as text is read so its strings are seen
    /// decoded (a secret written with `\u` escapes is still found).
    mutating func body(_ body: RecordedBody) -> RecordedBody {
        switch body {
        case .empty, .binary:
            return body
        case .json(var value):
            let changed = paths(&value)
            return strings(&value) || changed ? .json(value) : body
        case .text(let original):
            if var value = try? JSONParser.parse(original) {
                let changed = paths(&value)
                return strings(&value) || changed ? .json(value) : body
            }
            let redacted = text(original)
            return redacted == original ? body : .text(redacted)
        }
    }

    /// A frame with the rules applied to its string headers and payload, paths also relative
    /// to a chunk's decoded `bytes`.
    mutating func frame(_ frame: RecordedFrame) -> RecordedFrame {
        var frame = frame
        for i in frame.headers.indices {
            if case .string(let original) = frame.headers[i].value {
                frame.headers[i].value = .string(text(original))
            }
        }
        guard frame.decodedBytes != nil, case .json(.object(var outer)) = frame.payload, var inner = outer["bytes"] else {
            frame.payload = body(frame.payload)
            return frame
        }
        var changed = false
        if frame.decodedBytes == .text, case .string(let innerText) = inner, var parsed = try? JSONParser.parse(innerText), paths(&parsed) {
            inner = parsed
            frame.decodedBytes = .json
            changed = true
        } else if frame.decodedBytes == .json {
            changed = paths(&inner)
        }
        outer["bytes"] = inner
        var value = JSONValue.object(outer)
        changed = paths(&value) || changed
        changed = strings(&value) || changed
        if changed { frame.payload = .json(value) }
        return frame
    }
}
