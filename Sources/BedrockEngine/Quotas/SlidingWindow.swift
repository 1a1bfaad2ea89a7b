/// Requests and tokens over the last `slots × slotMillis` of clock time, kept in a ring of
/// slots with running totals, so a check costs O(1) however busy the window is.
struct SlidingWindow: Sendable {
    private struct Slot {
        var index: Int64
        var requests = 0
        var tokens = 0
    }

    private let slotMillis: Int64
    private var slots: [Slot]
    /// The slot index the ring has advanced to.
    private var head: Int64? = nil
    private(set) var requests = 0
    private(set) var tokens = 0

    init(slots: Int, slotMillis: Int64) {
        self.slotMillis = slotMillis
        self.slots = Array(repeating: Slot(index: .min), count: slots)
    }

    /// Drops what has left the window by time `t`.
    mutating func advance(to t: Int64) {
        let current = t / slotMillis
        guard let last = head else {
            head = current
            return
        }
        guard current > last else { return }
        if current - last >= Int64(slots.count) {
            for i in slots.indices { slots[i] = Slot(index: .min) }
            requests = 0
            tokens = 0
        } else {
            for index in (last + 1)...current {
                let i = Int(index % Int64(slots.count))
                requests -= slots[i].requests
                tokens -= slots[i].tokens
                slots[i] = Slot(index: index)
            }
        }
        head = current
    }

    /// Counts at time `t` (ignored once `t` has left the window).
    mutating func add(at t: Int64, requests: Int, tokens: Int) {
        let index = t / slotMillis
        let i = Int(index % Int64(slots.count))
        if slots[i].index != index {
            guard let head, index <= head, index > head - Int64(slots.count) else { return }
            slots[i] = Slot(index: index)
        }
        slots[i].requests += requests
        slots[i].tokens += tokens
        self.requests += requests
        self.tokens += tokens
    }
}
