import CLinux

/// glibc's malloc gives every thread that allocates its own arena (up to 8 per core) and keeps
/// each arena's free memory and top chunk for that thread. The server's allocating threads (event
/// loops, the concurrency pool, the metrics listener) ended a load test with four thread arenas
/// of 0.8-1.4 MiB resident each besides the main heap. One arena shares that free memory: after
/// h2load (h2 then h1, 30,000 requests each) anonymous memory 6.7 -> 5.4 MiB and peak RSS
/// 23.8 -> 22.7 MiB (medians of 4), no throughput change above the noise (most allocations are
/// served from glibc's per-thread tcache without taking the arena lock).
/// Must run before other threads allocate: the first statement of `main`.
enum MallocArenas {
    static func useOne() {
        _ = shim_malloc_single_arena()
    }
}
