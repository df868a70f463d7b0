import NCFTensor
import NCFAutodiff

/// An ordered collection of named parameter tensors (weights, biases …).
///
/// Order is the order of insertion and is part of a model's identity: the
/// optimiser's moment estimates and the gradient lists use the same order.
/// Names are unique and stable, so parameters can be saved and loaded by name.
public struct ParameterSet<Scalar: TensorScalar>: Sendable, Equatable {
  /// Parameter names, in order.
  public private(set) var names: [String] = []
  /// Parameter values, in the same order as `names`.
  public var tensors: [Tensor<Scalar>] = []

  public init() {}

  /// Appends a parameter.
  /// - Precondition: `name` is not already present.
  public mutating func append(_ name: String, _ value: Tensor<Scalar>) {
    precondition(!names.contains(name), "Duplicate parameter name \(name)")
    names.append(name)
    tensors.append(value)
  }

  /// The parameter called `name`, if any.
  public subscript(name: String) -> Tensor<Scalar>? {
    get { names.firstIndex(of: name).map { tensors[$0] } }
    set {
      guard let i = names.firstIndex(of: name) else {
        if let v = newValue { append(name, v) }
        return
      }
      if let v = newValue {
        precondition(v.hasShape(of: tensors[i]), "Parameter \(name) keeps its shape")
        tensors[i] = v
      }
    }
  }

  /// Number of parameter tensors.
  public var count: Int { tensors.count }
  /// Total number of scalars.
  public var scalarCount: Int { tensors.reduce(0) { $0 + $1.count } }

  /// Puts every parameter on `tape` as a differentiable leaf.
  public func variables(on tape: Tape<Scalar>) -> [Variable<Scalar>] { tensors.map { tape.variable($0) } }

  /// Puts every parameter on `tape` as a constant (inference, no gradients).
  public func constants(on tape: Tape<Scalar>) -> [Variable<Scalar>] { tensors.map { tape.constant($0) } }

  /// The same parameters in another precision.
  public func converted<T: TensorScalar>(to: T.Type = T.self) -> ParameterSet<T> {
    var p = ParameterSet<T>()
    for (n, t) in zip(names, tensors) { p.append(n, t.converted(to: T.self)) }
    return p
  }

  /// True when every scalar is finite.
  public var isFinite: Bool { tensors.allSatisfy(\.isFinite) }

  /// One step of an exponential moving average (Polyak averaging):
  /// θ̄ ← β·θ̄ + (1 − β)·θ for every scalar.
  /// - Precondition: `other` has the same parameters (names and shapes).
  /// - Complexity: O(scalarCount), in place.
  public mutating func average(toward other: ParameterSet, keeping beta: Scalar) {
    precondition(other.count == count, "averaging: \(other.count) parameters for \(count)")
    for k in 0..<count {
      precondition(other.tensors[k].hasShape(of: tensors[k]), "averaging: parameter \(k) has another shape")
      tensors[k].scalars.withUnsafeMutableBufferPointer { a in
        other.tensors[k].scalars.withUnsafeBufferPointer { p in
          for i in 0..<a.count { a[i] = beta * a[i] + (1 - beta) * p[i] }
        }
      }
    }
  }
}
