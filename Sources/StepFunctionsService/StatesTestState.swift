import AWSWire
import JSONCore
import ServiceKit
import StatesEngine

/// TestState: one state, one input, optional mocks.
extension StatesOperations {
    /// TestState: the state alone, or `stateName` of a whole machine, run once (waits instant),
    /// answered when it has run.
    func prepareTestState(_ input: JSONObject, _ request: ServiceRequest) throws(AWSServiceError) -> @Sendable () async -> JSONValue {
        let text = try Self.required(input, "definition")
        let parsed: JSONValue
        do { parsed = try JSONParser.parse(text) } catch { throw Self.invalidDefinition(DefinitionValidator.problems(in: text)) }
        let state: StateDefinition
        do {
            let problems = parsed["States"] != nil ? DefinitionValidator.problems(in: text) : DefinitionValidator.problems(inState: parsed)
            if !problems.isEmpty { throw Self.invalidDefinition(problems) }
            if parsed["States"] != nil {
                let machine = try StateMachineDefinition(json: parsed, path: "")
                let name = input["stateName"]?.stringValue ?? machine.startAt
                guard let found = machine.states[name] else { throw Self.error("InvalidDefinition", "Invalid State Machine Definition: 'State \(name) not found'") }
                state = found
            } else {
                state = try StateDefinition.single(name: input["stateName"]?.stringValue ?? "TestState", json: parsed)
            }
        } catch let problem as StateMachineDefinition.Problem {
            throw Self.invalidDefinition([problem])
        } catch let error as AWSServiceError {
            throw error
        } catch {
            throw Self.error("InvalidDefinition", "Invalid State Machine Definition: '\(error)'")
        }
        let inputText = input["input"]?.stringValue ?? "{}"
        guard let stateInput = try? JSONParser.parse(inputText) else {
            throw Self.error("InvalidExecutionInput", "Invalid State Machine Execution Input: '\(inputText)'")
        }
        var mock: StateTester.Mock? = nil
        if let m = input["mock"] {
            let mode = try Self.fieldValidationMode(m)
            if let result = m["result"]?.stringValue {
                guard let value = try? JSONParser.parse(result) else { throw Self.validation("The mock result must be valid JSON") }
                if let problem = MockResultValidator.problem(in: value, state: state, mode: mode, dialect: .testState) { throw Self.validation(problem) }
                mock = .init(result: value, error: nil)
            } else if let errorOutput = m["errorOutput"] {
                mock = .init(result: nil, error: StatesError(errorOutput["error"]?.stringValue ?? "", errorOutput["cause"]?.stringValue))
            }
        }
        var variables: JSONObject? = nil
        if let text = input["variables"]?.stringValue {
            guard case .object(let parsedVariables)? = try? JSONParser.parse(text) else {
                throw Self.validation("The variables must be a JSON object")
            }
            variables = parsedVariables
        }
        let level = input["inspectionLevel"]?.stringValue ?? "INFO"
        let retryCount = input["stateConfiguration"]?["retrierRetryCount"]?.intValue ?? 0
        let info = ExecutionInfo(
            arn: "arn:aws:states:\(request.caller.region):\(request.caller.account):execution:TestStateMachine:TestState", name: "TestState",
            stateMachineArn: "arn:aws:states:\(request.caller.region):\(request.caller.account):stateMachine:TestStateMachine",
            stateMachineName: "TestStateMachine", roleArn: input["roleArn"]?.stringValue ?? "", startMillis: clock.nowMillis(),
            region: request.caller.region, account: request.caller.account)
        let executionClock = ScaledExecutionClock(clock: clock, scale: 0)
        let interpreter = Interpreter(
            info: info, clock: executionClock, tasks: tasks(executionClock), history: ExecutionHistory(), seed: seed)
        let finalMock = mock
        let finalVariables = variables
        return {
            let result = await StateTester(interpreter: interpreter).test(state, input: stateInput, mock: finalMock, retryCount: retryCount, variables: finalVariables)
            var o = JSONObject()
            if let output = result.output { o["output"] = .string(output.jsonString) }
            if let error = result.error {
                o["error"] = .string(error.error)
                if let cause = error.cause { o["cause"] = .string(cause) }
            }
            if level != "INFO" { o["inspectionData"] = .object(result.inspection) }
            if let next = result.nextState { o["nextState"] = .string(next) }
            o["status"] = .string(result.status.rawValue)
            return .object(o)
        }
    }

    /// `mock.fieldValidationMode`, `STRICT` when not given: a mocked result is held against the
    /// output shape of the API the Task calls before the state runs, and a mismatch is a
    /// `ValidationException` in AWS's words ("Mock result schema validation error: …").
    /// https://docs.aws.amazon.com/step-functions/latest/apireference/API_MockInput.html
    static func fieldValidationMode(_ mock: JSONValue) throws(AWSServiceError) -> FieldValidationMode {
        guard let given = mock["fieldValidationMode"], !given.isNull else { return .strict }
        guard let text = given.stringValue, let mode = FieldValidationMode(rawValue: text) else {
            let shown = given.stringValue ?? given.jsonString
            throw Self.validation(
                "1 validation error detected: Value '\(shown)' at 'mock.fieldValidationMode' failed to satisfy constraint: "
                    + "Member must satisfy enum value set: \(FieldValidationMode.spelled)")
        }
        return mode
    }

}
