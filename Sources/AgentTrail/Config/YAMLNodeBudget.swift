import CYaml
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Counts the nodes of a YAML text with aliases expanded, from libyaml's event stream, before anything builds a tree.
///
/// Every use of an alias counts the whole value it names, so a "billion laughs" text (nested or flat: a long list of
/// aliases to a long list) is measured at the cost of reading its events once, and rejected before Yams composes it
/// (composing hashes mapping keys whole: an alias used as a key would otherwise be expanded there).
enum YAMLNodeBudget {
    enum Outcome: Equatable {
        /// At most `limit` nodes.
        case within(Int)
        /// More than `limit` nodes; the 1-based line of the event that went over.
        case exceeded(line: Int)
        /// libyaml could not read the text (Yams will report the same problem with its own message).
        case syntaxError(problem: String, line: Int)
    }

    /// With `skipsSmallAnchorless`, a text of at most `limit / 2` bytes without an anchor (`&`) is not read: with
    /// nothing an alias can name, its nodes are fewer than its bytes, so it is within the limit (`.within(0)`: not
    /// counted), and a syntax error in it is reported by Yams. That pass is a fifth of loading a rule pack.
    static func count(_ yaml: String, limit: Int, skipsSmallAnchorless: Bool = false) -> Outcome {
        var text = yaml
        return text.withUTF8 { bytes in
            if skipsSmallAnchorless, bytes.count <= limit / 2,
               bytes.isEmpty || memchr(bytes.baseAddress!, 0x26, bytes.count) == nil {
                return .within(0)
            }
            return count(bytes, limit: limit)
        }
    }

    private static func count(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> Outcome {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return .syntaxError(problem: "cannot start the YAML parser", line: 1) }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)

        var anchors: [String: Int] = [:]
        // Open sequences and mappings: nodes inside so far (the collection itself included) and its anchor.
        var open: [(count: Int, anchor: String?)] = []
        var total = 0
        func anchorName(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            p.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
        /// Adds a node of `size` expanded nodes to the total and to the collection it is in.
        func add(_ size: Int) { total += size; if !open.isEmpty { open[open.count - 1].count += size } }

        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
                return .syntaxError(problem: problem, line: Int(parser.problem_mark.line) + 1)
            }
            defer { yaml_event_delete(&event) }
            let line = Int(event.start_mark.line) + 1
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return .within(total)
            case YAML_DOCUMENT_START_EVENT:
                anchors.removeAll()
            case YAML_SCALAR_EVENT:
                add(1)
                if let a = anchorName(event.data.scalar.anchor) { anchors[a] = 1 }
            case YAML_ALIAS_EVENT:
                add(anchorName(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1)
            case YAML_SEQUENCE_START_EVENT:
                total += 1
                open.append((1, anchorName(event.data.sequence_start.anchor)))
            case YAML_MAPPING_START_EVENT:
                total += 1
                open.append((1, anchorName(event.data.mapping_start.anchor)))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let done = open.popLast() else { break }
                if let a = done.anchor { anchors[a] = done.count }
                if !open.isEmpty { open[open.count - 1].count += done.count }
            default:
                break
            }
            if total > limit { return .exceeded(line: line) }
        }
    }
}
