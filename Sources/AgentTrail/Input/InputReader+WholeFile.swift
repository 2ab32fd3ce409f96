extension InputReader {
    /// The libdeflate path for one gzip regular file of `size` bytes (0 < size <= wholeFileCap).
    ///
    /// Reads ISIZE first (without reading the file) and streams with zlib when it exceeds the cap;
    /// otherwise leases `size` + ISIZE bytes of buffers from `budget` (waiting for them when `wait`, else
    /// returning false at once when they are not available), reads the file whole and decompresses member by
    /// member. Any member libdeflate rejects, or that needs more than the cap (or than the budget can add now),
    /// is handed to zlib streaming from that member's first byte, so already delivered members stay delivered
    /// and damaged data is reported with its offset. Returns true when the file was read.
    func readWholeFile(fd: Int32, size: Int, path: String, libdeflate: LibDeflateDecompressor, wait: Bool,
                       stats: inout ReadStats, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        var head: (UInt8, UInt8) = (0, 0)
        var trailer: UInt32 = 0
        // A file that fits the streaming input buffer is read there first, with one `pread`, and its magic and ISIZE
        // are taken from memory: three reads a file (magic, ISIZE, body) were, with the opens, most of the system
        // calls of a scan of small files. Only when the whole file came back (it did not shrink since `fstat`): else
        // it is read as any larger file. The streaming paths below read the descriptor again from its position 0
        // (`pread` does not move it) and are the only other users of `streamIn`.
        var preread: UnsafeRawBufferPointer?
        if size <= InputReader.streamInputSize {
            let buffer = streamIn.reserve(InputReader.streamInputSize)
            if try Posix.readFully(fd, buffer.baseAddress!, size, at: 0, path: path) == size {
                preread = UnsafeRawBufferPointer(start: buffer.baseAddress, count: size)
            }
        }
        let headCount: Int
        if let preread {
            headCount = min(size, 2)
            if headCount == 2 { head = (preread[0], preread[1]) }
        } else {
            headCount = try withUnsafeMutableBytes(of: &head) {
                try Posix.readFully(fd, $0.baseAddress!, 2, at: 0, path: path)
            }
        }
        let isGzip = headCount == 2 && head.0 == 0x1F && head.1 == 0x8B
        if isGzip && size >= 4 {
            if let preread {
                trailer = UnsafeRawPointer(preread.baseAddress! + (size - 4)).loadUnaligned(as: UInt32.self)
            } else {
                _ = try withUnsafeMutableBytes(of: &trailer) {
                    try Posix.readFully(fd, $0.baseAddress!, 4, at: Int64(size - 4), path: path)
                }
            }
        }
        let isize = Int(UInt32(littleEndian: trailer))  // the last member's size mod 2^32
        guard isGzip, isize <= wholeFileCap else {
            // Plain, or too large to hold: stream from the descriptor (its position is still 0).
            if isGzip { stats.fellBackToZlib = true }
            var source = DescriptorSource(fd: fd, buffer: streamIn.reserve(InputReader.streamInputSize), path: path,
                                          limit: Int64(size))
            try stream(&source, path: path, stats: &stats, body)
            return true
        }

        let firstOutput = min(wholeFileCap, max(isize, 64 * 1024))
        guard let lease = budget.acquire(input: size, output: firstOutput, wait: wait) else {
            putOff = (path, size, firstOutput)
            return false
        }
        putOff = nil
        defer { budget.release(lease) }
        // (The lease still includes the input buffer when the file was read already, so that the budget decides
        // exactly as for any file; an idle one is reused and not written.)
        let data: UnsafeRawBufferPointer
        if let preread {
            data = preread
        } else {
            let input = lease.input.reserve(size)
            let count = try Posix.readFully(fd, input.baseAddress!, size, at: 0, path: path)
            data = UnsafeRawBufferPointer(start: input.baseAddress, count: count)
        }
        let count = data.count
        stats.method = .libdeflate
        stats.compressedBytes = Int64(count)

        var position = 0
        members: while true {
            while position < count && data[position] == 0 { position += 1 }  // zero padding
            if position == count { return true }
            guard count - position >= 18, data[position] == 0x1F, data[position + 1] == 0x8B else { break }
            // libdeflate skips a header CRC (FHCRC) without checking it; zlib checks it, so such members go to zlib
            // and a wrong header CRC is reported the same way on both paths.
            guard data[position + 3] & 0x02 == 0 else { break }
            let rest = UnsafeRawBufferPointer(rebasing: data[position...])
            var capacity = min(wholeFileCap, max(isize, 64 * 1024, lease.output.capacity))
            while true {
                guard budget.growOutput(lease, to: capacity) else { break members }
                let out = lease.output.reserve(capacity)
                switch libdeflate.decompressMember(rest, into: out) {
                case let .success(consumed, produced):
                    position += consumed
                    stats.members += 1
                    try deliver(UnsafeRawBufferPointer(start: out.baseAddress, count: produced),
                                path: path, offset: Int64(position), stats: &stats, body)
                    continue members
                case .insufficientSpace:
                    guard out.count < wholeFileCap else { break members }
                    capacity = min(wholeFileCap, max(out.count * 2, rest.count * 8))
                case .badData:
                    break members
                }
            }
        }
        // zlib takes over at `position`: it delivers what it can and reports the fault with its offset.
        stats.method = .zlib
        stats.fellBackToZlib = true
        var source = MemorySource(UnsafeRawBufferPointer(rebasing: data[position...]), startOffset: Int64(position))
        try inflateStream(&source, first: nil, path: path, stats: &stats, body)
        return true
    }
}
