/// One log file read through a `RecordStream`, and what went wrong, classified once for `scan` and `events`:
/// whether the file is not CloudTrail at all, the input error that cut it short, and its parse issues split into
/// malformed records, document-level problems, and records lost with the damage.
struct RecordFileRead {
    /// The reader's statistics; nil when the file failed before they were known.
    var stats: ReadStats?
    /// Why the file could not be read to its end.
    var inputError: InputError?
    /// The error was not an `InputError` of the reader (then the file's bytes are not counted as read).
    var unexpectedError = false
    /// A JSON object with no CloudTrail shape (a policy, a manifest) found in a folder: skip and list, not an error.
    var notCloudTrail = false
    /// Records that could not be split or decoded (not those cut off by `inputError`).
    var malformed: [ParseIssue] = []
    /// Problems of the document, not of a record (a truncated `Records` array), when the file was otherwise read.
    var documentProblems: [ParseIssue] = []
    /// Records lost because the file was damaged: part of the file's failure, not malformed records.
    var cutRecords = 0

    /// Reads `file` into `stream` (created by the caller with its options), handing each chunk to `feed`. Returns
    /// nil when the file was put off for the whole-file budget (nothing was delivered). The stream is finished.
    static func read(_ file: LogFile, reader: InputReader, stream: inout RecordStream, waitForBudget: Bool,
                     feed: (inout RecordStream, UnsafeRawBufferPointer) throws -> Void) -> RecordFileRead? {
        var out = RecordFileRead()
        do {
            var sniffed = false
            let read = try reader.forEachChunk(of: file, waitForBudget: waitForBudget) { chunk in
                if !sniffed, let isJSON = JSONSniffer.startsLikeJSON(chunk) {
                    sniffed = true
                    if !isJSON { throw InputError(.unsupported, "not JSON text (binary or unknown format)", path: file.path, offset: 0) }
                }
                try feed(&stream, chunk)
            }
            guard let read else { return nil }  // put off: nothing was delivered
            out.stats = read
        } catch let e as InputError {
            out.inputError = e
        } catch {
            out.inputError = InputError(.unreadable, "\(error)", path: file.path)
            out.unexpectedError = true
        }
        stream.finish()
        if out.inputError == nil, isNotCloudTrail(file, stream) {
            out.notCloudTrail = true
            return out
        }
        for issue in stream.issues {
            if out.inputError != nil && (issue.code == .unterminatedRecord || issue.code == .truncatedDocument) {
                if issue.consumesRecord { out.cutRecords += 1 }
                continue
            }
            if issue.consumesRecord {
                out.malformed.append(issue)
            } else if out.inputError == nil {
                out.documentProblems.append(issue)
            }
        }
        return out
    }

    /// One object, not decoded because it has neither eventSource nor eventName, in a file without a CloudTrail
    /// log name (files with CloudTrail names never are).
    static func isNotCloudTrail(_ file: LogFile, _ stream: RecordStream) -> Bool {
        let c = stream.counts
        // (The counts first: `file.name` parses the whole path again, and this is asked after every file.)
        guard c.elements == 1, c.decoded == 0, c.filtered == 0, c.malformed == 1, !file.isStandardInput,
              !file.name.hasCloudTrailName, let issue = stream.issues.first, issue.index == 0 else { return false }
        return issue.decodeCode == .notAnEvent
    }
}
