import Foundation
import NCFTensor
import NCFTransport
import NCFFlows

/// The transport steps of the Fashion-MNIST → MNIST experiment on latent
/// codes (or any labelled point clouds): NCF, class-conditional or not, and
/// exact discrete OT restricted to each class.
public enum LatentTransport {
  /// Trains NCF from `source` to `target`; class-conditional (class k → class k)
  /// when `conditional`, otherwise the labels are ignored.
  /// - Throws: ``NCFSolverError`` for invalid settings or data.
  public static func trainNCF(
    source: Tensor<Double>, sourceLabels: [Int], target: Tensor<Double>, targetLabels: [Int], conditional: Bool,
    settings: NCFTrainingConfiguration, progress: ((TrainingProgress) -> Bool)? = nil
  ) throws -> NCFOutput {
    let problem = conditional
      ? NCFProblem(source: source, target: target, sourceLabels: sourceLabels, targetLabels: targetLabels)
      : NCFProblem(source: source, target: target)
    return try NCFSolver(settings: settings).solve(problem, progress: progress)
  }

  /// `x` with a class code appended: `scale`·e_k (k = the row's label) in
  /// `classes` extra columns. NCF on coded points learns a map of (z, k),
  /// i.e. one map per class through one network: the code columns cost
  /// nothing to keep and `2·scale²` to change, so a large enough scale
  /// keeps every class apart even where the classes' latents overlap.
  /// - Precondition: every label in 0..<classes.
  public static func appendingClassCode(_ x: Tensor<Double>, labels: [Int], classes: Int, scale: Double) -> Tensor<Double> {
    precondition(labels.count == x.rows && labels.allSatisfy { (0..<classes).contains($0) }, "one label in 0..<classes per row")
    var code = Tensor<Double>.zeros(rows: x.rows, columns: classes)
    for (r, k) in labels.enumerated() { code[r, k] = scale }
    return Tensor.concatenatingColumns([x, code])
  }

  /// Exact OT (network simplex, squared Euclidean cost, uniform weights)
  /// within each class: the source rows of class k are matched one to one
  /// with as many target rows of class k, drawn without replacement (seeded).
  /// - Returns: for every source row, the target row it is sent to.
  /// - Precondition: every source class has at least as many target rows.
  /// - Throws: ``DiscreteOTError`` if a solve is not certified optimal.
  public static func classwiseAssignment(
    source: Tensor<Double>, sourceLabels: [Int], target: Tensor<Double>, targetLabels: [Int], seed: UInt64
  ) throws -> [Int] {
    var rng = SeededRandom(seed: seed)
    var assignment = [Int](repeating: -1, count: source.rows)
    for k in Set(sourceLabels).sorted() {
      let rows = sourceLabels.indices.filter { sourceLabels[$0] == k }
      let pool = targetLabels.indices.filter { targetLabels[$0] == k }
      precondition(pool.count >= rows.count, "class \(k): \(pool.count) target rows for \(rows.count) source rows")
      let columns = rng.permutation(pool.count).prefix(rows.count).map { pool[$0] }
      let output = try NetworkSimplex()(DiscreteOTProblem(source: source.gathering(rows: rows), target: target.gathering(rows: columns)))
      // Equal uniform weights: the optimal vertex is a permutation; take each row's largest entry.
      var best = [Double](repeating: -1, count: rows.count)
      for e in output.support where e.mass > best[e.row] {
        best[e.row] = e.mass
        assignment[rows[e.row]] = columns[e.column]
      }
    }
    return assignment
  }
}
