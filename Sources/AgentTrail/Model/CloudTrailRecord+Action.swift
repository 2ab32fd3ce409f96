extension CloudTrailRecord {
    /// The service part of an eventSource: `bedrock.amazonaws.com` → `bedrock`; a source without the
    /// `.amazonaws.com` suffix is returned unchanged. (Usually the IAM prefix too; where it is not, `EventActionMap`
    /// maps the record to its IAM actions.)
    public static func serviceName(of eventSource: String) -> String {
        let suffix = ".amazonaws.com"
        if eventSource.hasSuffix(suffix) { return String(eventSource.dropLast(suffix.count)) }
        return eventSource
    }

    /// `bedrock:InvokeModel`: the service name, a colon, the eventName — the one way a record's action is written
    /// in findings, baselines, events and timelines.
    public static func actionLabel(eventSource: String, eventName: String) -> String {
        serviceName(of: eventSource) + ":" + eventName
    }

    /// This record's `actionLabel(eventSource:eventName:)`.
    @inline(__always) public var actionLabel: String { CloudTrailRecord.actionLabel(eventSource: eventSource, eventName: eventName) }
}
