import BoundedRegex

/// A compiled regular expression literal (`/ab+c/i`): JavaScript's syntax and semantics, as
/// JSONata gets them from `new RegExp`, run by `BoundedRegex` so that no pattern can hold the
/// evaluation past its budget.
final class Pattern {
    let source: String
    let regex: BoundedRegex

    init(source: String, flags: String, position: Int) throws(JSONataError) {
        self.source = source
        var options: BoundedRegex.Options = []
        if flags.contains("i") { options.insert(.ignoreCase) }
        if flags.contains("m") { options.insert(.multiline) }
        do {
            regex = try BoundedRegex(source, options: options)
        } catch {
            throw JSONataError("S0302", "Invalid regular expression: /\(source)/", position: position)
        }
    }
}
