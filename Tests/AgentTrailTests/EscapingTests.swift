import Testing
@testable import AgentTrail

/// One escaping layer for every human-facing output: each hostile payload is neutralised in every format.
@Suite struct EscapingTests {
    /// (name, payload): terminal controls, bidi controls, line separators, formulas, markup.
    static let payloads: [(String, String)] = [
        ("ANSI colour", "a\u{1B}[31mred"), ("OSC title", "\u{1B}]0;pwned\u{07}x"), ("C1 CSI", "x\u{9B}31m"),
        ("NUL", "a\u{0}b"), ("DEL", "a\u{7F}b"), ("RLO", "evil\u{202E}txt.exe"), ("LRI", "a\u{2066}b\u{2069}"),
        ("RLM", "a\u{200F}b"), ("ALM", "a\u{061C}b"), ("line separator", "a\u{2028}b"), ("paragraph separator", "a\u{2029}b"),
        ("carriage return", "ok\rFAKE"), ("formula", "=HYPERLINK(\"http://x\")"), ("spaced formula", " =1+1"),
        ("tab formula", "\t@SUM(A1)"), ("newline formula", "\n-2+3"), ("html", "<script>alert(1)</script>"),
    ]

    static let invisible: [Unicode.Scalar] = ["\u{1B}", "\u{9B}", "\u{0}", "\u{7F}", "\u{202E}", "\u{2066}", "\u{2069}",
                                               "\u{200F}", "\u{061C}", "\u{2028}", "\u{2029}", "\u{07}"]

    @Test(arguments: payloads)
    func terminal(name: String, payload: String) {
        for keep in [false, true] {
            let out = Escaping.terminal(payload, keepNewlines: keep)
            #expect(!out.unicodeScalars.contains { Self.invisible.contains($0) }, "\(name)")
            if !keep { #expect(!out.contains("\r") && !out.contains("\n"), "\(name)") }
        }
    }

    @Test(arguments: payloads)
    func html(name: String, payload: String) {
        let out = Escaping.html(payload)
        #expect(!out.unicodeScalars.contains { Self.invisible.contains($0) }, "\(name)")
        #expect(!out.contains("<") && !out.contains(">"), "\(name)")
    }

    @Test(arguments: payloads)
    func csv(name: String, payload: String) {
        let cell = Escaping.csvCell(payload)
        #expect(!cell.unicodeScalars.contains { Self.invisible.contains($0) }, "\(name)")
        // A spreadsheet sees the cell's content after unquoting: it must not start (after whitespace) with a formula.
        var content = cell
        if content.hasPrefix("\"") { content = String(content.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"") }
        let first = content.unicodeScalars.first { !($0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r") }
        #expect(!(first.map { ["=", "+", "-", "@"].contains($0) } ?? false), "\(name): \(cell)")
    }

    @Test(arguments: payloads)
    func json(name: String, payload: String) {
        let out = Escaping.jsonString(payload)
        #expect(!out.unicodeScalars.contains { Self.invisible.contains($0) }, "\(name)")
    }

    /// `jsonString` writes printable ASCII without `"` or `\` as it is; the result equals the scalar loop's
    /// (`jsonStringByScalars`) for every ASCII character alone and embedded, the payloads above, and random mixes of
    /// ASCII, controls, quotes, backslashes and non-ASCII scalars (bidi marks, C1 controls, letters, emoji).
    @Test func jsonPlainTextEqualsTheScalarLoop() {
        var inputs: [String] = Self.payloads.map(\.1) + ["", "plain text", "arn:aws:iam::111122223333:role/x", "~"]
        for v in UInt32(0)...0x7F {
            let c = String(Unicode.Scalar(v)!)
            inputs += [c, "ab" + c + "cd"]
        }
        let pieces = ["a", "Z", "0", " ", "\"", "\\", "\n", "\t", "\u{1B}", "\u{7F}", "\u{9B}", "\u{202E}", "\u{2028}",
                      "é", "日本", "🙂", "/", "{", "}"]
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for _ in 0..<2_000 {
            var s = ""
            for _ in 0..<(Int(state >> 60) + 1) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                s += pieces[Int(state >> 33) % pieces.count]
            }
            inputs.append(s)
        }
        var plain = 0
        for s in inputs {
            #expect(Escaping.jsonString(s) == Escaping.jsonStringByScalars(s), "\(Array(s.unicodeScalars))")
            if Escaping.isPlainJSONText(s) { plain += 1 }
        }
        #expect(plain > 100 && plain < inputs.count)
    }

    /// Lint's text output quotes file names and policy text.
    @Test func lintTextEscapes() {
        let report = LintReport(findings: [LintFinding(rule: "unknown-action", severity: .medium, file: "pol\u{1B}[31m\u{202E}.json", document: "",
                                                       jsonPath: "$.Statement[0]", message: "x\u{2028}y")],
                                documentsChecked: 1)
        #expect(!report.text.unicodeScalars.contains { Self.invisible.contains($0) })
    }
}
