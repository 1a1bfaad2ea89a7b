/// Runs a `RegexProgram` over UTF-16 code units by backtracking, the way JavaScript's engines
/// do, so the first match and its captures are JavaScript's. State is values only: the
/// position, capture slots, loop counters, and one explicit stack of choice points and undo
/// records (no recursion but for lookarounds, whose nesting the pattern bounds). Every
/// instruction and backtrack spends one step of the budget, so no pattern runs unbounded.
struct RegexMatcher {
    let program: RegexProgram
    let text: [UInt16]
    var captures: [Int]
    private var loopCounts: [Int]
    private var loopStarts: [Int]
    private var stack: [Entry] = []
    private var steps: Int
    private let stepLimit: Int

    /// A choice point to go back to, or the value to restore when backtracking past it.
    private enum Entry {
        case resume(pc: Int, position: Int)
        case restoreSlot(Int, Int)
        case restoreLoop(Int, count: Int, start: Int)
        /// The `repeatSingle` at `pc` that started at `start` and last tried `count` units.
        case single(pc: Int, start: Int, count: Int)

        var isChoice: Bool {
            switch self {
            case .resume, .single: return true
            case .restoreSlot, .restoreLoop: return false
            }
        }
    }

    init(program: RegexProgram, text: [UInt16], budget: RegexBudget) {
        self.program = program
        self.text = text
        captures = Array(repeating: -1, count: 2 * (program.groupCount + 1))
        loopCounts = Array(repeating: 0, count: program.loopCount)
        loopStarts = Array(repeating: -1, count: program.loopCount)
        steps = budget.remaining
        stepLimit = budget.limit
    }

    /// The steps left, for the caller's budget.
    var remainingSteps: Int { Swift.max(steps, 0) }

    /// Tries the program at `start` only; the end of the match, with `captures` filled in.
    mutating func match(at start: Int) throws(RegexBudgetExceeded) -> Int? {
        for i in captures.indices { captures[i] = -1 }
        stack.removeAll(keepingCapacity: true)
        return try run(pc: 0, position: start, lookbehindEnd: nil)
    }

    /// The first position at or after `position` where a match could start, by the
    /// program's first units, spending a step for each position passed over.
    mutating func candidate(from position: Int) throws(RegexBudgetExceeded) -> Int {
        guard let first = program.firstUnits else { return position }
        var at = position
        while at < text.count, !first.matches(text[at], ignoreCase: program.ignoreCase) {
            try spend()
            at += 1
        }
        return at
    }

    private mutating func spend() throws(RegexBudgetExceeded) {
        steps -= 1
        if steps < 0 { throw RegexBudgetExceeded(.steps, limit: stepLimit) }
    }

    private mutating func push(_ entry: Entry) throws(RegexBudgetExceeded) {
        if stack.count >= RegexBudget.maximumBacktrackDepth {
            throw RegexBudgetExceeded(.backtrackDepth, limit: RegexBudget.maximumBacktrackDepth)
        }
        stack.append(entry)
    }

    private mutating func setSlot(_ slot: Int, _ value: Int) throws(RegexBudgetExceeded) {
        try push(.restoreSlot(slot, captures[slot]))
        captures[slot] = value
    }

    // MARK: the machine

    private mutating func run(pc startPC: Int, position startPosition: Int, lookbehindEnd: Int?) throws(RegexBudgetExceeded) -> Int? {
        let base = stack.count
        var pc = startPC
        var position = startPosition
        let instructions = program.instructions
        while true {
            try spend()
            var failed = false
            switch instructions[pc] {
            case .codeUnit(let unit):
                if position < text.count, text[position] == unit { position += 1; pc += 1 } else { failed = true }
            case .foldedCodeUnit(let unit):
                if position < text.count, CaseCanonicalization.canonical(text[position]) == unit { position += 1; pc += 1 } else { failed = true }
            case .any:
                if position < text.count, !CodeUnitSet.isLineTerminator(text[position]) { position += 1; pc += 1 } else { failed = true }
            case .set(let index):
                if position < text.count, program.sets[index].matches(text[position], ignoreCase: program.ignoreCase) { position += 1; pc += 1 } else { failed = true }
            case .assert(let assertion):
                if holds(assertion, at: position) { pc += 1 } else { failed = true }
            case .split(let prefer, let otherwise):
                try push(.resume(pc: otherwise, position: position))
                pc = prefer
            case .jump(let target):
                pc = target
            case .save(let slot):
                try setSlot(slot, position)
                pc += 1
            case .clearCaptures(let groups):
                for slot in (2 * groups.lowerBound)..<(2 * groups.upperBound) where captures[slot] != -1 { try setSlot(slot, -1) }
                pc += 1
            case .backReference(let group):
                if let end = backReference(group, at: position) { position = end; pc += 1 } else { failed = true }
            case .repeatSingle(let repeated):
                if let count = try startRepeat(repeated, at: position) {
                    if repeated.greedy ? count > repeated.min : count < repeated.max {
                        try push(.single(pc: pc, start: position, count: count))
                    }
                    position += count
                    pc += 1
                } else {
                    failed = true
                }
            case .loopEnter(let loop):
                try push(.restoreLoop(loop, count: loopCounts[loop], start: loopStarts[loop]))
                loopCounts[loop] = 0
                pc += 1
            case .loopTest(let loop, let min, let max, let greedy, let exit):
                let count = loopCounts[loop]
                if count < min {
                    pc += 1
                } else if count >= max {
                    pc = exit
                } else if greedy {
                    try push(.resume(pc: exit, position: position))
                    pc += 1
                } else {
                    try push(.resume(pc: pc + 1, position: position))
                    pc = exit
                }
            case .loopIterate(let loop):
                try push(.restoreLoop(loop, count: loopCounts[loop], start: loopStarts[loop]))
                loopStarts[loop] = position
                pc += 1
            case .loopEnd(let loop, let min, let test):
                if position == loopStarts[loop], loopCounts[loop] >= min {
                    failed = true
                } else {
                    try push(.restoreLoop(loop, count: loopCounts[loop], start: loopStarts[loop]))
                    loopCounts[loop] += 1
                    pc = test
                }
            case .look(let behind, let negated, let end, let widths):
                let mark = stack.count
                let matched = behind
                    ? try lookBehind(body: pc + 1, endingAt: position, widths: widths)
                    : try run(pc: pc + 1, position: position, lookbehindEnd: nil) != nil
                if matched == negated {
                    // A negative lookaround that matched has its captures undone with it.
                    if matched { unwind(to: mark) }
                    failed = true
                } else {
                    // A lookaround is atomic: its choices go, what it captured stays.
                    if matched { dropChoices(above: mark) }
                    pc = end
                }
            case .lookSucceed:
                if let lookbehindEnd, position != lookbehindEnd { failed = true } else { return position }
            case .succeed:
                return position
            }
            if failed {
                guard let resumed = try backtrack(to: base) else { return nil }
                (pc, position) = resumed
            }
        }
    }

    /// Pops the stack to the newest choice above `base`, undoing as it goes.
    private mutating func backtrack(to base: Int) throws(RegexBudgetExceeded) -> (Int, Int)? {
        while stack.count > base {
            switch stack.removeLast() {
            case .restoreSlot(let slot, let value): captures[slot] = value
            case .restoreLoop(let loop, let count, let start):
                loopCounts[loop] = count
                loopStarts[loop] = start
            case .resume(let pc, let position):
                try spend()
                return (pc, position)
            case .single(let pc, let start, let count):
                try spend()
                guard case .repeatSingle(let repeated) = program.instructions[pc] else { continue }
                if repeated.greedy {
                    let fewer = count - 1
                    if fewer > repeated.min { try push(.single(pc: pc, start: start, count: fewer)) }
                    return (pc + 1, start + fewer)
                }
                let at = start + count
                guard at < text.count, test(repeated.test, text[at]) else { continue }
                let more = count + 1
                if more < repeated.max { try push(.single(pc: pc, start: start, count: more)) }
                return (pc + 1, start + more)
            }
        }
        return nil
    }

    private mutating func unwind(to mark: Int) {
        while stack.count > mark {
            switch stack.removeLast() {
            case .restoreSlot(let slot, let value): captures[slot] = value
            case .restoreLoop(let loop, let count, let start):
                loopCounts[loop] = count
                loopStarts[loop] = start
            case .resume, .single: break
            }
        }
    }

    private mutating func dropChoices(above mark: Int) {
        var kept = mark
        for i in mark..<stack.count where !stack[i].isChoice {
            stack[kept] = stack[i]
            kept += 1
        }
        stack.removeLast(stack.count - kept)
    }

    /// Whether the body matches some stretch of text ending exactly at `end`, trying the
    /// starts its widths allow, the farthest first. JavaScript matches a lookbehind backwards,
    /// so a greedy body takes the longest stretch: the farthest start gives the same captures
    /// for the usual bodies, and whether it matches is the same for any body.
    private mutating func lookBehind(body: Int, endingAt end: Int, widths: ClosedRange<Int>) throws(RegexBudgetExceeded) -> Bool {
        let nearest = end - widths.lowerBound
        var start = widths.upperBound >= end ? 0 : end - widths.upperBound
        while start <= nearest {
            try spend()
            if try run(pc: body, position: start, lookbehindEnd: end) != nil { return true }
            start += 1
        }
        return false
    }

    /// How many units a `repeatSingle` takes first: as many as it may (greedy) or its minimum
    /// (lazy); nil when fewer than the minimum match.
    private mutating func startRepeat(_ repeated: SingleRepeat, at position: Int) throws(RegexBudgetExceeded) -> Int? {
        let wanted = repeated.greedy ? repeated.max : repeated.min
        var count = 0
        while count < wanted, position + count < text.count, test(repeated.test, text[position + count]) {
            try spend()
            count += 1
        }
        return count >= repeated.min ? count : nil
    }

    private func test(_ test: SingleRepeat.Test, _ unit: UInt16) -> Bool {
        switch test {
        case .codeUnit(let expected): return unit == expected
        case .foldedCodeUnit(let expected): return CaseCanonicalization.canonical(unit) == expected
        case .any: return !CodeUnitSet.isLineTerminator(unit)
        case .set(let index): return program.sets[index].matches(unit, ignoreCase: program.ignoreCase)
        }
    }

    private func holds(_ assertion: RegexAssertion, at position: Int) -> Bool {
        switch assertion {
        case .start:
            return position == 0 || (program.multiline && CodeUnitSet.isLineTerminator(text[position - 1]))
        case .end:
            return position == text.count || (program.multiline && CodeUnitSet.isLineTerminator(text[position]))
        case .wordBoundary, .notWordBoundary:
            let before = position > 0 && CodeUnitSet.isWordCharacter(text[position - 1])
            let after = position < text.count && CodeUnitSet.isWordCharacter(text[position])
            return (before != after) == (assertion == .wordBoundary)
        }
    }

    /// The end of the text a back-reference matches here; an unset group matches nothing,
    /// which always succeeds.
    private func backReference(_ group: Int, at position: Int) -> Int? {
        let start = captures[2 * group]
        let end = captures[2 * group + 1]
        guard start >= 0, end >= start else { return position }
        let length = end - start
        guard position + length <= text.count else { return nil }
        for i in 0..<length {
            let a = text[start + i]
            let b = text[position + i]
            if a == b { continue }
            guard program.ignoreCase, CaseCanonicalization.canonical(a) == CaseCanonicalization.canonical(b) else { return nil }
        }
        return position + length
    }
}
