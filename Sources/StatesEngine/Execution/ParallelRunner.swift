import JSONCore

/// A Parallel state's branches, run concurrently (taking turns), each in a variable scope of
/// its own; the first failure stops the others and fails the state.
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
struct ParallelRunner {
    let run: Run
    let branches: [StateMachineDefinition]
    let lane: HistoryLane

    /// The branches' outputs, in branch order.
    func run(input: JSONValue) async throws(StatesError) -> JSONValue {
        lane.add(.parallelStateStarted)
        let branches = self.branches
        let lane = self.lane
        var failure: StatesError?
        let fanOut = FanOut(parent: run, count: branches.count, limit: 0, waitsOnOutside: branches.contains(where: \.waitsOnOutside))
        let results = try await fanOut.run { (_, result: Result<JSONValue, StatesError>) -> Bool in
            guard case .failure(let error) = result else { return false }
            failure = error
            return true
        } _: { branch, index in
            do throws(StatesError) {
                return .success(try await MachineRunner(run: branch).execute(branches[index], input: input, lane: lane.branch(index), mapItem: nil))
            } catch {
                return .failure(error)
            }
        }
        if let failure {
            lane.add(.parallelStateFailed)
            throw failure
        }
        lane.add(.parallelStateSucceeded)
        return .array(results.map { (try? $0?.get()) ?? .null })
    }
}
