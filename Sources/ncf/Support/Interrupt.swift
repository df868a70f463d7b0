import Foundation

/// Ctrl-C handling for long commands: the first SIGINT sets a flag that the
/// training loop polls (so the last good model can be saved); a second one
/// exits at once.
enum Interrupt {
  nonisolated(unsafe) private static var count: Int32 = 0

  /// Installs the handler.
  static func install() {
    signal(SIGINT) { _ in
      Interrupt.count += 1
      if Interrupt.count >= 2 { _exit(130) }
      let msg = "\ninterrupted: finishing the current step and saving the model (Ctrl-C again to abort)\n"
      _ = msg.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    }
    // A parent may start us with SIGINT blocked (the mask is inherited, e.g.
    // from a thread of a test runner); unblock it (after installing the handler) so Ctrl-C reaches the handler.
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &set, nil)
  }

  /// Whether Ctrl-C was pressed.
  static var requested: Bool { count > 0 }
}
