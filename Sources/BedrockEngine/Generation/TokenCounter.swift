/// Understudy's one token counter, used for every usage figure (InvokeModel bodies and
/// headers, stream metrics, Converse usage, CountTokens, max_tokens truncation).
///
/// The rule, chosen to be simple to predict in tests and close to real tokenizers' rates for
/// English: whitespace is free; a run of ASCII letters or digits counts one token per started
/// six characters; every other character (punctuation, symbols, each non-ASCII scalar) counts
/// one. So "Hello, world!" is 4 tokens and "internationalization" is 4.
public enum TokenCounter {
    static let charactersPerToken = 6

    /// Counts over UTF-8 bytes rather than decoded scalars (every answer is counted, some twice):
    /// word characters and spaces are ASCII, and a non-ASCII scalar is the one byte that starts
    /// it, the others being continuation bytes (10xxxxxx).
    public static func count(_ text: String) -> Int {
        var tokens = 0
        var run = 0
        for byte in text.utf8 {
            if isWordByte(byte) {
                run += 1
                continue
            }
            tokens += (run + charactersPerToken - 1) / charactersPerToken
            run = 0
            if byte & 0xC0 != 0x80, !isSpaceByte(byte) { tokens += 1 }
        }
        return tokens + (run + charactersPerToken - 1) / charactersPerToken
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    static func isSpaceByte(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D
    }

    static func isWordCharacter(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0x30 && s.value <= 0x39) || (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\n" || s == "\t" || s == "\r"
    }

    /// The longest prefix of `text` holding at most `limit` tokens.
    public static func prefix(_ text: String, tokens limit: Int) -> String {
        guard limit > 0 else { return "" }
        var tokens = 0
        var run = 0
        var end = text.unicodeScalars.startIndex
        var index = text.unicodeScalars.startIndex
        while index != text.unicodeScalars.endIndex {
            let scalar = text.unicodeScalars[index]
            if isWordCharacter(scalar) {
                if run % charactersPerToken == 0 {
                    if tokens == limit { break }
                    tokens += 1
                }
                run += 1
            } else {
                run = 0
                if !isSpace(scalar) {
                    if tokens == limit { break }
                    tokens += 1
                }
            }
            index = text.unicodeScalars.index(after: index)
            if !isSpace(scalar) { end = index }
        }
        if index == text.unicodeScalars.endIndex { return text }
        return String(text.unicodeScalars[..<end])
    }
}
