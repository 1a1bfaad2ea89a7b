/// Splits a `credential_process` command line into words the way botocore does (Python's
/// `shlex.split` in POSIX mode), so the program runs with the arguments the AWS CLI would give
/// it and no shell ever sees the text: whitespace separates words; `'…'` keeps everything
/// literally; `"…"` keeps everything but lets `\` escape `"` and `\` (a `\` before anything
/// else stays, unlike a shell's `\$`); outside quotes `\` escapes the next character. `#` is
/// an ordinary character, as in `shlex.split`. Variables and `~` are not expanded (the AWS CLI
/// guide asks for full paths).
public enum ShellWords {
    public enum Failure: Error, Sendable, Equatable {
        case unterminatedQuote
        case danglingEscape
    }

    public static func split(_ line: String) throws(Failure) -> [String] {
        enum Mode { case plain, single, double }
        var words: [String] = []
        var word = ""
        var inWord = false
        var mode = Mode.plain
        var iterator = line.unicodeScalars.makeIterator()
        while let c = iterator.next() {
            switch mode {
            case .plain:
                switch c {
                case " ", "\t", "\n", "\r":
                    if inWord { words.append(word) }
                    word = ""
                    inWord = false
                case "'":
                    mode = .single
                    inWord = true
                case "\"":
                    mode = .double
                    inWord = true
                case "\\":
                    guard let next = iterator.next() else { throw .danglingEscape }
                    word.unicodeScalars.append(next)
                    inWord = true
                default:
                    word.unicodeScalars.append(c)
                    inWord = true
                }
            case .single:
                if c == "'" { mode = .plain } else { word.unicodeScalars.append(c) }
            case .double:
                switch c {
                case "\"":
                    mode = .plain
                case "\\":
                    guard let next = iterator.next() else { throw .unterminatedQuote }
                    if next == "\"" || next == "\\" {
                        word.unicodeScalars.append(next)
                    } else {
                        word.unicodeScalars.append(c)
                        word.unicodeScalars.append(next)
                    }
                default:
                    word.unicodeScalars.append(c)
                }
            }
        }
        guard mode == .plain else { throw .unterminatedQuote }
        if inWord { words.append(word) }
        return words
    }
}
