/// Escapes and character classes, with Annex B's readings: an unknown escape is the character
/// itself, `\8` is `8`, `\12` without twelve groups is an octal escape, `\c` without a letter is
/// a backslash, and a class escape beside `-` makes the dash literal.
extension RegexParser {
    /// After a `\` outside a class (`\b` and `\B` are assertions, read by `term`).
    mutating func atomEscape() throws(RegexSyntaxError) -> RegexNode {
        let start = index
        index += 1
        guard let unit = peek else { throw RegexSyntaxError("\\ at end of pattern", offset: start) }
        if unit >= 0x31, unit <= 0x39 {
            let digitsStart = index
            if let number = decimal(), number <= totalGroups { return .backReference(number) }
            index = digitsStart
            return .codeUnit(legacyOctalOrIdentity())
        }
        if let set = CodeUnitSet.escape(unit) {
            index += 1
            return .set(set)
        }
        if unit == PatternCharacter.k, hasNamedGroups {
            index += 1
            guard peek == PatternCharacter.less else { throw RegexSyntaxError("Invalid named reference", offset: start) }
            index += 1
            return .namedBackReference(try groupName())
        }
        return .codeUnit(characterEscape(inClass: false))
    }

    /// A character escape after the `\` (the current unit is the one after it): the code unit
    /// it stands for.
    mutating func characterEscape(inClass: Bool) -> UInt16 {
        let unit = units[index]
        index += 1
        switch unit {
        case 0x74: return 0x09  // t
        case 0x6E: return 0x0A  // n
        case 0x76: return 0x0B  // v
        case 0x66: return 0x0C  // f
        case 0x72: return 0x0D  // r
        case PatternCharacter.zero:
            if let next = peek, next >= 0x30, next <= 0x39 {
                index -= 1
                return legacyOctalOrIdentity()
            }
            return 0
        case PatternCharacter.c:
            if let next = peek {
                let isLetter = (next >= 0x41 && next <= 0x5A) || (next >= 0x61 && next <= 0x7A)
                let isClassExtra = inClass && ((next >= 0x30 && next <= 0x39) || next == PatternCharacter.underscore)
                if isLetter || isClassExtra {
                    index += 1
                    return next % 32
                }
            }
            // `\c` with nothing it controls: the backslash is literal and `c` comes next.
            index -= 1
            return PatternCharacter.backslash
        case PatternCharacter.x:
            if let value = hexadecimal(count: 2) { return value }
            return unit
        case PatternCharacter.u:
            if let value = hexadecimal(count: 4) { return value }
            return unit
        default:
            return unit
        }
    }

    /// `\0`–`\377` as an octal escape, or `\8`/`\9` as the digit itself.
    mutating func legacyOctalOrIdentity() -> UInt16 {
        let first = units[index]
        index += 1
        guard first <= 0x37 else { return first }
        var value = UInt16(first - 0x30)
        let maximumDigits = first <= 0x33 ? 3 : 2
        var digits = 1
        while digits < maximumDigits, let next = peek, next >= 0x30, next <= 0x37 {
            value = value * 8 + (next - 0x30)
            index += 1
            digits += 1
        }
        return value
    }

    /// Exactly `count` hexadecimal digits, consumed, or nil (and nothing consumed).
    mutating func hexadecimal(count: Int) -> UInt16? {
        guard index + count <= units.count else { return nil }
        var value: UInt16 = 0
        for unit in units[index..<(index + count)] {
            let digit: UInt16
            switch unit {
            case 0x30...0x39: digit = unit - 0x30
            case 0x41...0x46: digit = unit - 0x41 + 10
            case 0x61...0x66: digit = unit - 0x61 + 10
            default: return nil
            }
            value = value * 16 + digit
        }
        index += count
        return value
    }

    // MARK: classes

    /// One member of a class: a code unit, or a class escape (`\d`…) that no range may use.
    enum ClassAtom {
        case unit(UInt16)
        case escape(CodeUnitSet)
    }

    /// After the `[`: members up to the closing `]`.
    mutating func characterClass() throws(RegexSyntaxError) -> CodeUnitSet {
        let start = index - 1
        var set = CodeUnitSet()
        if peek == PatternCharacter.caret {
            set.negated = true
            index += 1
        }
        while true {
            guard let unit = peek else { throw RegexSyntaxError("Unterminated character class", offset: start) }
            if unit == PatternCharacter.closeBracket {
                index += 1
                return set
            }
            let first = try classAtom(start: start)
            guard peek == PatternCharacter.dash, let after = peek(at: index + 1), after != PatternCharacter.closeBracket else {
                add(first, to: &set)
                continue
            }
            let dashAt = index
            index += 1
            let second = try classAtom(start: start)
            switch (first, second) {
            case (.unit(let low), .unit(let high)):
                guard low <= high else { throw RegexSyntaxError("Range out of order in character class", offset: dashAt) }
                set.insert(low...high)
            default:
                // A class escape at either end: the dash is an ordinary member.
                add(first, to: &set)
                set.insert(PatternCharacter.dash...PatternCharacter.dash)
                add(second, to: &set)
            }
        }
    }

    private func add(_ atom: ClassAtom, to set: inout CodeUnitSet) {
        switch atom {
        case .unit(let unit): set.insert(unit...unit)
        case .escape(let members): set.formUnion(members)
        }
    }

    private mutating func classAtom(start: Int) throws(RegexSyntaxError) -> ClassAtom {
        guard let unit = peek else { throw RegexSyntaxError("Unterminated character class", offset: start) }
        guard unit == PatternCharacter.backslash else {
            index += 1
            return .unit(unit)
        }
        index += 1
        guard let escaped = peek else { throw RegexSyntaxError("\\ at end of pattern", offset: index - 1) }
        if escaped == PatternCharacter.b {
            index += 1
            return .unit(0x08)
        }
        if let members = CodeUnitSet.escape(escaped) {
            index += 1
            return .escape(members)
        }
        if escaped >= 0x31, escaped <= 0x39 { return .unit(legacyOctalOrIdentity()) }
        return .unit(characterEscape(inClass: true))
    }
}
