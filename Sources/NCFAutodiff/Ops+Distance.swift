import NCFTensor

// Euclidean distances between point sets, with the safe gradient at zero
// distance (see `PairwiseDistance`).

/// All distances ‖aᵢ − bⱼ‖ (n×m). For large sets prefer
/// ``meanPairwiseDistance(_:_:excludingDiagonal:)``, which never forms the matrix.
@inlinable
public func pairwiseDistances<S>(_ a: Variable<S>, _ b: Variable<S>) -> Variable<S> {
  let (av, bv) = (a.value, b.value)
  let dist = PairwiseDistance.matrix(av, bv)
  return a.tape.record("pairwise_distances", inputs: [a, b], output: dist) { ct, needs in
    // w = D̄ ⊘ D (0 where D = 0);  āᵢ = Σⱼ wᵢⱼ (aᵢ − bⱼ),  b̄ⱼ = −Σᵢ wᵢⱼ (aᵢ − bⱼ)
    let w = Tensor.broadcasting(ct, dist) { c, d in d > 0 ? c / d : 0 }
    let rowW = w.sum(alongAxis: 1), colW = w.sum(alongAxis: 0).transposed()
    return [
      needs[0] ? av * rowW - Tensor.matmul(w, bv) : nil,
      needs[1] ? bv * colW - Tensor.matmul(w, av, transposeA: true) : nil,
    ]
  }
}

/// The mean of ‖aᵢ − bⱼ‖ over all pairs (1×1), or over i ≠ j when
/// `excludingDiagonal` (pass the same variable twice for the U-statistic of
/// E‖X − X′‖). Memory O((n + m)·d); see `PairwiseDistance.sum`.
@inlinable
public func meanPairwiseDistance<S>(_ a: Variable<S>, _ b: Variable<S>, excludingDiagonal: Bool = false) -> Variable<S> {
  let tape = a.tape
  let wantGradients = tape.needsGradient[a.id] || tape.needsGradient[b.id]
  let out = PairwiseDistance.sum(a.value, b.value, excludingDiagonal: excludingDiagonal, gradients: wantGradients)
  let scale = out.pairs > 0 ? S(1 / Double(out.pairs)) : 0
  let (gA, gB) = (out.gradientA, out.gradientB)
  return tape.record("mean_pairwise_distance", inputs: [a, b], output: Tensor(scalar: S(out.mean))) { ct, needs in
    let c = ct.scalar * scale
    return [needs[0] ? gA.map { $0 * c } : nil, needs[1] ? gB.map { $0 * c } : nil]
  }
}
