extension ScanSummary {
    /// The documented JSON summary (see README, "JSON summary").
    public var json: JSONValue {
        .object([
            ("files", .object([
                ("read", .int(filesRead)),
                ("empty", .int(filesEmpty)),
                ("skipped", .object([
                    ("digest", .int(skippedDigest)),
                    ("insight", .int(skippedInsight)),
                    ("outOfRange", .int(skippedOutOfRange)),
                    ("notCloudTrail", .int(skippedNotCloudTrail.count)),
                    ("notCloudTrailFiles", .array(skippedNotCloudTrail.map { .string($0) })),
                ] + (skippedOutsideRoot.isEmpty ? [] : [  // (only when there are: the summary is otherwise unchanged)
                    ("outsideRoot", .int(skippedOutsideRoot.count)),
                    ("outsideRootLinks", .array(skippedOutsideRoot.map { .string($0) })),
                ]))),
                ("failed", .array(failed.map { f in
                    .object([("path", .string(f.path)), ("offset", f.offset.map { .int(Int($0)) } ?? .null), ("reason", .string(f.reason))])
                })),
            ])),
            ("records", .object([
                ("total", .int(recordsTotal)),
                ("malformed", .int(recordsMalformed)),
                ("outOfRange", .int(recordsOutOfRange)),
                ("withoutTime", .int(recordsWithoutTime)),
                ("timeOutliers", .int(recordsTimeOutliers)),
                ("timeOutlierRecords", .array(timeOutliers.map { t in
                    .object([("path", .string(t.path)), ("eventId", .str(t.eventID)), ("eventTime", .time(t.eventTime))])
                })),
                ("analysed", .int(recordsAnalysed)),
                ("bedrock", .int(bedrock)),
                ("agentcore", .int(agentcore)),
                ("byEventSource", .object(byEventSource.keys.sorted().map { ($0, .int(byEventSource[$0]!)) })),
                ("malformedRecords", .array(malformed.map { m in
                    .object([("path", .string(m.path)), ("index", .int(m.index)),
                             ("offset", m.offset.map { .int(Int($0)) } ?? .null), ("reason", .string(m.reason))])
                })),
            ])),
            ("principals", .int(principals.count)),
            ("timeRange", .object([("first", .time(firstEvent)), ("last", .time(lastEvent))])),
            ("performance", .object([
                ("seconds", .double(seconds)),
                ("compressedBytes", .int(Int(compressedBytes))),
                ("uncompressedBytes", .int(Int(uncompressedBytes))),
                ("recordsPerSecond", .double(seconds > 0 ? Double(recordsTotal + recordsMalformed) / seconds : 0)),
                ("mbPerSecond", .double(seconds > 0 ? Double(uncompressedBytes) / 1_000_000 / seconds : 0)),
                ("jobs", .int(jobs)),
                ("decompressor", .string(decompressor)),
            ])),
        ])
    }
}

extension Finding {
    /// The documented JSON form of a finding (see README, "Findings").
    public var json: JSONValue {
        .object([
            ("detector", .string(detector)),
            ("severity", .string(severity.name)),
            ("title", .string(title)),
            ("principal", .str(principal)),
            ("subject", .object(subject.keys.sorted().map { ($0, .string(subject[$0]!)) })),
            ("count", .int(count)),
            ("firstSeen", .time(firstSeen)),
            ("lastSeen", .time(lastSeen)),
            ("eventIds", .array(evidence.map { .str($0.eventID) })),
            ("evidence", .array(evidence.map { e in
                .object([("eventId", .str(e.eventID)), ("file", .string(e.file)), ("index", .int(e.index)), ("time", .time(e.time))])
            })),
            ("evidenceTotal", .int(evidenceTotal)),
            ("recommendation", .string(recommendation)),
            ("details", .object(details.keys.sorted().map { ($0, .array(details[$0]!.map { .string($0) })) })),
            ("key", .string(key)),
        ])
    }
}

extension ScanResult {
    /// `scan --format json`: the summary plus `findings[]`, `suppressed[]` and config warnings.
    public var json: JSONValue {
        guard case .object(var pairs) = summary.json else { return summary.json }
        pairs.append(("findings", .array(findings.map(\.json))))
        pairs.append(("findingsBySeverity", .object(Severity.allCases.reversed().map { s in
            (s.name, .int(findings.filter { $0.severity == s }.count))
        })))
        pairs.append(("suppressed", .array(suppressed.map { s in
            .object([("key", .string(s.finding.key)), ("detector", .string(s.finding.detector)),
                     ("principal", .str(s.finding.principal)), ("count", .int(s.finding.count)), ("reason", .string(s.reason))])
        })))
        pairs.append(("expiredSuppressions", .array(expiredSuppressions.map { s in
            .object([("detector", .string(s.detector)), ("principal", .string(s.principal)), ("reason", .string(s.reason)),
                     ("expires", .time(s.expires)), ("line", s.line.map { .int($0) } ?? .null)])
        })))
        if let b = facts?.baselineEnd { pairs.append(("baselineEnd", .string(b.iso8601))) }
        return .object(pairs)
    }
}
