extension StringProtocol {
    /// Without leading and trailing spaces and tabs (header values, `key=value` parts).
    public var trimmedSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
