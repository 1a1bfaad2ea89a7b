import AWSWire
import BedrockEngine
public import JSONCore
import BedrockService
import ServiceKit
import StepFunctionsService
import Integrations
import StatesEngine

/// `understudy validate` and `understudy run`: the engine without a server.
public enum LocalRunner {
    /// ValidateStateMachineDefinition's answer for a definition.
    public static func validate(_ text: String) -> JSONValue { StatesOperations.validation(of: text) }

    /// Runs a definition on an input: status, output or error and cause, and the states visited.
    public static func run(definition text: String, input: String, timeScale: Double, seed: UInt64) async throws -> JSONValue {
        let machine = try StateMachineDefinition(text: text)
        let inputValue = try JSONParser.parse(input)
        let clock = SystemClock()
        let runtime = BedrockRuntime(catalog: try ModelCatalog.bundled(), seed: seed)
        let history = ExecutionHistory()
        let now = clock.nowMillis()
        let info = ExecutionInfo(
            arn: "arn:aws:states:us-east-1:000000000000:execution:local:run", name: "run",
            stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:local", stateMachineName: "local",
            roleArn: "arn:aws:iam::000000000000:role/local", startMillis: now, region: "us-east-1", account: "000000000000")
        let ids = RequestIDGenerator(seed: seed)
        let dispatcher = Dispatcher(services: [.bedrockRuntime: BedrockRuntimeFrontEnd(runtime: runtime)], stages: [], requestIds: ids)
        let executionClock = ScaledExecutionClock(clock: clock, scale: timeScale)
        let interpreter = Interpreter(
            info: info, clock: executionClock, tasks: TaskIntegrations(dispatcher: dispatcher, clock: executionClock), history: history, seed: seed)
        var o = JSONObject()
        switch await interpreter.run(machine, input: inputValue).0 {
        case .succeeded(let output):
            o["status"] = .string(ExecutionStatus.succeeded.rawValue)
            o["output"] = output
        case .failed(let error), .timedOut(let error):
            o["status"] = .string((error.is(.timeout) ? ExecutionStatus.timedOut : .failed).rawValue)
            o["error"] = .string(error.error)
            if let cause = error.cause { o["cause"] = .string(cause) }
        }
        o["statesVisited"] = .array(history.all.filter { $0.type.isStateEntered }.compactMap(\.stateName))
        return .object(o)
    }
}
