public import JSONCore
import Locking

/// The workflow variables `Assign` writes. An iteration of a Map or a branch of a Parallel
/// reads its enclosing scope and writes its own, so nothing it assigns leaks out.
public final class VariableScope: Sendable {
    private struct Variables {
        var values: [String: JSONValue] = [:]
        /// Each variable's JSON size, and their sum, for the limits.
        var sizes: [String: Int] = [:]
        var ownBytes = 0
    }

    /// One execution's states run one at a time, but a scope is shared by the branches and
    /// iterations beneath it, so it is kept under a lock all the same.
    private let variables = Locked(Variables())
    let parent: VariableScope?

    public init(parent: VariableScope? = nil) { self.parent = parent }

    public func lookup(_ name: String) -> JSONValue? {
        var scope: VariableScope? = self
        while let s = scope {
            if let v = s.variables.withLock({ $0.values[name] }) { return v }
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
                throw StatesError(.runtime, "The variable '\(member.key)' has a size of \(size) bytes, which exceeds the maximum of \(Self.maximumVariableBytes) bytes for a single variable.")
            }
            assignedBytes += size
        }
        if assignedBytes > Self.maximumVariableBytes {
            throw StatesError(.runtime, "The variables assigned by this state have a combined size of \(assignedBytes) bytes, which exceeds the maximum of \(Self.maximumVariableBytes) bytes.")
        }
        variables.withLock { v in
            for (member, size) in zip(assignments.storage, measured) {
                v.ownBytes += size - (v.sizes[member.key] ?? 0)
                v.sizes[member.key] = size
                v.values[member.key] = member.value
            }
        }
        var total = 0
        var scope: VariableScope? = self
        while let s = scope {
            total += s.variables.withLock { $0.ownBytes }
            scope = s.parent
        }
        if total > Self.maximumTotalBytes {
            throw StatesError(.runtime, "The variables of this execution have a combined size of \(total) bytes, which exceeds the maximum of \(Self.maximumTotalBytes) bytes.")
        }
    }

    /// The scope of the state being run. JSONPath `$name` references read it from deep inside
    /// payload templates, intrinsic arguments and choice rules, which need not carry it along.
    @TaskLocal static var current: VariableScope?
}
