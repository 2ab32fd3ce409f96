extension Finding {
    /// What a finding says to a human: one line saying what happened (`title`) and one line of advice
    /// (`recommendation`).
    ///
    /// Every detector writes its messages beside itself, in an `extension Finding.Message` with one `static func`
    /// per situation it reports (`.deniedBurst(actions:denials:…)`), typed by the facts the sentences quote: all
    /// the user-facing text of a rule is in one place, and a finding is made with `Finding(…, message: .x(…))`.
    public struct Message: Sendable, Hashable {
        /// One line saying what happened (`Finding.title`).
        public var title: String
        /// One-line advice (`Finding.recommendation`).
        public var recommendation: String

        public init(title: String, recommendation: String) {
            self.title = title
            self.recommendation = recommendation
        }
    }
}
