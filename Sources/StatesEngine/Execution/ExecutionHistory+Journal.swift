/// A stored history that goes on being written: events recorded after it is read back (an
/// interrupted execution's end, or what a resumed one does next) reach the journal as a new
/// execution's do.
extension ExecutionHistory {
    public convenience init(restoring events: [HistoryEvent], journal: any HistoryJournal) {
        self.init(maximumEvents: ExecutionHistory.standardMaximumEvents, journal: journal)
        restore(events)
    }
}
