/// A recorded answer for a request, and which one of its kind it was.
public struct ReplayHit: Sendable {
    /// The interaction with its placeholder accounts mapped back (see `ReplayQuery`).
    public var interaction: RecordedInteraction
    /// Its place in the cassette, from 0, and its file.
    public var position: Int
    public var file: String?
    /// How many times an equal request was answered before this one.
    public var play: Int
    /// True once equal requests have used up their recordings and the last one repeats.
    public var repeated: Bool
}
