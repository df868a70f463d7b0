import NCFTensor

/// A reverse-mode autodiff tape ("Wengert list") over ``Tensor`` operations.
///
/// Every operation on ``Variable``s runs eagerly, stores its result on the
/// tape and records a *pullback*: a closure that maps the cotangents of the
/// operation's outputs to cotangents of its inputs (a vector–Jacobian
/// product). ``gradients(of:withRespectTo:)`` seeds the output with 1 and
/// runs the pullbacks in reverse order, **accumulating** into every input.
///
/// Operations may have several outputs (the fused MLP op returns u and ∇u),
/// so a record lists input and output ids; a pullback receives one optional
/// cotangent per output (nil when nothing downstream used that output) and
/// the list of inputs that need a cotangent, so it can skip work.
///
/// A tape is not thread-safe; use one tape per thread and per step.
public final class Tape<Scalar: TensorScalar> {
  /// Maps output cotangents (nil = zero) to input cotangents (nil = zero or not needed).
  public typealias Pullback = (_ outputCotangents: [Tensor<Scalar>?], _ inputNeedsCotangent: [Bool]) -> [Tensor<Scalar>?]

  struct Record {
    let op: String
    let inputs: [Int]
    let outputs: [Int]
    let pullback: Pullback
  }

  @usableFromInline var values: [Tensor<Scalar>] = []
  @usableFromInline var needsGradient: [Bool] = []
  private var records: [Record] = []

  public init() {}

  /// Number of values stored on the tape.
  public var count: Int { values.count }

  /// A leaf whose gradient can be requested (a parameter or an input of interest).
  public func variable(_ value: Tensor<Scalar>) -> Variable<Scalar> { leaf(value, differentiable: true) }

  /// A leaf treated as a constant: no cotangent is ever computed for it.
  public func constant(_ value: Tensor<Scalar>) -> Variable<Scalar> { leaf(value, differentiable: false) }

  /// A 1×1 constant.
  public func constant(_ value: Scalar) -> Variable<Scalar> { constant(Tensor(scalar: value)) }

  private func leaf(_ value: Tensor<Scalar>, differentiable: Bool) -> Variable<Scalar> {
    values.append(value)
    needsGradient.append(differentiable)
    return Variable(tape: self, id: values.count - 1)
  }

  /// Records an operation whose outputs have already been computed.
  ///
  /// This is the one extension point of the tape: every primitive, including
  /// the fused network op, is defined through it.
  /// - Parameters:
  ///   - op: a name for debugging and error messages.
  ///   - inputs: the variables the outputs depend on.
  ///   - outputs: the computed output values.
  ///   - pullback: the vector–Jacobian product (see ``Pullback``); it must
  ///     return one entry per input, each nil or of that input's shape.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func record(
    _ op: String, inputs: [Variable<Scalar>], outputs: [Tensor<Scalar>], pullback: @escaping Pullback
  ) -> [Variable<Scalar>] {
    for v in inputs { precondition(v.tape === self, "\(op): variable from another tape") }
    let differentiable = inputs.contains { needsGradient[$0.id] }
    var ids: [Int] = []
    for out in outputs {
      values.append(out)
      needsGradient.append(differentiable)
      ids.append(values.count - 1)
    }
    if differentiable { records.append(Record(op: op, inputs: inputs.map(\.id), outputs: ids, pullback: pullback)) }
    return ids.map { Variable(tape: self, id: $0) }
  }

  /// Single-output convenience for ``record(_:inputs:outputs:pullback:)``.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func record(
    _ op: String, inputs: [Variable<Scalar>], output: Tensor<Scalar>,
    pullback: @escaping (_ cotangent: Tensor<Scalar>, _ inputNeedsCotangent: [Bool]) -> [Tensor<Scalar>?]
  ) -> Variable<Scalar> {
    record(op, inputs: inputs, outputs: [output]) { cts, needs in
      guard let ct = cts[0] else { return Array(repeating: nil, count: needs.count) }
      return pullback(ct, needs)
    }[0]
  }

  /// Gradients of the 1×1 `output` with respect to each variable in `wrt`
  /// (a zero tensor where `output` does not depend on it).
  /// - Precondition: `output` is 1×1 and on this tape.
  /// - Complexity: one pass over the records after `output`'s creation…
  ///   in practice over all records, each pullback costing about one forward op.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func gradients(of output: Variable<Scalar>, withRespectTo wrt: [Variable<Scalar>]) -> [Tensor<Scalar>] {
    precondition(output.tape === self, "gradients: output from another tape")
    precondition(output.value.isScalar, "gradients: output must be 1×1, got \(output.value.rows)×\(output.value.columns)")
    var cotangents = [Tensor<Scalar>?](repeating: nil, count: values.count)
    cotangents[output.id] = Tensor(scalar: 1)
    let keep = Set(wrt.map(\.id))
    for record in records.reversed() {
      let outs = record.outputs.map { cotangents[$0] }
      if outs.allSatisfy({ $0 == nil }) { continue }
      let needs = record.inputs.map { needsGradient[$0] }
      let ins = record.pullback(outs, needs)
      precondition(ins.count == record.inputs.count, "\(record.op): pullback returned \(ins.count) cotangents for \(record.inputs.count) inputs")
      for (k, id) in record.inputs.enumerated() where needs[k] {
        guard let ct = ins[k] else { continue }
        precondition(
          ct.hasShape(of: values[id]),
          "\(record.op): cotangent \(ct.rows)×\(ct.columns) for an input of shape \(values[id].rows)×\(values[id].columns)")
        if cotangents[id] == nil { cotangents[id] = ct } else { cotangents[id]!.add(ct) }
      }
      // Free cotangents of outputs once consumed (they are never needed again).
      for id in record.outputs where !keep.contains(id) { cotangents[id] = nil }
    }
    return wrt.map { cotangents[$0.id] ?? Tensor.zeros(rows: values[$0.id].rows, columns: values[$0.id].columns) }
  }
}

/// A value on a ``Tape``: a handle (tape + index) to a tensor whose
/// derivatives the tape can compute.
public struct Variable<Scalar: TensorScalar> {
  /// The tape that owns the value.
  public let tape: Tape<Scalar>
  /// Index of the value on its tape.
  public let id: Int

  /// The tensor this variable holds.
  public var value: Tensor<Scalar> { tape.values[id] }
  /// Number of rows of the value.
  public var rows: Int { tape.values[id].rows }
  /// Number of columns of the value.
  public var columns: Int { tape.values[id].columns }
}

extension Variable {
  /// Whether the tape will compute a cotangent for this value (it is a
  /// `variable` leaf or depends on one).
  public var requiresGradient: Bool { tape.needsGradient[id] }
}
