/// A scope of variable bindings; a block or a lambda call opens a new one over its parent.
///
/// A lambda (or a transform) keeps the frame it was made in, and `$f := function…` keeps the
/// lambda in a frame: the frame holds the function, the function's closure holds the frame, a
/// cycle reference counting never frees. No function outlives its evaluation (an evaluation's
/// result is JSON), so the evaluator notes every frame a closure captures and, when the
/// evaluation ends, `release`s those still alive, which breaks every such cycle.
final class Frame {
    private var bindings: [String: Value] = [:]
    let parent: Frame?
    /// Its bindings were dropped at the end of the evaluation.
    private(set) var isReleased = false

    init(parent: Frame? = nil) { self.parent = parent }

    init(bindings: [String: Value]) {
        self.bindings = bindings
        parent = nil
    }

    func lookup(_ name: String) -> Value? {
        var frame: Frame? = self
        while let f = frame {
            if let v = f.bindings[name] { return v }
            frame = f.parent
        }
        return nil
    }

    func bind(_ name: String, _ value: Value) { bindings[name] = value }

    /// Drops the bindings of this frame and of the frames around it: a cycle through a
    /// function's closure passes through the frame the function was bound in, which is this
    /// one or one around it.
    func release() {
        var frame: Frame? = self
        while let f = frame, !f.isReleased {
            f.bindings = [:]
            f.isReleased = true
            frame = f.parent
        }
    }
}

/// A frame a closure captured, held without keeping it alive: frames no cycle holds are freed
/// as the evaluation goes, and those still here at its end are the ones to release.
struct CapturedFrame {
    weak var frame: Frame?
}
