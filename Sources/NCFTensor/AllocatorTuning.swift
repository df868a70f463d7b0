#if canImport(Glibc)
import Glibc
#endif

/// Keeps freed tensor buffers inside the process.
///
/// Why: glibc's malloc serves blocks above its mmap threshold (128 KiB at
/// start) with fresh `mmap`s and trims the top of the heap back to the system
/// once more than its trim threshold is free. A training step allocates and
/// frees dozens of B×width tensors (0.25–2 MiB each), so every step paid page
/// faults on memory it had just released (seen as `exc_page_fault` and page
/// freeing in `perf`). With an mmap threshold of 32 MiB (glibc's maximum) and
/// a trim threshold of 1 GiB, freed buffers are reused by the next step.
/// Measured in `ncf bench step` (d = 2 and 16, loaded 2-core machine, same
/// session): 1.2–2.7× shorter steps. Memory is kept, not leaked: the peak
/// resident size is that of one step.
public enum AllocatorTuning {
  /// Applies the thresholds once per process (no effect off glibc).
  public static let retainFreedBuffers: Void = {
    #if canImport(Glibc)
    // <malloc.h> is not in Swift's Glibc module: look mallopt up instead.
    guard let f = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    let mallopt = unsafeBitCast(f, to: (@convention(c) (Int32, Int32) -> Int32).self)
    let (trimThreshold, mmapThreshold): (Int32, Int32) = (-1, -3)  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
    _ = mallopt(mmapThreshold, 32 << 20)
    _ = mallopt(trimThreshold, 1 << 30)
    #endif
  }()
}
