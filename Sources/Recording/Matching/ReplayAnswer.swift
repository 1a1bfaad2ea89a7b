/// What the replay book says to a request: a recording, or the near miss.
public enum ReplayAnswer: Sendable {
    case recorded(ReplayHit)
    case miss(ReplayMiss)
}
