import AWSWire
import Determinism
import JSONCore

/// The functions Step Functions adds to JSONata: `$partition`, `$range`, `$hash`,
/// `$random` (with an optional seed), `$uuid` and `$parse`.
enum StepFunctionsFunctions {
    static func register(_ t: inout Builtins.Table) {
        Builtins.define(&t, "partition", "<an:a>") { _, a, _ throws(JSONataError) in
            guard case .array(let array) = a[0], let size = a[1].numberValue else { return .undefined }
            let chunk = Int(saturating: size.rounded(.towardZero))
            guard chunk > 0, !array.isEmpty else { return .undefined }
            var out: [Value] = []
            var start = 0
            while start < array.count {
                out.append(.array(ValueArray(Array(array.items[start..<min(start + chunk, array.count)]))))
                start += chunk
            }
            return .array(ValueArray(out))
        }
        Builtins.define(&t, "range", "<nnn:a>") { evaluator, a, _ throws(JSONataError) in
            guard let s = a[0].numberValue, let e = a[1].numberValue, let st = a[2].numberValue else { return .undefined }
            guard s.isFinite, e.isFinite, st.isFinite else { return .undefined }
            let start = Int(saturating: s.rounded(.towardZero)), end = Int(saturating: e.rounded(.towardZero)), step = Int(saturating: st.rounded(.towardZero))
            if step == 0 || (step > 0 && start > end) || (step < 0 && start < end) { return .undefined }
            let count = abs(end - start) / abs(step) + 1
            // AWS's own ceiling on the array $range builds.
            guard count <= 360_145 else { throw JSONataError("D3150", "Expression evaluation memory limit exceeded") }
            if count == 1 { return .number(Double(start)) }
            try evaluator.budget.built(items: count)
            return .array(ValueArray((0..<count).map { .number(Double(start + $0 * step)) }))
        }
        Builtins.define(&t, "hash", "<(sbnoal)s:s>") { _, a, _ throws(JSONataError) in
            guard !a[0].isUndefined, case .string(let algorithm) = a[1] else { return .undefined }
            let bytes: [UInt8]
            if case .string(let s) = a[0] { bytes = Array(s.utf8) } else { bytes = Array(Stringifier.string(a[0]).utf8) }
            guard let digest = Digest.hex(algorithm: algorithm, bytes) else {
                throw JSONataError("D3137", "Unsupported hash algorithm '\(algorithm)'. Supported algorithms are MD5, SHA-1, SHA-256, SHA-384 and SHA-512")
            }
            return .string(digest)
        }
        Builtins.define(&t, "random", "<n?:n>") { evaluator, a, _ throws(JSONataError) in
            var bits: UInt64
            if let seed = Builtins.argument(a, 0).numberValue {
                // The same seed gives the same number, in every execution.
                let digest = Digest.sha256(Array(NumberFormat.javaScript(seed.rounded(.towardZero)).utf8))
                bits = digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
            } else {
                bits = evaluator.random()
            }
            return .number(Double(bits >> 11) / Double(UInt64(1) << 53))
        }
        Builtins.define(&t, "uuid", "<:s>") { evaluator, _, _ throws(JSONataError) in
            // As States.UUID makes one: a generator seeded from the execution's stream.
            var generator = SeededRandom(seed: evaluator.random())
            return .string(generator.uuidV4())
        }
        Builtins.define(&t, "parse", "<s-:j>") { _, a, _ throws(JSONataError) in
            guard case .string(let s) = a[0] else { return .undefined }
            do {
                return Value(try JSONParser.parse(s))
            } catch {
                throw JSONataError("D3030", "Unable to parse JSON string: \"\(s)\"")
            }
        }
    }
}
