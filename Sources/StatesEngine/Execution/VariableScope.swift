import JSONCore

/// The workflow variables `Assign` writes. An iteration of a Map or a branch of a Parallel
/// reads its enclosing scope and writes its own, so nothing it assigns leaks out.
public final class VariableScope: @unchecked Sendable {
    // One execution's states run one at a time, so the scope is never written concurrently.
    private var values: [String: JSONValue] = [:]
    let parent: VariableScope?

    public init(parent: VariableScope? = nil) { self.parent = parent }

    public func lookup(_ name: String) -> JSONValue? {
        var scope: VariableScope? = self
        while let s = scope {
            if let v = s.values[name] { return v }
            scope = s.parent
        }
        return nil
    }

    func assign(_ assignments: JSONObject) {
        for member in assignments.storage { values[member.key] = member.value }
    }

    /// Every visible variable, inner scopes shadowing outer ones.
    var visible: [String: JSONValue] {
        var all = parent?.visible ?? [:]
        for (k, v) in values { all[k] = v }
        return all
    }

    /// The scope of the state being run. JSONPath `$name` references read it from deep inside
    /// payload templates, intrinsic arguments and choice rules, which need not carry it along.
    @TaskLocal static var current: VariableScope?
}
