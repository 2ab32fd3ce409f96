import Testing
@testable import AgentTrail

/// A record with the escapes the splitter must not be fooled by.
private let recordA = #"{"eventVersion":"1.08","eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","userAgent":"a \"quoted\" } ] { [ \\ \/ caf\u00e9 \ud83d\ude00","requestParameters":{"modelId":"m","nested":[1,2,{"x":"}"}]}}"#
private let recordB = #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","errorMessage":"back\\slash at end\\"}"#
private let recordC = #"{"eventSource":"sts.amazonaws.com","eventName":"AssumeRole","detail":"not an envelope"}"#

private func text(_ r: [UInt8]) -> String { String(decoding: r, as: UTF8.self) }

@Suite struct ParseSplitterShapeTests {
    static let records = [recordA, recordB, recordC]

    /// Each shape of input, with the record texts it must yield.
    static let shapes: [(name: String, input: String, expected: [String])] = [
        ("records single line", #"{"Records":["# + records.joined(separator: ",") + "]}", records),
        ("records pretty", "{\n  \"Records\" : [\n    " + records.joined(separator: ",\n    ") + "\n  ]\n}\n", records),
        ("records not first key",
         #"{"meta":{"Records":"no","x":[{"eventName":"inner"}]},"Records":["# + records.joined(separator: ",") + #"],"after":{"a":1}}"#,
         records),
        ("json lines", records.joined(separator: "\n") + "\n", records),
        ("json lines crlf blank lines", "\r\n" + records.joined(separator: "\r\n\r\n") + "\r\n\n", records),
        ("top-level array", "[\n" + records.joined(separator: ",\n") + "\n]", records),
        ("eventbridge single",
         #"{"version":"0","id":"1","detail-type":"AWS API Call via CloudTrail","source":"aws.bedrock","detail":"# + recordA + "}",
         [recordA]),
        ("eventbridge jsonl",
         records.map { #"{"detail-type":"AWS API Call via CloudTrail","detail":"# + $0 + #","region":"us-east-1"}"# }.joined(separator: "\n"),
         records),
        ("eventbridge array",
         "[" + records.map { #"{"detail-type":"AWS API Call via CloudTrail","detail":"# + $0 + "}" }.joined(separator: ",") + "]",
         records),
        ("single record", recordA, [recordA]),
        ("single record pretty", "{\n  \"eventSource\": \"iam.amazonaws.com\",\n  \"eventName\": \"ListRoles\",\n  \"x\": {\n    \"y\": [1, 2]\n  }\n}\n",
         ["{\n  \"eventSource\": \"iam.amazonaws.com\",\n  \"eventName\": \"ListRoles\",\n  \"x\": {\n    \"y\": [1, 2]\n  }\n}"]),
        ("concatenated records files", #"{"Records":["# + recordA + "]}\n" + #"{"Records":["# + recordB + "," + recordC + "]}", records),
    ]

    @Test(arguments: [1, 7, 4096])
    func everyShapeAtChunkSize(chunkSize: Int) {
        for shape in Self.shapes {
            let result = ParseSupport.split(shape.input, chunkSize: chunkSize)
            #expect(result.records.map(text) == shape.expected, "\(shape.name)")
            #expect(result.issues.isEmpty, "\(shape.name): \(result.issues)")
            #expect(result.positions.map(\.index) == Array(0..<shape.expected.count), "\(shape.name)")
        }
    }

    @Test func recordOffsetsPointAtTheRecords() {
        let input = #"{"Records":[ "# + recordA + " , " + recordB + "]}"
        let bytes = Array(input.utf8)
        let result = ParseSupport.split(bytes, chunkSize: 5)
        for (record, pos) in zip(result.records, result.positions) {
            #expect(Array(bytes[pos.byteOffset..<(pos.byteOffset + record.count)]) == record)
        }
    }

    @Test func lookupEventsAreUnescaped() throws {
        func quoted(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let input = #"{"Events":["# + Self.records.enumerated().map { i, r in
            #"{"EventId":"\#(i)","EventName":"X","Resources":[{"ResourceName":"r"}],"CloudTrailEvent":"# + quoted(r) + #","Username":"u"}"#
        }.joined(separator: ",") + #"],"NextToken":"abc"}"#
        for chunk in [1, 3, 4096] {
            let result = ParseSupport.split(input, chunkSize: chunk)
            #expect(result.records.map(text) == Self.records)
            #expect(result.issues.isEmpty)
        }
        let missing = ParseSupport.split(#"{"Events":[{"EventId":"1"},{"CloudTrailEvent":"{\"eventName\":\"A\"}"}]}"#)
        #expect(missing.records.map(text) == [#"{"eventName":"A"}"#])
        #expect(missing.issues.map(\.code) == [.missingCloudTrailEvent])
        #expect(missing.issues.first?.index == 0)
        #expect(missing.positions.map(\.index) == [1])
    }
}

@Suite struct ParseSplitterBoundaryTests {
    static let input = #"{"Records":["# + [recordA, recordB, recordC].joined(separator: ",") + "]}"

    /// Two chunks, split at every byte: the records are always the same.
    @Test func everySplitPointOfTwoChunks() {
        let bytes = Array(Self.input.utf8)
        let whole = ParseSupport.split(bytes, chunkSize: bytes.count)
        #expect(whole.records.count == 3)
        for k in 0...bytes.count {
            var splitter = RecordSplitter()
            var got: [[UInt8]] = []
            var positions: [RecordPosition] = []
            bytes.withUnsafeBytes { all in
                for part in [all[0..<k], all[k..<all.count]] {
                    splitter.feed(UnsafeRawBufferPointer(rebasing: part)) { r, p in got.append(Array(r)); positions.append(p) }
                }
            }
            splitter.finish()
            #expect(got == whole.records, "split at \(k)")
            #expect(positions == whole.positions, "split at \(k)")
            #expect(splitter.issues.isEmpty, "split at \(k)")
        }
    }

    @Test func everySplitPointOfLookupEventsAndJSONLines() {
        let shapes = [
            #"{"Events":[{"CloudTrailEvent":"{\"eventName\":\"A\\\"b\",\"x\":\"\\u00e9\"}","detail":1},{"CloudTrailEvent":"{}"}]}"#,
            recordA + "\n" + recordB + "\n",
            #"[{"detail-type":"t","detail":"# + recordB + "}]",
        ]
        for input in shapes {
            let bytes = Array(input.utf8)
            let whole = ParseSupport.split(bytes, chunkSize: bytes.count)
            #expect(whole.records.count == 2 || whole.records.count == 1)
            for k in 0...bytes.count {
                var splitter = RecordSplitter()
                var got: [[UInt8]] = []
                bytes.withUnsafeBytes { all in
                    splitter.feed(UnsafeRawBufferPointer(rebasing: all[0..<k])) { r, _ in got.append(Array(r)) }
                    splitter.feed(UnsafeRawBufferPointer(rebasing: all[k...])) { r, _ in got.append(Array(r)) }
                }
                splitter.finish()
                #expect(got == whole.records, "split at \(k) of \(input)")
            }
        }
    }

    @Test func hugeRecordAcrossManyChunks() {
        let big = String(repeating: #"{"k":"v\"\\"},"#, count: 200_000)
        let record = #"{"eventSource":"s","eventName":"n","requestParameters":{"list":["# + big + "1]}}"
        let input = #"{"Records":["# + recordB + "," + record + "," + recordC + "]}"
        let result = ParseSupport.split(input, chunkSize: 4096)
        #expect(result.records.map(text) == [recordB, record, recordC])
        #expect(result.issues.isEmpty)
    }
}

@Suite struct ParseSplitterRecoveryTests {
    @Test func truncatedInputDeliversCompleteRecords() {
        let input = #"{"Records":["# + recordA + "," + recordB + #",{"eventName":"cut","#
        for chunk in [1, 7, 4096] {
            let result = ParseSupport.split(input, chunkSize: chunk)
            #expect(result.records.map(text) == [recordA, recordB])
            #expect(result.issues.count == 1)
            let issue = result.issues.first
            #expect(issue?.code == .unterminatedRecord)
            #expect(issue?.index == 2)
            #expect(issue?.byteOffset == Array(input.utf8).count - #"{"eventName":"cut","#.utf8.count)
        }
    }

    @Test func truncatedBetweenRecords() {
        let result = ParseSupport.split(#"{"Records":["# + recordA + ",")
        #expect(result.records.map(text) == [recordA])
        #expect(result.issues.map(\.code) == [.truncatedDocument])
    }

    @Test func nonObjectElementsAreReportedAndSkipped() {
        let input = #"{"Records":["# + recordA + #", 42, "text", [1,{"a":2}], null, "# + recordB + "]}"
        let result = ParseSupport.split(input, chunkSize: 3)
        #expect(result.records.map(text) == [recordA, recordB])
        #expect(result.positions.map(\.index) == [0, 5])
        #expect(result.issues.map(\.code) == [.notAnObject, .notAnObject, .notAnObject, .notAnObject])
        #expect(result.issues.map(\.index) == [1, 2, 3, 4])
    }

    @Test func jsonLinesRecoverAfterBrokenAndGarbageLines() {
        let input = [recordA, #"{"eventName":"broken", "x": "#, "garbage here", "", recordB, #"{"unclosed":"string"#, recordC].joined(separator: "\n")
        for chunk in [1, 7, 4096] {
            let result = ParseSupport.split(input, chunkSize: chunk)
            #expect(result.records.map(text) == [recordA, recordB, recordC], "chunk \(chunk)")
            #expect(result.issues.map(\.code) == [.unterminatedRecord, .notAnObject, .unterminatedRecord], "chunk \(chunk)")
            #expect(result.positions.map(\.index) == [0, 3, 5])
        }
    }

    @Test func mismatchedBracketsInsideARecordDoNotDesync() {
        let bad1 = #"{"eventSource":"a","eventName":"x","p":[1,{"q":2]}"#
        let bad2 = #"{"eventSource":"a","eventName":"y","p":{"q":[1}]}"#
        for input in [#"{"Records":["# + [recordA, bad1, recordB, bad2, recordC].joined(separator: ",") + "]}",
                      [recordA, bad1, recordB, bad2, recordC].joined(separator: "\n")] {
            for chunk in [1, 4096] {
                let result = ParseSupport.split(input, chunkSize: chunk)
                #expect(result.records.count == 5)
                #expect(result.records.first.map(text) == recordA)
                #expect(result.records.count == 5 ? text(result.records[2]) == recordB && text(result.records[4]) == recordC : false)
                #expect(result.issues.isEmpty)
                let decoder = RecordDecoder()
                #expect(result.records.map { (try? decoder.decode($0)) != nil } == [true, false, true, false, true])
            }
        }
    }

    @Test func strayClosingBracketIsReported() {
        let result = ParseSupport.split(recordA + "\n}\n" + recordB)
        #expect(result.records.map(text) == [recordA, recordB])
        #expect(result.issues.map(\.code) == [.unbalanced])
    }

    @Test func emptyAndWhitespaceInputsYieldNothing() {
        for input in ["", "  \n\t ", "[]", #"{"Records":[]}"#, "{\"Events\": [ ]}"] {
            let result = ParseSupport.split(input)
            #expect(result.records.isEmpty)
            #expect(result.issues.isEmpty, "\(input)")
        }
    }

    @Test func countRecordsUsesTheSplitterOnly() {
        let input = Array((#"{"Records":["# + [recordA, recordB, recordC].joined(separator: ",") + "]}").utf8)
        #expect(input.withUnsafeBytes { RecordStream.countRecords(in: $0) } == 3)
    }
}
