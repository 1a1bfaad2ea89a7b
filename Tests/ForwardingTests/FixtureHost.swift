import Forwarding
import Locking

/// A machine made of fixtures: variables and files in memory, a scripted credential process
/// that counts its runs, and a clock the test moves.
final class FixtureHost: Sendable {
    struct State {
        var variables: [String: String] = ["HOME": "/home/dev"]
        var files: [String: String] = [:]
        var now: Int64 = 1_716_552_000
        var runs: [[String]] = []
        var process: @Sendable ([String]) throws(ProcessLaunchError) -> ProcessOutput = { _ in
            ProcessOutput(status: 127, stdout: [], stderr: Array("no process scripted".utf8))
        }
    }

    let state = Locked(State())

    init(variables: [String: String] = [:], files: [String: String] = [:]) {
        state.withLock {
            $0.variables.merge(variables) { $1 }
            $0.files = files
        }
    }

    var environment: HostEnvironment {
        HostEnvironment(
            variable: { [state] name in state.withLock { $0.variables[name] } },
            readFile: { [state] path in state.withLock { $0.files[path] }.map { Array($0.utf8) } },
            runProcess: { [state] arguments throws(ProcessLaunchError) in
                let script = state.withLock {
                    $0.runs.append(arguments)
                    return $0.process
                }
                return try script(arguments)
            },
            now: { [state] in state.withLock { $0.now } })
    }

    var runs: [[String]] { state.withLock { $0.runs } }

    func advance(seconds: Int64) { state.withLock { $0.now += seconds } }

    func set(variable: String, _ value: String?) { state.withLock { $0.variables[variable] = value } }

    func set(file: String, _ text: String?) { state.withLock { $0.files[file] = text } }

    /// The process prints `json` and exits 0.
    func script(json: String) {
        state.withLock { $0.process = { _ in ProcessOutput(status: 0, stdout: Array(json.utf8)) } }
    }

    func script(_ process: @escaping @Sendable ([String]) throws(ProcessLaunchError) -> ProcessOutput) {
        state.withLock { $0.process = process }
    }
}
