#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The libdeflate entry points, resolved once with `dlopen`/`dlsym` (libdeflate is not a build dependency).
///
/// Only immutable function pointers are shared between threads; each worker allocates its own
/// `libdeflate_decompressor` through `LibDeflateDecompressor`, because those are not thread-safe.
struct LibDeflateSymbols: @unchecked Sendable {
    typealias Alloc = @convention(c) () -> OpaquePointer?
    typealias Free = @convention(c) (OpaquePointer?) -> Void
    /// `libdeflate_gzip_decompress_ex(d, in, in_nbytes, out, out_nbytes_avail, &actual_in, &actual_out)`.
    typealias GzipDecompressEx = @convention(c) (
        OpaquePointer?, UnsafeRawPointer?, Int, UnsafeMutableRawPointer?, Int,
        UnsafeMutablePointer<Int>?, UnsafeMutablePointer<Int>?
    ) -> Int32

    let alloc: Alloc
    let free: Free
    let gzipDecompressEx: GzipDecompressEx
    /// The library name that `dlopen` accepted.
    let libraryName: String

    /// Names tried in order (Debian/Ubuntu soname first, then common macOS/Homebrew names).
    static let candidateNames = [
        "libdeflate.so.0", "libdeflate.so",
        "libdeflate.0.dylib", "libdeflate.dylib",
        "/opt/homebrew/lib/libdeflate.0.dylib", "/usr/local/lib/libdeflate.0.dylib",
    ]

    /// The loaded symbols, or nil when libdeflate is not installed or `AGENTTRAIL_NO_LIBDEFLATE` is set.
    static let shared: LibDeflateSymbols? = load()

    private static func load() -> LibDeflateSymbols? {
        if let flag = getenv("AGENTTRAIL_NO_LIBDEFLATE"), flag.pointee != 0, String(cString: flag) != "0" {
            return nil
        }
        for name in candidateNames {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let a = dlsym(handle, "libdeflate_alloc_decompressor"),
                  let f = dlsym(handle, "libdeflate_free_decompressor"),
                  let g = dlsym(handle, "libdeflate_gzip_decompress_ex")
            else {
                dlclose(handle)
                continue
            }
            // The handle is intentionally never closed: the function pointers live for the process.
            return LibDeflateSymbols(
                alloc: unsafeBitCast(a, to: Alloc.self),
                free: unsafeBitCast(f, to: Free.self),
                gzipDecompressEx: unsafeBitCast(g, to: GzipDecompressEx.self),
                libraryName: name
            )
        }
        return nil
    }
}

/// One `libdeflate_decompressor`, owned by one worker (not thread-safe, hence not Sendable).
final class LibDeflateDecompressor {
    /// The outcome of decompressing one gzip member.
    enum Outcome: Equatable {
        /// One member was decompressed: `consumed` compressed bytes, `produced` output bytes.
        case success(consumed: Int, produced: Int)
        /// The data is invalid or truncated (libdeflate does not tell which).
        case badData
        /// The output buffer is too small for the member.
        case insufficientSpace
    }

    private let symbols: LibDeflateSymbols
    private let handle: OpaquePointer

    /// Returns nil when libdeflate is unavailable or allocation fails.
    init?(symbols: LibDeflateSymbols? = LibDeflateSymbols.shared) {
        guard let symbols, let handle = symbols.alloc() else { return nil }
        self.symbols = symbols
        self.handle = handle
    }

    deinit { symbols.free(handle) }

    /// Decompresses the first gzip member of `input` into `output`.
    func decompressMember(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Outcome {
        var consumed = 0
        var produced = 0
        let result = symbols.gzipDecompressEx(
            handle, input.baseAddress, input.count, output.baseAddress, output.count, &consumed, &produced)
        switch result {
        case 0: return .success(consumed: consumed, produced: produced)
        case 3: return .insufficientSpace
        default: return .badData  // 1 = BAD_DATA, 2 = SHORT_OUTPUT (not returned when actual_out is given)
        }
    }
}
