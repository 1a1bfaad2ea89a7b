/// Aggregation, boolean, array and object functions of JSONata.
enum CollectionFunctions {
    static func register(_ t: inout Builtins.Table) {
        Builtins.define(&t, "count", "<a:n>") { _, a, _ throws(JSONataError) in
            .number(Double(a[0].members.count))
        }
        Builtins.define(&t, "sum", "<a<n>:n>") { _, a, _ throws(JSONataError) in
            if a[0].isUndefined { return .undefined }
            return .number(a[0].members.reduce(0) { $0 + ($1.numberValue ?? 0) })
        }
        Builtins.define(&t, "max", "<a<n>:n>") { _, a, _ throws(JSONataError) in
            let numbers = a[0].members.compactMap(\.numberValue)
            return numbers.max().map(Value.number) ?? .undefined
        }
        Builtins.define(&t, "min", "<a<n>:n>") { _, a, _ throws(JSONataError) in
            let numbers = a[0].members.compactMap(\.numberValue)
            return numbers.min().map(Value.number) ?? .undefined
        }
        Builtins.define(&t, "average", "<a<n>:n>") { _, a, _ throws(JSONataError) in
            let numbers = a[0].members.compactMap(\.numberValue)
            guard !numbers.isEmpty else { return .undefined }
            return .number(numbers.reduce(0, +) / Double(numbers.count))
        }
        Builtins.define(&t, "boolean", "<x-:b>") { _, a, _ throws(JSONataError) in
            a[0].isUndefined ? .undefined : .bool(a[0].truthy)
        }
        Builtins.define(&t, "not", "<x-:b>") { _, a, _ throws(JSONataError) in
            a[0].isUndefined ? .undefined : .bool(!a[0].truthy)
        }
        Builtins.define(&t, "exists", "<x:b>") { _, a, _ throws(JSONataError) in
            .bool(!a[0].isUndefined)
        }
        Builtins.define(&t, "type", "<x:s>") { _, a, _ throws(JSONataError) in
            a[0].isUndefined ? .undefined : .string(a[0].typeName)
        }
        Builtins.define(&t, "append", "<xx:a>") { evaluator, a, _ throws(JSONataError) in
            let appended = Evaluator.append(a[0], Builtins.argument(a, 1))
            try evaluator.budget.built(items: appended.members.count)
            return appended
        }
        Builtins.define(&t, "reverse", "<a:a>") { _, a, _ throws(JSONataError) in
            guard case .array(var array) = a[0] else { return .undefined }
            array.items.reverse()
            return .array(array)
        }
        Builtins.define(&t, "distinct", "<x:x>") { evaluator, a, _ throws(JSONataError) in
            guard case .array(let array) = a[0], array.count > 1 else { return a[0] }
            // Strings, numbers, booleans and null by a hashed key; arrays and objects compared
            // deeply with the ones kept so far, each comparison a step of the budget.
            var unique = ValueArray([], sequence: array.sequence)
            var seen: Set<DistinctKey> = []
            var structures: [Value] = []
            for item in array.items {
                if let key = DistinctKey(item) {
                    if seen.insert(key).inserted { unique.append(item) }
                    continue
                }
                try evaluator.budget.step(structures.count)
                if !structures.contains(where: { $0.deepEquals(item) }) {
                    structures.append(item)
                    unique.append(item)
                }
            }
            return .array(unique)
        }
        Builtins.define(&t, "shuffle", "<a:a>") { evaluator, a, _ throws(JSONataError) in
            guard case .array(var array) = a[0] else { return .undefined }
            // Fisher–Yates from the evaluation's seeded source.
            var i = array.count - 1
            while i > 0 {
                let j = Int(evaluator.random() % UInt64(i + 1))
                array.items.swapAt(i, j)
                i -= 1
            }
            return .array(array)
        }
        Builtins.define(&t, "zip", "<a+>") { evaluator, a, _ throws(JSONataError) in
            let arrays = a.map(\.members)
            let length = arrays.map(\.count).min() ?? 0
            try evaluator.budget.built(items: length * (arrays.count + 1))
            var out: [Value] = []
            for i in 0..<length { out.append(.array(ValueArray(arrays.map { $0[i] }))) }
            return .array(ValueArray(out))
        }
        Builtins.define(&t, "keys", "<x-:a<s>>") { _, a, _ throws(JSONataError) in
            switch a[0] {
            case .object, .array: break
            default: return .undefined
            }
            var keys: [String] = []
            for item in a[0].members {
                guard case .object(let o) = item else { continue }
                for key in o.keys where !keys.contains(key) { keys.append(key) }
            }
            return .array(Value.sequence(keys.map { .string($0) }))
        }
        Builtins.define(&t, "lookup", "<x-s:x>") { _, a, _ throws(JSONataError) in
            guard case .string(let key) = a[1] else { return .undefined }
            return Evaluator.lookup(a[0], key)
        }
        Builtins.define(&t, "spread", "<x-:a<o>>") { _, a, _ throws(JSONataError) in
            func spread(_ v: Value, into out: inout [Value]) {
                switch v {
                case .array(let array): for item in array.items { spread(item, into: &out) }
                case .object(let o):
                    for (key, value) in o.members {
                        var single = ValueObject()
                        single[key] = value
                        out.append(.object(single))
                    }
                default: out.append(v)
                }
            }
            switch a[0] {
            case .object, .array: break
            default: return a[0]
            }
            var out: [Value] = []
            spread(a[0], into: &out)
            return .array(Value.sequence(out))
        }
        Builtins.define(&t, "merge", "<a<o>:o>") { _, a, _ throws(JSONataError) in
            if a[0].isUndefined { return .undefined }
            var merged = ValueObject()
            for item in a[0].members {
                guard case .object(let o) = item else { continue }
                for (key, value) in o.members { merged[key] = value }
            }
            return .object(merged)
        }
        Builtins.define(&t, "error", "<s?:x>") { _, a, _ throws(JSONataError) in
            throw JSONataError("D3137", Builtins.argument(a, 0).stringValue ?? "$error() function evaluated")
        }
        Builtins.define(&t, "assert", "<bs?:x>") { _, a, _ throws(JSONataError) in
            guard case .bool(let condition) = a[0] else {
                throw JSONataError("T0410", "Argument 1 of function \"assert\" does not match function signature")
            }
            if !condition { throw JSONataError("D3141", Builtins.argument(a, 1).stringValue ?? "$assert() statement failed") }
            return .undefined
        }
    }
}
