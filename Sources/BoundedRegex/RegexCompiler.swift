/// Turns a `RegexNode` tree into a `RegexProgram`.
struct RegexCompiler {
    private var instructions: [RegexInstruction] = []
    private var sets: [CodeUnitSet] = []
    private var loopCount = 0
    let ignoreCase: Bool

    init(ignoreCase: Bool) { self.ignoreCase = ignoreCase }

    static func compile(_ parsed: RegexParser.Parsed, ignoreCase: Bool, multiline: Bool) -> RegexProgram {
        var compiler = RegexCompiler(ignoreCase: ignoreCase)
        compiler.emit(parsed.root)
        compiler.instructions.append(.succeed)
        return RegexProgram(
            instructions: compiler.instructions, sets: compiler.sets, groupCount: parsed.groupCount,
            loopCount: compiler.loopCount, ignoreCase: ignoreCase, multiline: multiline,
            anchoredAtStart: !multiline && Self.startsWithCaret(parsed.root),
            firstUnits: Self.firstUnits(parsed.root, ignoreCase: ignoreCase).flatMap { $0.nullable ? nil : $0.units })
    }

    /// The code units a match of `node` can start with, and whether it can match empty text;
    /// nil when that set is not worth knowing (`.`, negated classes, back-references).
    static func firstUnits(_ node: RegexNode, ignoreCase: Bool) -> (units: CodeUnitSet, nullable: Bool)? {
        switch node {
        case .empty, .assertion, .look: return (CodeUnitSet(), true)
        case .codeUnit(let unit):
            // With `i`, any unit whose folded form is this one's: the folded form is a member,
            // and the set's own folding finds the rest.
            let folded = ignoreCase ? CaseCanonicalization.canonical(unit) : unit
            return (CodeUnitSet([unit...unit, folded...folded]), false)
        case .any, .backReference, .namedBackReference: return nil
        case .set(let set): return set.negated ? nil : (set, false)
        case .group(let body, _): return firstUnits(body, ignoreCase: ignoreCase)
        case .repetition(let body, let min, _, _, _):
            guard let inner = firstUnits(body, ignoreCase: ignoreCase) else { return nil }
            return (inner.units, inner.nullable || min == 0)
        case .alternation(let items):
            var units = CodeUnitSet()
            var nullable = false
            for item in items {
                guard let first = firstUnits(item, ignoreCase: ignoreCase) else { return nil }
                units.formUnion(first.units)
                nullable = nullable || first.nullable
            }
            return (units, nullable)
        case .sequence(let items):
            var units = CodeUnitSet()
            for item in items {
                guard let first = firstUnits(item, ignoreCase: ignoreCase) else { return nil }
                units.formUnion(first.units)
                if !first.nullable { return (units, false) }
            }
            return (units, true)
        }
    }

    private static func startsWithCaret(_ node: RegexNode) -> Bool {
        switch node {
        case .assertion(.start): return true
        case .sequence(let items): return items.first.map(startsWithCaret) ?? false
        case .group(let body, _): return startsWithCaret(body)
        case .alternation(let items): return !items.isEmpty && items.allSatisfy(startsWithCaret)
        default: return false
        }
    }

    private var here: Int { instructions.count }

    private mutating func emit(_ node: RegexNode) {
        switch node {
        case .empty: break
        case .codeUnit(let unit):
            instructions.append(ignoreCase ? .foldedCodeUnit(CaseCanonicalization.canonical(unit)) : .codeUnit(unit))
        case .any: instructions.append(.any)
        case .set(let set): instructions.append(.set(add(set)))
        case .sequence(let items): for item in items { emit(item) }
        case .alternation(let items): emitAlternation(items)
        case .group(let body, let number):
            guard let number else { return emit(body) }
            instructions.append(.save(slot: 2 * number))
            emit(body)
            instructions.append(.save(slot: 2 * number + 1))
        case .repetition(let body, let min, let max, let greedy, let groups):
            emitRepetition(body, min: min, max: max, greedy: greedy, groups: groups)
        case .assertion(let assertion): instructions.append(.assert(assertion))
        case .backReference(let group): instructions.append(.backReference(group: group))
        case .namedBackReference: preconditionFailure("named back-references are resolved by the parser")
        case .look(let body, let behind, let negated):
            let look = here
            let widths = Self.widths(body)
            instructions.append(.look(behind: behind, negated: negated, end: 0, widths: widths))
            emit(body)
            instructions.append(.lookSucceed)
            instructions[look] = .look(behind: behind, negated: negated, end: here, widths: widths)
        }
    }

    private mutating func emitAlternation(_ items: [RegexNode]) {
        var exits: [Int] = []
        for (i, item) in items.enumerated() {
            if i == items.count - 1 {
                emit(item)
                break
            }
            let split = here
            instructions.append(.split(prefer: split + 1, otherwise: 0))
            emit(item)
            exits.append(here)
            instructions.append(.jump(0))
            instructions[split] = .split(prefer: split + 1, otherwise: here)
        }
        for exit in exits { instructions[exit] = .jump(here) }
    }

    private mutating func emitRepetition(_ body: RegexNode, min: Int, max: Int, greedy: Bool, groups: Range<Int>) {
        if max == 0 { return }
        if min == 1, max == 1 { return emit(body) }
        if let test = singleTest(body) {
            instructions.append(.repeatSingle(SingleRepeat(test: test, min: min, max: max, greedy: greedy)))
            return
        }
        let loop = loopCount
        loopCount += 1
        instructions.append(.loopEnter(loop: loop))
        let test = here
        instructions.append(.loopTest(loop: loop, min: min, max: max, greedy: greedy, exit: 0))
        instructions.append(.loopIterate(loop: loop))
        if !groups.isEmpty { instructions.append(.clearCaptures(groups: groups)) }
        emit(body)
        instructions.append(.loopEnd(loop: loop, min: min, test: test))
        instructions[test] = .loopTest(loop: loop, min: min, max: max, greedy: greedy, exit: here)
    }

    private mutating func singleTest(_ node: RegexNode) -> SingleRepeat.Test? {
        switch node {
        case .codeUnit(let unit): return ignoreCase ? .foldedCodeUnit(CaseCanonicalization.canonical(unit)) : .codeUnit(unit)
        case .any: return .any
        case .set(let set): return .set(add(set))
        case .group(let body, nil): return singleTest(body)
        default: return nil
        }
    }

    /// How many code units `node` can match, fewest to most (`Int.max`: unbounded).
    static func widths(_ node: RegexNode) -> ClosedRange<Int> {
        func sum(_ a: Int, _ b: Int) -> Int { a.addingReportingOverflow(b).overflow ? Int.max : a + b }
        func product(_ a: Int, _ b: Int) -> Int {
            if a == 0 || b == 0 { return 0 }
            return a.multipliedReportingOverflow(by: b).overflow ? Int.max : a * b
        }
        switch node {
        case .empty, .assertion, .look: return 0...0
        case .codeUnit, .any, .set: return 1...1
        case .backReference, .namedBackReference: return 0...Int.max
        case .group(let body, _): return widths(body)
        case .sequence(let items):
            return items.map(widths).reduce(0...0) { sum($0.lowerBound, $1.lowerBound)...sum($0.upperBound, $1.upperBound) }
        case .alternation(let items):
            let all = items.map(widths)
            return (all.map(\.lowerBound).min() ?? 0)...(all.map(\.upperBound).max() ?? 0)
        case .repetition(let body, let min, let max, _, _):
            let inner = widths(body)
            return product(inner.lowerBound, min)...product(inner.upperBound, max)
        }
    }

    private mutating func add(_ set: CodeUnitSet) -> Int {
        if let existing = sets.firstIndex(of: set) { return existing }
        sets.append(set)
        return sets.count - 1
    }
}
