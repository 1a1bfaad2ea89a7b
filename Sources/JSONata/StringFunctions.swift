import JSONCore

/// `$string`, `$substring`, `$replace`, `$match`, … (JSONata string functions). Lengths and
/// offsets count code points, as JSONata does.
enum StringFunctions {
    static func register(_ t: inout Builtins.Table) {
        Builtins.define(&t, "string", "<x-b?:s>") { _, a, _ throws(JSONataError) in
            if a[0].isUndefined { return .undefined }
            return .string(try Stringifier.cast(a[0], pretty: Builtins.argument(a, 1).truthy))
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
            guard missing <= maximumBuiltLength else { throw JSONataError("D3150", "Expression evaluation memory limit exceeded") }
            var padding = ""
            let fillScalars = Array(fill.unicodeScalars)
            for i in 0..<missing { padding.unicodeScalars.append(fillScalars[i % fillScalars.count]) }
            return .string(width > 0 ? s + padding : padding + s)
        }
        Builtins.define(&t, "contains", "<s-(sf):b>") { _, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            switch a[1] {
            case .string(let part): return .bool(part.isEmpty || s.contains(part))
            case .function(let f):
                guard case .regex(let pattern) = f.implementation else { return .bool(false) }
                return .bool(!matches(pattern, in: s, limit: 1).isEmpty)
            default: return .undefined
            }
        }
        Builtins.define(&t, "split", "<s-(sf)n?:a<s>>") { _, a, _ throws(JSONataError) in
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
                parts = []
                var last = s.startIndex
                for m in s.matches(of: pattern.regex) where !m.range.isEmpty {
                    parts.append(String(s[last..<m.range.lowerBound]))
                    last = m.range.upperBound
                }
                parts.append(String(s[last...]))
            default: return .undefined
            }
            if let limit { parts = Array(parts.prefix(limit)) }
            return .array(ValueArray(parts.map { .string($0) }))
        }
        Builtins.define(&t, "join", "<a<s>s?:s>") { _, a, _ throws(JSONataError) in
            guard case .array(let items) = a[0] else { return .undefined }
            let separator = Builtins.argument(a, 1).stringValue ?? ""
            return .string(items.items.compactMap(\.stringValue).joined(separator: separator))
        }
        Builtins.define(&t, "match", "<s-f<s:o>n?:a<o>>") { _, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            guard case .function(let f) = a[1], case .regex(let pattern) = f.implementation else {
                throw JSONataError("T1010", "The matcher function argument passed to function \"match\" does not return the correct object structure")
            }
            var limit = Int.max
            if let l = Builtins.argument(a, 2).numberValue {
                guard l >= 0 else { throw JSONataError("D3040", "Third argument of match function must evaluate to a positive number") }
                limit = Int(saturating: l)
            }
            return .array(Value.sequence(matches(pattern, in: s, limit: limit)))
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
            return .string(try replace(s, a[1], a[2], limit: limit, evaluator: evaluator))
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

    /// The longest string a function builds, as AWS bounds one value an expression makes.
    static let maximumBuiltLength = 6_990_256

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

    /// Match objects `{match, index, groups}`; `index` counts UTF-16 units, as JavaScript does.
    static func matches(_ pattern: Pattern, in s: String, limit: Int) -> [Value] {
        var out: [Value] = []
        for m in s.matches(of: pattern.regex) {
            if out.count >= limit { break }
            var object = ValueObject()
            object["match"] = .string(String(s[m.range]))
            object["index"] = .number(Double(s.utf16.distance(from: s.startIndex, to: m.range.lowerBound)))
            var groups: [Value] = []
            for i in 1..<max(1, m.output.count) { groups.append(.string(m.output[i].substring.map(String.init) ?? "")) }
            object["groups"] = .array(ValueArray(groups))
            out.append(.object(object))
        }
        return out
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
                last = r.upperBound
                searchFrom = r.upperBound
                count += 1
            }
        case .function(let f):
            guard case .regex(let regex) = f.implementation else { return s }
            for m in s.matches(of: regex.regex) {
                if count >= limit { break }
                if m.range.isEmpty {
                    throw JSONataError("D1004", "Regular expression matches zero length string")
                }
                out += s[last..<m.range.lowerBound]
                var groups: [String] = []
                for i in 1..<max(1, m.output.count) { groups.append(m.output[i].substring.map(String.init) ?? "") }
                let whole = String(s[m.range])
                var match = ValueObject()
                match["match"] = .string(whole)
                match["index"] = .number(Double(s.utf16.distance(from: s.startIndex, to: m.range.lowerBound)))
                match["groups"] = .array(ValueArray(groups.map { .string($0) }))
                out += try replacementText(replacement, match: .object(match), groups: groups, whole: whole, evaluator: evaluator)
                last = m.range.upperBound
                count += 1
            }
        default: return s
        }
        out += s[last...]
        return out
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
