/// Case folding as the `i` flag does it without `u` (ECMA-262 Canonicalize, non-Unicode
/// case): a code unit becomes its upper case when that is one code unit, except that nothing
/// outside ASCII folds into ASCII (so `ſ` does not match `s`, nor `ı` match `i`).
enum CaseCanonicalization {
    static func canonical(_ unit: UInt16) -> UInt16 {
        if unit < 0x80 {
            return unit >= 0x61 && unit <= 0x7A ? unit - 0x20 : unit
        }
        guard let scalar = Unicode.Scalar(unit) else { return unit }  // a lone surrogate
        let upper = scalar.properties.uppercaseMapping.utf16
        guard upper.count == 1, let folded = upper.first, folded >= 0x80 else { return unit }
        return folded
    }

    /// The simple lower case, when it is one code unit: a class written in lower case still
    /// matches an upper-case unit.
    static func lowercase(_ unit: UInt16) -> UInt16 {
        if unit < 0x80 {
            return unit >= 0x41 && unit <= 0x5A ? unit + 0x20 : unit
        }
        guard let scalar = Unicode.Scalar(unit) else { return unit }
        let lower = scalar.properties.lowercaseMapping.utf16
        guard lower.count == 1, let folded = lower.first, folded >= 0x80 else { return unit }
        return folded
    }
}
