import CZlib

extension InputReader {
    /// zlib streaming inflate of `source` (gzip or zlib wrapped, multi-member, zero padding between or
    /// after members tolerated). `first` is a slice already taken from `source`, if any.
    func inflateStream<S: ChunkSource>(_ source: inout S, first: UnsafeRawBufferPointer?, path: String,
                                       stats: inout ReadStats,
                                       _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var strm = z_stream()
        let initResult = agenttrail_inflateInit2(&strm, 15 + 32)
        guard initResult == Z_OK else {
            throw InputError(.decompressor, "zlib inflateInit2 failed (\(initResult))", path: path)
        }
        defer { inflateEnd(&strm) }

        let out = streamOut.reserve(InputReader.streamOutputSize)
        let outBase = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
        let outCount = UInt32(out.count)

        var slice = first ?? UnsafeRawBufferPointer(start: nil, count: 0)
        var sliceStart = source.offset - Int64(slice.count)
        var position = 0          // index of the next unconsumed byte in `slice`
        var inMember = true       // a member has started and not ended

        while true {
            if position == slice.count {
                guard let next = try source.next() else { break }
                slice = next
                sliceStart = source.offset - Int64(next.count)
                position = 0
            }
            if !inMember {
                // Between members: skip zero padding, then start the next member.
                while position < slice.count && slice[position] == 0 { position += 1 }
                if position == slice.count { continue }
                guard inflateReset(&strm) == Z_OK else {
                    throw InputError(.decompressor, "zlib inflateReset failed", path: path,
                                     offset: sliceStart + Int64(position))
                }
                inMember = true
            }
            let given = UInt32(slice.count - position)
            strm.next_in = UnsafeMutablePointer(mutating: slice.baseAddress!.advanced(by: position)
                .assumingMemoryBound(to: Bytef.self))
            strm.avail_in = given
            var result: Int32
            repeat {
                strm.next_out = outBase
                strm.avail_out = outCount
                result = inflate(&strm, Z_NO_FLUSH)
                let produced = Int(outCount - strm.avail_out)
                let here = sliceStart + Int64(position) + Int64(given - strm.avail_in)
                if produced > 0 {
                    try deliver(UnsafeRawBufferPointer(start: out.baseAddress, count: produced),
                                path: path, offset: here, stats: &stats, body)
                }
                switch result {
                case Z_OK, Z_BUF_ERROR, Z_STREAM_END:
                    break
                case Z_NEED_DICT:
                    throw InputError(.corrupt, "zlib stream needs a preset dictionary", path: path, offset: here)
                case Z_DATA_ERROR:
                    throw InputError(.corrupt, "invalid compressed data (\(zlibMessage(strm)))", path: path, offset: here)
                case Z_MEM_ERROR:
                    throw InputError(.decompressor, "zlib out of memory", path: path, offset: here)
                default:
                    throw InputError(.decompressor, "zlib error \(result) (\(zlibMessage(strm)))", path: path, offset: here)
                }
            } while result == Z_OK && strm.avail_out == 0
            position += Int(given - strm.avail_in)
            if result == Z_STREAM_END {
                inMember = false
                stats.members += 1
            }
        }
        if inMember {
            throw InputError(.truncated, "compressed data ends inside a gzip member", path: path, offset: source.offset)
        }
    }

    private func zlibMessage(_ strm: z_stream) -> String {
        strm.msg.map { String(cString: $0) } ?? "no detail"
    }
}
