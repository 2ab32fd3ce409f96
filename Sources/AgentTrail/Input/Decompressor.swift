import CZlib

/// Which gzip implementation reads compressed files.
///
/// - `auto`: libdeflate's whole-buffer decompressor when the shared library can be loaded at run time,
///   zlib streaming otherwise.
/// - `zlib`: always zlib streaming; libdeflate is never used.
/// - `libdeflate`: like `auto`, for callers that want to state the preference; when libdeflate is
///   missing it behaves as `zlib` (check `Decompressor.libdeflateAvailable` to insist).
///
/// Whatever is chosen, standard input, plain files, files whose size exceeds the whole-file cap,
/// and files libdeflate rejects (truncated, corrupt) are read by zlib streaming, so a damaged file
/// still delivers every byte before the fault and the error names the compressed offset.
public enum Decompressor: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case auto
    case zlib
    case libdeflate

    /// True when `libdeflate` could be loaded with `dlopen` (and `AGENTTRAIL_NO_LIBDEFLATE` is not set).
    public static var libdeflateAvailable: Bool { LibDeflateSymbols.shared != nil }

    /// The library name `dlopen` accepted, e.g. `libdeflate.so.0`, or nil.
    public static var libdeflateLibraryName: String? { LibDeflateSymbols.shared?.libraryName }

    /// The zlib version linked in, e.g. `1.2.13`.
    public static var zlibVersion: String { String(cString: CZlib.zlibVersion()) }

    /// True when this choice reads eligible files with libdeflate on this machine.
    public var usesLibdeflate: Bool {
        self != .zlib && Decompressor.libdeflateAvailable
    }

    /// What actually serves gzip files with this choice, e.g.
    /// `libdeflate (libdeflate.so.0), zlib 1.2.13 for streams and damaged files`.
    public var inUseDescription: String {
        let zlibText = "zlib \(Decompressor.zlibVersion)"
        if usesLibdeflate, let name = Decompressor.libdeflateLibraryName {
            return "libdeflate (\(name)), \(zlibText) for streams and damaged files"
        }
        if self == .libdeflate { return "\(zlibText) (libdeflate requested but not found)" }
        return zlibText
    }

    public var description: String { rawValue }
}
