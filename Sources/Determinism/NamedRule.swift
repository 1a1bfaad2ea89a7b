/// A rule known by its name (canned completions, faults, quotas): adding one with a taken
/// name replaces it in place, so its position in the match order is kept.
public protocol NamedRule {
    var name: String { get }
}

extension Array where Element: NamedRule {
    public mutating func replaceOrAppend(_ rule: Element) {
        if let i = firstIndex(where: { $0.name == rule.name }) { self[i] = rule } else { append(rule) }
    }

    /// Whether a rule of that name was there.
    public mutating func remove(named name: String) -> Bool {
        let before = count
        removeAll { $0.name == name }
        return count != before
    }
}
