import BoundedRegex
import JSONCore

/// `$string`, `$substring`, `$replace`, `$match`, … (JSONata string functions). Lengths and
/// offsets count code points, as JSONata does.
enum StringFunctions {
    static func register(_ t: inout Builtins.Table) {
        Builtins.define(&t, "string", "<x-b?:s>") { evaluator, a, _ throws(JSONataError) in
            if a[0].isUndefined { return .undefined }
            let text = try Stringifier.cast(a[0], pretty: Builtins.argument(a, 1).truthy)
            try evaluator.budget.built(string: text)
            return .string(text)
        }
        Builtins.define(&t, "length", "<s-:n>") { _, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            return .number(Double(s.unicodeScalars.count))
        }
        Builtins.define(&t, "substring", "<s-nn?:s>") { _, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0], let start = a[1].numberValue else { return .undefined }
            return .string(substring(s, start: start, length: Builtins.argument(a, 2).numberValue))
        }
        Builtins.define(&t, "substringBefore", "<s-s:s>") { _, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            guard case .string(let chars) = a[1], let r = s.firstRange(of: chars) else { return a[0] }
            return .string(String(s[..<r.lowerBound]))
        }
        Builtins.define(&t, "substringAfter", "<s-s:s>") { _, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            guard case .string(let chars) = a[1], let r = s.firstRange(of: chars) else { return a[0] }
            return .string(String(s[r.upperBound...]))
        }
        Builtins.define(&t, "lowercase", "<s-:s>") { _, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            return .string(s.lowercased())
        }
        Builtins.define(&t, "uppercase", "<s-:s>") { _, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            return .string(s.uppercased())
        }
        Builtins.define(&t, "trim", "<s-:s>") { _, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            return .string(trim(s))
        }
        Builtins.define(&t, "pad", "<s-ns?:s>") { _, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0], let width = a[1].numberValue else { return .undefined }
            var fill = Builtins.argument(a, 2).stringValue ?? " "
            if fill.isEmpty { fill = " " }
            let missing = Int(saturating: abs(width)) - s.unicodeScalars.count
            guard missing > 0 else { return a[0] }
            guard missing <= EvaluationBudget.maximumStringLength else { throw JSONataError("D3150", "Expression evaluation memory limit exceeded") }
            var padding = ""
            let fillScalars = Array(fill.unicodeScalars)
            for i in 0..<missing { padding.unicodeScalars.append(fillScalars[i % fillScalars.count]) }
            return .string(width > 0 ? s + padding : padding + s)
        }
        Builtins.define(&t, "contains", "<s-(sf):b>") { evaluator, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            switch a[1] {
            case .string(let part): return .bool(part.isEmpty || s.contains(part))
            case .function(let f):
                guard case .regex(let pattern) = f.implementation else { return .bool(false) }
                var search = RegexSearch(pattern, in: s)
                return .bool(try search.next(&evaluator.budget) != nil)
            default: return .undefined
            }
        }
        Builtins.define(&t, "split", "<s-(sf)n?:a<s>>") { evaluator, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            var limit: Int? = nil
            if let l = Builtins.argument(a, 2).numberValue {
                guard l >= 0 else { throw JSONataError("D3020", "Third argument of split function must evaluate to a positive number") }
                limit = Int(saturating: l)
            }
            var parts: [String]
            switch a[1] {
            case .string(let separator):
                if separator.isEmpty {
                    parts = s.map { String($0) }
                } else {
                    parts = s.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
                }
            case .function(let f):
                guard case .regex(let pattern) = f.implementation else {
                    throw JSONataError("T1010", "The matcher function argument passed to function \"split\" does not return the correct object structure")
                }
                parts = try split(s, pattern, limit: limit ?? Int.max, budget: &evaluator.budget)
            default: return .undefined
            }
            if let limit { parts = Array(parts.prefix(limit)) }
            try evaluator.budget.built(items: parts.count)
            return .array(ValueArray(parts.map { .string($0) }))
        }
        Builtins.define(&t, "join", "<a<s>s?:s>") { evaluator, a, _ throws(JSONataError) in
            guard case .array(let items) = a[0] else { return .undefined }
            let separator = Builtins.argument(a, 1).stringValue ?? ""
            let strings = items.items.compactMap(\.stringValue)
            try evaluator.budget.built(stringOfLength: strings.reduce(separator.utf8.count * strings.count) { $0 + $1.utf8.count })
            return .string(strings.joined(separator: separator))
        }
        Builtins.define(&t, "match", "<s-f<s:o>n?:a<o>>") { evaluator, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            guard case .function(let f) = a[1], case .regex(let pattern) = f.implementation else {
                throw JSONataError("T1010", "The matcher function argument passed to function \"match\" does not return the correct object structure")
            }
            var limit = Int.max
            if let l = Builtins.argument(a, 2).numberValue {
                guard l >= 0 else { throw JSONataError("D3040", "Third argument of match function must evaluate to a positive number") }
                limit = Int(saturating: l)
            }
            let found = try matches(pattern, in: s, limit: limit, budget: &evaluator.budget)
            try evaluator.budget.built(items: found.count)
            return .array(Value.sequence(found))
        }
        Builtins.define(&t, "replace", "<s-(sf)(sf)n?:s>") { evaluator, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            if case .string(let p) = a[1], p.isEmpty {
                throw JSONataError("D3010", "Second argument of replace function cannot be an empty string")
            }
            var limit = Int.max
            if let l = Builtins.argument(a, 3).numberValue {
                guard l >= 0 else { throw JSONataError("D3011", "Fourth argument of replace function must evaluate to a positive number") }
                limit = Int(saturating: l)
            }
            let replaced = try replace(s, a[1], a[2], limit: limit, evaluator: evaluator)
            try evaluator.budget.built(string: replaced)
            return .string(replaced)
        }
        Builtins.define(&t, "base64encode", "<s-:s>") { _, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            return .string(Base64.encode(Array(s.utf8)))
        }
        Builtins.define(&t, "base64decode", "<s-:s>") { _, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            guard let bytes = Base64.decode(s) else { return .undefined }
            return .string(String(decoding: bytes, as: UTF8.self))
        }
        for (name, keep) in [("encodeUrlComponent", "-_.!~*'()"), ("encodeUrl", "-_.!~*'();/?:@&=+$,#")] {
            Builtins.define(&t, name, "<s-:s>") { _, a, _ throws(JSONataError) in
                guard case .string(let s) = a[0] else { return .undefined }
                return .string(percentEncode(s, keeping: keep))
            }
        }
        for name in ["decodeUrlComponent", "decodeUrl"] {
            Builtins.define(&t, name, "<s-:s>") { _, a, _ throws(JSONataError) in
                guard case .string(let s) = a[0] else { return .undefined }
                guard let decoded = percentDecode(s) else {
                    throw JSONataError("D3140", "Malformed URL passed to $\(name)(): \"\(s)\"")
                }
                return .string(decoded)
            }
        }
    }

    /// JavaScript `slice` semantics over code points.
    static func substring(_ s: String, start: Double, length: Double?) -> String {
        let scalars = Array(s.unicodeScalars)
        let count = scalars.count
        var from = Int(saturating: start.rounded(.towardZero))
        if count + from < 0 { from = 0 }
        if from < 0 { from += count }
        from = min(from, count)
        var to = count
        if let length {
            if length <= 0 { return "" }
            to = min(count, from + Swift.min(count, Int(saturating: length.rounded(.towardZero))))
        }
        guard from < to else { return "" }
        var out = ""
        out.unicodeScalars.append(contentsOf: scalars[from..<to])
        return out
    }

    static func trim(_ s: String) -> String {
        var out = ""
        var pendingSpace = false
        for scalar in s.unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                pendingSpace = true
            } else {
                if pendingSpace, !out.isEmpty { out += " " }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Match objects `{match, index, groups}` (`$match`), as jsonata-js walks them: the next
    /// match is taken even after the last one `limit` allows, so an empty later match fails.
    static func matches(_ pattern: Pattern, in s: String, limit: Int, budget: inout EvaluationBudget) throws(JSONataError) -> [Value] {
        var out: [Value] = []
        guard limit > 0 else { return out }
        var search = RegexSearch(pattern, in: s)
        var match = try search.next(&budget)
        while let found = match, out.count < limit {
            out.append(search.object(found))
            match = try search.next(&budget)
        }
        return out
    }

    /// `$split` by a regex: the text between matches, jsonata-js's way (an empty first match
    /// splits off an empty string; a later empty one fails with D1004).
    static func split(_ s: String, _ pattern: Pattern, limit: Int, budget: inout EvaluationBudget) throws(JSONataError) -> [String] {
        guard limit > 0 else { return [] }
        var search = RegexSearch(pattern, in: s)
        var parts: [String] = []
        var start = 0
        var match = try search.next(&budget)
        while let found = match, parts.count < limit {
            parts.append(search.string(start..<found.range.lowerBound))
            start = found.range.upperBound
            match = try search.next(&budget)
        }
        if parts.count < limit { parts.append(search.string(start..<search.text.count)) }
        return parts
    }

    private static func replace(_ s: String, _ pattern: Value, _ replacement: Value, limit: Int, evaluator: Evaluator) throws(JSONataError) -> String {
        var out = ""
        var last = s.startIndex
        var count = 0
        switch pattern {
        case .string(let p):
            var searchFrom = s.startIndex
            while count < limit, let r = s[searchFrom...].firstRange(of: p) {
                out += s[last..<r.lowerBound]
                switch replacement {
                case .string(let text): out += text
                default:
                    var match = ValueObject()
                    match["match"] = .string(p)
                    match["index"] = .number(Double(s.utf16.distance(from: s.startIndex, to: r.lowerBound)))
                    match["groups"] = .array(ValueArray([]))
                    out += try replacementText(replacement, match: .object(match), groups: [], whole: p, evaluator: evaluator)
                }
                if out.utf8.count > EvaluationBudget.maximumStringLength { try evaluator.budget.built(string: out) }
                last = r.upperBound
                searchFrom = r.upperBound
                count += 1
            }
        case .function(let f):
            guard case .regex(let regex) = f.implementation else { return s }
            return try replace(s, regex, replacement, limit: limit, evaluator: evaluator)
        default: return s
        }
        out += s[last...]
        return out
    }

    /// `$replace` by a regex, jsonata-js's way: each match replaced in turn, the next match
    /// taken after each (so a later empty match fails with D1004), the result held to the
    /// longest string an evaluation may build.
    private static func replace(_ s: String, _ pattern: Pattern, _ replacement: Value, limit: Int, evaluator: Evaluator) throws(JSONataError) -> String {
        var search = RegexSearch(pattern, in: s)
        var out = ""
        var position = 0
        var count = 0
        var match = try search.next(&evaluator.budget)
        while let found = match, count < limit {
            out += search.string(position..<found.range.lowerBound)
            let whole = search.string(found.range)
            out += try replacementText(replacement, match: search.object(found), groups: search.groups(found), whole: whole, evaluator: evaluator)
            if out.utf8.count > EvaluationBudget.maximumStringLength { try evaluator.budget.built(string: out) }
            position = found.range.upperBound
            count += 1
            match = try search.next(&evaluator.budget)
        }
        return out + search.string(position..<search.text.count)
    }

    /// A replacement string with `$0`, `$1`… (and `$$`) substituted, or a function's answer.
    private static func replacementText(_ replacement: Value, match: Value, groups: [String], whole: String, evaluator: Evaluator) throws(JSONataError) -> String {
        switch replacement {
        case .string(let text):
            var out = ""
            let scalars = Array(text.unicodeScalars)
            var i = 0
            while i < scalars.count {
                if scalars[i] == "$", i + 1 < scalars.count {
                    if scalars[i + 1] == "$" {
                        out += "$"
                        i += 2
                        continue
                    }
                    var j = i + 1
                    var number = 0
                    var digits = 0
                    while j < scalars.count, ("0"..."9").contains(scalars[j]) {
                        let next = number * 10 + Int(scalars[j].value - 48)
                        if digits > 0, next > groups.count { break }
                        number = next
                        digits += 1
                        j += 1
                    }
                    if digits > 0 {
                        if number == 0 { out += whole } else if number <= groups.count { out += groups[number - 1] }
                        i = j
                        continue
                    }
                }
                out.unicodeScalars.append(scalars[i])
                i += 1
            }
            return out
        case .function(let f):
            let value = try evaluator.apply(f, [match], context: match, position: 0)
            guard case .string(let s) = value else {
                throw JSONataError("D3012", "Attempted to replace a matched string with a non-string value")
            }
            return s
        default: return ""
        }
    }

    static func percentEncode(_ s: String, keeping: String) -> String {
        let keep = Set(keeping.utf8)
        var out = ""
        for byte in s.utf8 {
            let isAlnum = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            if isAlnum || keep.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    static func percentDecode(_ s: String) -> String? {
        var bytes: [UInt8] = []
        let utf8 = Array(s.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%") {
                guard i + 2 < utf8.count, let byte = UInt8(String(decoding: utf8[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(byte)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
