#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Functions of the C library that Swift's module for it does not export (it is built without `_GNU_SOURCE`).
enum CLibrary {
    /// The process's function `name` as `type` (a `@convention(c)` function type), or nil where there is none.
    static func function<F>(_ name: String, as type: F.Type) -> F? {
        #if canImport(Darwin)
        let handle = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT
        #else
        let handle: UnsafeMutableRawPointer? = nil  // RTLD_DEFAULT
        #endif
        guard let symbol = dlsym(handle, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }
}
