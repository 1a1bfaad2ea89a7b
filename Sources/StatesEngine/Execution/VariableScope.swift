import JSONCore

/// The workflow variables `Assign` writes. An iteration of a Map or a branch of a Parallel
/// reads its enclosing scope and writes its own, so nothing it assigns leaks out.
public final class VariableScope: @unchecked Sendable {
    // One execution's states run one at a time, so the scope is never written concurrently.
    private var values: [String: JSONValue] = [:]
    /// Each variable's JSON size, and their sum, for the limits.
    private var sizes: [String: Int] = [:]
    private var ownBytes = 0
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

    /// Step Functions' limits: 256 KiB for one variable and for one state's assignments
    /// together, 10 MiB for all variables of an execution.
    static let maximumVariableBytes = 262_144
    static let maximumTotalBytes = 10_485_760

    func assign(_ assignments: JSONObject) throws(StatesError) {
        var assignedBytes = 0
        var measured: [Int] = []
        for member in assignments.storage {
            let size = member.value.jsonBytes.count
            measured.append(size)
            if size > Self.maximumVariableBytes {
                throw StatesError("States.Runtime", "The variable '\(member.key)' has a size of \(size) bytes, which exceeds the maximum of \(Self.maximumVariableBytes) bytes for a single variable.")
            }
            assignedBytes += size
        }
        if assignedBytes > Self.maximumVariableBytes {
            throw StatesError("States.Runtime", "The variables assigned by this state have a combined size of \(assignedBytes) bytes, which exceeds the maximum of \(Self.maximumVariableBytes) bytes.")
        }
        for (member, size) in zip(assignments.storage, measured) {
            ownBytes += size - (sizes[member.key] ?? 0)
            sizes[member.key] = size
            values[member.key] = member.value
        }
        var total = 0
        var scope: VariableScope? = self
        while let s = scope {
            total += s.ownBytes
            scope = s.parent
        }
        if total > Self.maximumTotalBytes {
            throw StatesError("States.Runtime", "The variables of this execution have a combined size of \(total) bytes, which exceeds the maximum of \(Self.maximumTotalBytes) bytes.")
        }
    }

    /// The scope of the state being run. JSONPath `$name` references read it from deep inside
    /// payload templates, intrinsic arguments and choice rules, which need not carry it along.
    @TaskLocal static var current: VariableScope?
}
