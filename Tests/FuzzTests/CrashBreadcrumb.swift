#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes a crash during a fuzz case name that case. A trap (precondition,
/// overflow, stack overflow) kills the whole test process, which already
/// fails the suite; this handler prints the label of the case that was
/// running first, then hands the signal to the previous handler (Swift's
/// backtracer) so the usual crash report follows.
///
/// The handler runs on an alternate stack, so a stack overflow reaches it too.
/// Alternate stacks are per thread: ``arm()`` must run on the thread that runs
/// the cases (a synchronous test stays on one thread).
enum CrashBreadcrumb {
  static let signals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]

  /// Installs the handler (once) and an alternate stack for the calling thread.
  static func arm() {
    if !installed {
      installed = true
      for (k, sig) in signals.enumerated() {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = crashHandler
        #else
        action.__sigaction_u.__sa_handler = crashHandler
        #endif
        action.sa_flags = Int32(SA_ONSTACK)
        sigemptyset(&action.sa_mask)
        sigaction(sig, &action, previousActions + k)
      }
    }
    var stack = stack_t()
    stack.ss_sp = UnsafeMutableRawPointer(alternateStack)
    stack.ss_size = alternateStackSize
    stack.ss_flags = 0
    sigaltstack(&stack, nil)
  }

  /// Records the case about to run (truncated to 511 bytes).
  static func set(_ label: String) {
    let bytes = Array(label.utf8.prefix(511))
    for (k, b) in bytes.enumerated() { currentLabel[k] = CChar(bitPattern: b) }
    currentLabel[bytes.count] = 0
  }
}

// Plain globals the C handler can reach without captures; written only by the
// fuzz test's own thread before each case.
nonisolated(unsafe) private var installed = false
nonisolated(unsafe) private let currentLabel: UnsafeMutablePointer<CChar> = {
  let p = UnsafeMutablePointer<CChar>.allocate(capacity: 512)
  p.initialize(repeating: 0, count: 512)
  return p
}()
private let alternateStackSize = 1 << 16
nonisolated(unsafe) private let alternateStack = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
nonisolated(unsafe) private let previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 6)
private let crashPrefix: StaticString = "\n*** fuzz case crashed the process: "

private let crashHandler: @convention(c) (Int32) -> Void = { sig in
  _ = write(2, crashPrefix.utf8Start, crashPrefix.utf8CodeUnitCount)
  _ = write(2, currentLabel, strlen(currentLabel))
  _ = write(2, "\n", 1)
  // Hand over to whoever handled the signal before (or the default action);
  // the faulting instruction runs again on return and reaches it.
  if let k = CrashBreadcrumb.signals.firstIndex(of: sig) {
    sigaction(sig, previousActions + k, nil)
  } else {
    signal(sig, SIG_DFL)
  }
  if sig == SIGABRT || sig == SIGTRAP { raise(sig) }  // these do not recur on return
}
