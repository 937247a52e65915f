import Foundation

#if canImport(Glibc)
    import CMalloc
#endif

/// glibc's malloc keeps up to eight arenas per core, one for each thread that finds the others
/// busy. Under load the server's threads each grew one, and the memory in them is rarely given
/// back: peak RSS in the benchmark was 257 MB with the default, 176 MB with two arenas, at the
/// same throughput.
enum MallocArenas {
    /// Two arenas, unless `MALLOC_ARENA_MAX` says otherwise (glibc reads that itself). Call it
    /// first thing: arenas made before it stay.
    static func limit() {
        #if canImport(Glibc)
            if ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil { _ = mallopt(M_ARENA_MAX, 2) }
        #endif
    }
}
