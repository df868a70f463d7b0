import NCFTensor

/// Minibatches from a ``SampleSource``, with a held-out validation split.
///
/// Fixed samples: min(holdOut, n/10) rows (at least 2 when n ≥ 20, else none
/// and validation reuses training rows) are set aside; batches are drawn
/// without replacement from the rest, reshuffled each pass, per class when
/// labelled (class-conditional data keep every row for training, since
/// classes can be small). Samplers: fresh samples for every batch.
struct DataStream {
  let source: SampleSource
  private(set) var heldOut: Tensor<Double>
  private var training: Tensor<Double>?
  private var labels: [Int]?
  /// Sorted class labels (labelled problems only).
  private(set) var classes: [Int]?
  private var pools: [[Int]] = []
  private var cursors: [Int] = []
  private var orders: [[Int]] = []

  init(_ source: SampleSource, labels: [Int]?, holdOut: Int, rng: inout SeededRandom) {
    self.source = source
    switch source {
    case .samples(let t):
      let n = t.rows
      let hold = n >= 20 ? max(2, min(holdOut, n / 10)) : 0
      let perm = rng.permutation(n)
      let heldIdx = Array(perm[0..<hold]), trainIdx = Array(perm[hold...])
      heldOut = hold > 0 ? t.gathering(rows: heldIdx) : t
      if let labels {
        training = t
        self.labels = labels
        let cs = Array(Set(labels)).sorted()
        classes = cs
        pools = cs.map { c in labels.indices.filter { labels[$0] == c } }
      } else {
        training = t.gathering(rows: trainIdx)
        pools = [Array(0..<trainIdx.count)]
      }
      orders = pools
      cursors = Array(repeating: Int.max, count: pools.count)
    case .sampler(_, let f):
      heldOut = f(holdOut, &rng)
      training = nil
    }
  }

  /// Samples drawn from a sampler to fit the normalisation, the collocation
  /// box and the head's moments: 65 536 rows estimate a 64×64 covariance to
  /// about 3 % (the moment initialisation's error shrinks like 1/n).
  static let fitSampleSize = 65_536

  /// A large sample for fitting the normalisation and the collocation box.
  func fitSample(rng: inout SeededRandom) -> Tensor<Double> {
    if let training { return training }
    if case .sampler(_, let f) = source { return f(Self.fitSampleSize, &rng) }
    return heldOut
  }

  /// The next minibatch of n rows (user units) and their labels.
  mutating func batch(_ n: Int, rng: inout SeededRandom) -> (Tensor<Double>, [Int]?) {
    if case .sampler(_, let f) = source { return (f(n, &rng), nil) }
    guard let training else { return (heldOut, nil) }
    let perClass = pools.count > 1 ? max(2, n / pools.count) : n
    var idx: [Int] = []
    for c in 0..<pools.count {
      let take = min(perClass, pools[c].count)
      for _ in 0..<take {
        if cursors[c] >= orders[c].count {
          orders[c] = rng.permutation(pools[c].count).map { pools[c][$0] }
          cursors[c] = 0
        }
        idx.append(orders[c][cursors[c]])
        cursors[c] += 1
      }
    }
    return (training.gathering(rows: idx), labels.map { l in idx.map { l[$0] } })
  }
}

/// One step's data in model units: the energy-term batches of both sides
/// and, for labelled problems, which rows of each belong to each class.
struct TrainingBatch {
  /// Source rows (model units, Float).
  var x: Tensor<Float>
  /// Target rows (model units, Float).
  var y: Tensor<Float>
  /// Per class (in class order): the rows of `x` and of `y` of that class.
  var classes: [(a: [Int], b: [Int])]?

  /// Draws the next batch of `size` rows per side (per class when labelled):
  /// source first, then target, from the one data generator.
  init(source: inout DataStream, target: inout DataStream, size: Int, normalization: Normalization,
       rng: inout SeededRandom) {
    let (xBatch, xLabels) = source.batch(size, rng: &rng)
    let (yBatch, yLabels) = target.batch(size, rng: &rng)
    x = normalization.normalize(xBatch).converted(to: Float.self)
    y = normalization.normalize(yBatch).converted(to: Float.self)
    if let classes = source.classes, let xLabels, let yLabels {
      self.classes = classes.map { c in
        (a: xLabels.indices.filter { xLabels[$0] == c }, b: yLabels.indices.filter { yLabels[$0] == c })
      }
    }
  }

  /// The pairing for the backward term (target rows first).
  var reversedClasses: [(a: [Int], b: [Int])]? { classes.map { $0.map { (a: $0.b, b: $0.a) } } }
}
