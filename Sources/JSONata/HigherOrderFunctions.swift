/// `$map`, `$filter`, `$single`, `$reduce`, `$sort`, `$each`, `$sift`.
enum HigherOrderFunctions {
    static func register(_ t: inout Builtins.Table) {
        Builtins.define(&t, "map", "<af>") { evaluator, a, _ throws(JSONataError) in
            guard case .array(let array) = a[0], case .function(let f) = a[1] else { return .undefined }
            var out = Value.sequence()
            for (i, item) in array.items.enumerated() {
                let value = try evaluator.callback(f, item, i, a[0], position: 0)
                if !value.isUndefined { out.append(value) }
            }
            return .array(out)
        }
        Builtins.define(&t, "filter", "<af>") { evaluator, a, _ throws(JSONataError) in
            guard case .array(let array) = a[0], case .function(let f) = a[1] else { return .undefined }
            var out = Value.sequence()
            for (i, item) in array.items.enumerated() where try evaluator.callback(f, item, i, a[0], position: 0).truthy {
                out.append(item)
            }
            return .array(out)
        }
        Builtins.define(&t, "single", "<af?>") { evaluator, a, _ throws(JSONataError) in
            guard case .array(let array) = a[0] else { return .undefined }
            var found: Value? = nil
            for (i, item) in array.items.enumerated() {
                var matches = true
                if case .function(let f) = Builtins.argument(a, 1) { matches = try evaluator.callback(f, item, i, a[0], position: 0).truthy }
                guard matches else { continue }
                if found != nil {
                    throw JSONataError("D3138", "The $single() function expected exactly 1 matching result.  Instead it matched more.")
                }
                found = item
            }
            guard let found else {
                throw JSONataError("D3139", "The $single() function expected exactly 1 matching result.  Instead it matched 0.")
            }
            return found
        }
        Builtins.define(&t, "reduce", "<afj?:j>") { evaluator, a, _ throws(JSONataError) in
            guard case .array(let array) = a[0], case .function(let f) = a[1] else { return .undefined }
            guard f.arity >= 2 else {
                throw JSONataError("D3050", "The second argument of reduce function must be a function with at least two arguments")
            }
            var index = 0
            var accumulator = Builtins.argument(a, 2)
            if accumulator.isUndefined, !array.isEmpty {
                accumulator = array.items[0]
                index = 1
            }
            while index < array.count {
                var arguments = [accumulator, array.items[index]]
                if f.arity >= 3 { arguments.append(.number(Double(index))) }
                if f.arity >= 4 { arguments.append(a[0]) }
                accumulator = try evaluator.apply(f, arguments, context: accumulator, position: 0)
                index += 1
            }
            return accumulator
        }
        Builtins.define(&t, "sort", "<af?:a>") { evaluator, a, _ throws(JSONataError) in
            guard case .array(let array) = a[0] else { return .undefined }
            if array.count <= 1 { return a[0] }
            var failure: JSONataError? = nil
            let sorted: [Value]
            if case .function(let f) = Builtins.argument(a, 1) {
                // The comparator answers true when its first argument belongs after its second.
                sorted = Evaluator.stableSort(array.items) { x, y in
                    if failure != nil { return false }
                    do throws(JSONataError) { return try evaluator.apply(f, [y, x], context: .undefined, position: 0).truthy } catch {
                        failure = error
                        return false
                    }
                }
            } else if array.items.allSatisfy({ $0.numberValue != nil }) {
                sorted = Evaluator.stableSort(array.items) { $0.numberValue! < $1.numberValue! }
            } else if array.items.allSatisfy({ $0.stringValue != nil }) {
                sorted = Evaluator.stableSort(array.items) { Evaluator.less($0.stringValue!, $1.stringValue!) }
            } else {
                throw JSONataError("D3070", "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function")
            }
            if let failure { throw failure }
            return .array(ValueArray(sorted))
        }
        Builtins.define(&t, "each", "<o-f:a>") { evaluator, a, _ throws(JSONataError) in
            guard case .object(let o) = a[0], case .function(let f) = a[1] else { return .undefined }
            var out = Value.sequence()
            for (key, value) in o.members {
                var arguments = [value]
                if f.arity >= 2 { arguments.append(.string(key)) }
                if f.arity >= 3 { arguments.append(a[0]) }
                let result = try evaluator.apply(f, arguments, context: value, position: 0)
                if !result.isUndefined { out.append(result) }
            }
            return .array(out)
        }
        Builtins.define(&t, "sift", "<o-f?:o>") { evaluator, a, _ throws(JSONataError) in
            guard case .object(let o) = a[0], case .function(let f) = Builtins.argument(a, 1) else { return .undefined }
            var kept = ValueObject()
            for (key, value) in o.members {
                var arguments = [value]
                if f.arity >= 2 { arguments.append(.string(key)) }
                if f.arity >= 3 { arguments.append(a[0]) }
                if try evaluator.apply(f, arguments, context: value, position: 0).truthy { kept[key] = value }
            }
            return kept.isEmpty ? .undefined : .object(kept)
        }
    }
}
