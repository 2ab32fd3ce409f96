import Testing
@testable import AgentTrail

/// The scan's decoder reads `userIdentity` during the record's top-level pass (`scansIdentityFirst`); records
/// and errors must equal the plain decoder's, for well-formed and malformed identities alike.
struct IdentityFirstDecodeTests {
    static let records: [String] = [
        #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/R"},"attributes":{"mfaAuthenticated":"true"}}},"awsRegion":"eu-west-1"}"#,
        #"{"userIdentity" : { "type" : "IAMUser" , "arn" : "arn:aws:iam::1:user/u" } , "eventSource":"iam.amazonaws.com","eventName":"ListUsers"}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","userIdentity":{"type" "Root"}}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","userIdentity":{"type":"Root",}}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","userIdentity":{"type":"Root"]}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","userIdentity":{"type":"Root""#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","userIdentity":"Root"}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","userIdentity":null}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","userIdentity":{"type":"Root"},"userIdentity":"again"}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","userIdentity":{"type":"Root"},"userIdentity":{"arn":"arn:aws:iam::1:root"}}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","userIdentity":{"type":"Root","sessionContext":{"sessionIssuer":{"arn" 1}}}}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","userIdentity":{"type":"Root"} x}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","userIdentity":{"type":"Root"}}  "#,
    ]

    @Test(arguments: records)
    func sameRecordOrErrorAsThePlainDecoder(_ text: String) {
        let bytes = Array(text.utf8)
        let plain = RecordDecoder(prefilter: { _ in true })
        var fast = RecordDecoder(prefilter: { peek in _ = peek.userIdentity; return true })
        fast.scansIdentityFirst = true
        let a = Result { try plain.decode(bytes) }
        let b = Result { try fast.decode(bytes) }
        switch (a, b) {
        case (.success(let x), .success(let y)):
            #expect(x?.principal == y?.principal)
            #expect(x?.eventSource == y?.eventSource)
            #expect(x?.awsRegion == y?.awsRegion)
        case (.failure(let x), .failure(let y)):
            #expect((x as? DecodeError) == (y as? DecodeError))
        default:
            Issue.record("one decoder failed and the other did not: \(a) vs \(b)")
        }
    }
}
