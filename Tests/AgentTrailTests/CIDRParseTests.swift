import Testing
import AgentTrail

/// `CIDR` text parsing, on bytes: what `Int(_:)` and `IPAddress` accept, host bits cleared, ASCII whitespace around it
/// ignored, anything else refused.
@Suite struct CIDRParseTests {
    @Test(arguments: [
        ("203.0.113.0/24", "203.0.113.0/24"),
        ("203.0.113.77/24", "203.0.113.0/24"),
        ("10.1.2.3", "10.1.2.3/32"),
        (" \t10.0.0.0/8\r\n", "10.0.0.0/8"),
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("10.0.0.0/+8", "10.0.0.0/8"),
        ("10.0.0.0/-0", "0.0.0.0/0"),
        ("10.0.0.0/0008", "10.0.0.0/8"),
        ("2001:db8::/32", "2001:db8::/32"),
        ("2001:db8:1:2:3:4:5:6/64", "2001:db8:1:2::/64"),
        ("::/0", "::/0"),
        ("::ffff:1.2.3.4/128", "::ffff:102:304/128"),
        ("2600:1f18::1", "2600:1f18::1/128"),
    ])
    func parses(_ text: String, _ expected: String) {
        #expect(CIDR(text)?.description == expected)
        #expect(CIDR(Substring("[" + text + "]").dropFirst().dropLast())?.description == expected)
    }

    @Test(arguments: ["", " ", "/24", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/2 4", "10.0.0.0 /8",
                      "10.0.0.0/8/8", "10.0.0.256/8", "2001:db8::/129", "2001:db8::/99999999999999999999999",
                      "10.0.0.0/+", "10.0.0.0/٣", "10.0.0.0/８", "example.com/8", "10.0.0/8", "1.2.3.4.5/32"])
    func refuses(_ text: String) {
        #expect(CIDR(text) == nil)
    }

    @Test func addressesParseFromAnyString() {
        #expect(IPAddress("198.51.100.7") == .v4(0xC633_6407))
        #expect(IPAddress(Substring("x198.51.100.7").dropFirst()) == .v4(0xC633_6407))
        #expect(IPAddress("198.51.100.7 ") == nil)
        #expect(IPAddress("2001:db8::1")?.description == "2001:db8::1")
    }
}
