/// A character class (`[a-z\d]`, `\s`, `[^…]`) as sorted, disjoint ranges of UTF-16 code
/// units, tested by binary search. Negation stays a flag rather than a complement because with
/// the `i` flag JavaScript folds the case of the members first and negates the answer after
/// (ECMA-262 CharacterSetMatcher).
struct CodeUnitSet: Sendable, Equatable {
    private(set) var ranges: [ClosedRange<UInt16>]
    var negated: Bool

    init(_ ranges: [ClosedRange<UInt16>] = [], negated: Bool = false) {
        self.ranges = Self.normalized(ranges)
        self.negated = negated
    }

    /// Whether `unit` is a member, before negation.
    func containsMember(_ unit: UInt16) -> Bool {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = ranges[middle]
            if unit < range.lowerBound {
                high = middle - 1
            } else if unit > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }

    /// Whether the class matches `unit`; with `ignoreCase`, a member of either case matches.
    func matches(_ unit: UInt16, ignoreCase: Bool) -> Bool {
        var found = containsMember(unit)
        if !found, ignoreCase {
            let canonical = CaseCanonicalization.canonical(unit)
            let lower = CaseCanonicalization.lowercase(unit)
            found = (canonical != unit && containsMember(canonical)) || (lower != unit && containsMember(lower))
        }
        return found != negated
    }

    mutating func formUnion(_ other: CodeUnitSet) {
        ranges = Self.normalized(ranges + (other.negated ? other.complementRanges : other.ranges))
    }

    mutating func insert(_ range: ClosedRange<UInt16>) { ranges = Self.normalized(ranges + [range]) }

    /// The members of the set with its negation applied, as ranges.
    private var complementRanges: [ClosedRange<UInt16>] {
        var out: [ClosedRange<UInt16>] = []
        var next: UInt32 = 0
        for range in ranges {
            if UInt32(range.lowerBound) > next { out.append(UInt16(next)...range.lowerBound - 1) }
            next = UInt32(range.upperBound) + 1
        }
        if next <= 0xFFFF { out.append(UInt16(next)...0xFFFF) }
        return out
    }

    private static func normalized(_ ranges: [ClosedRange<UInt16>]) -> [ClosedRange<UInt16>] {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt16>] = []
        for range in sorted {
            if let last = out.last, UInt32(range.lowerBound) <= UInt32(last.upperBound) + 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                out.append(range)
            }
        }
        return out
    }

    // MARK: the class escapes

    /// `\d`.
    static let digits = CodeUnitSet([0x30...0x39])
    /// `\w`: ASCII only, as without the `u` flag.
    static let wordCharacters = CodeUnitSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    /// `\s`: ECMAScript's WhiteSpace and LineTerminator code points.
    static let whitespace = CodeUnitSet([
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029,
        0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ])

    /// The set a class escape letter (`d D s S w W`) names, or nil for any other letter.
    static func escape(_ letter: UInt16) -> CodeUnitSet? {
        switch letter {
        case 0x64: return digits  // d
        case 0x44: return CodeUnitSet(digits.ranges, negated: true)  // D
        case 0x73: return whitespace  // s
        case 0x53: return CodeUnitSet(whitespace.ranges, negated: true)  // S
        case 0x77: return wordCharacters  // w
        case 0x57: return CodeUnitSet(wordCharacters.ranges, negated: true)  // W
        default: return nil
        }
    }

    /// A line terminator: what `.` does not match and where `^`/`$` stop with the `m` flag.
    static func isLineTerminator(_ unit: UInt16) -> Bool {
        unit == 0x0A || unit == 0x0D || unit == 0x2028 || unit == 0x2029
    }

    static func isWordCharacter(_ unit: UInt16) -> Bool {
        (unit >= 0x30 && unit <= 0x39) || (unit >= 0x41 && unit <= 0x5A) || unit == 0x5F || (unit >= 0x61 && unit <= 0x7A)
    }
}
