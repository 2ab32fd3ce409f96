extension PeekedFields {
    /// `eventTime` parsed (nil when missing or unparseable).
    public var eventTime: Instant? {
        guard fields.eventTime.isSet else { return nil }
        if let known = mutableTopLevel.pointee.plainEventTime { return known }
        if let plain = SpanValue.plainBytes(p, fields.eventTime) {
            let t = Instant.parseCloudTrail(plain)
            mutableTopLevel.pointee.plainEventTime = .some(t)  // (kept for `build`)
            return t
        }
        return SpanValue.string(p, fields.eventTime).flatMap { Instant.parseCloudTrail($0) }
    }

    /// `errorCode` (nil when missing).
    public var errorCode: String? { fields.errorCode.isSet ? SpanValue.string(p, fields.errorCode) : nil }

    /// `errorMessage` (nil when missing).
    public var errorMessage: String? { fields.errorMessage.isSet ? SpanValue.string(p, fields.errorMessage) : nil }

    /// The identity key the summary and findings group by (see `Principal.identityKey`), from `userIdentity`.
    public var identityKey: String? {
        let u = userIdentity
        return Principal(type: u.type, arn: u.arn, accountId: u.accountId, sessionIssuerArn: u.sessionIssuerArn,
                         invokedBy: u.invokedBy).identityKey
    }
}
