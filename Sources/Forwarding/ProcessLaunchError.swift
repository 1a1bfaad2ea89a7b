/// A program that could not be started at all.
public enum ProcessLaunchError: Error, Sendable, Equatable {
    case emptyCommand
    case notFound(String)
    case couldNotStart(String)
}
