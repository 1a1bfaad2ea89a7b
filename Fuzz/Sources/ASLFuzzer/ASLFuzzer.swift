import FuzzSupport
import JSONCore
import StatesEngine

/// The ASL definition reader CreateStateMachine, UpdateStateMachine, ValidateStateMachineDefinition
/// and TestState use: the validator that words AWS's diagnostics, then the typed tree (states,
/// paths, choice rules, compiled JSONata). Beyond not trapping: a definition comes back exactly
/// when there are no problems, and every problem names its code and message.
enum ASLFuzzer {
    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        // A definition arrives as a JSON string member, so it is always text.
        let text = String(decoding: bytes, as: UTF8.self)
        for express in [false, true] {
            let checked = DefinitionValidator.check(text, express: express)
            Invariant.require((checked.definition == nil) != checked.problems.isEmpty, "a definition and its problems disagree")
            for problem in checked.problems {
                Invariant.require(!problem.code.isEmpty && !problem.message.isEmpty, "a problem without a code or message: \(problem)")
            }
        }
        // TestState's lone state.
        if let state = try? JSONParser.parse(bytes) { _ = DefinitionValidator.problems(inState: state) }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    ASLFuzzer.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
