/// Memory freed by the process handed back to the system.
enum FreedMemory {
    typealias TrimFunction = @convention(c) (Int) -> Int32

    /// The C library's `malloc_trim` (glibc), looked up once; nil elsewhere.
    static let trim = CLibrary.function("malloc_trim", as: TrimFunction.self)

    /// Returns the free pages of the allocator's heaps to the system (glibc `malloc_trim(0)`), so that the resident
    /// set shrinks to what is in use; does nothing where there is no such call. For a point after which a run needs
    /// much less than it held (a scan's pass, its memo tables freed).
    static func returnToSystem() {
        _ = trim?(0)
    }
}
