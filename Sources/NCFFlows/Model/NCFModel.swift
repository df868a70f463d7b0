import NCFTensor
import NCFAutodiff
import NCFNetworks
import NCFTransport

/// A trained NCF model: one potential network u_θ([x; t]) that gives the
/// optimal transport map in both directions in closed form,
///
///     forward  T(x) = x + t_f ∇h(∇ₓu(x, 0))      (source → target)
///     backward S(y) = y − t_f ∇h(∇ₓu(y, t_f))    (target → source)
///
/// Everything public takes and returns **user coordinates**; the network
/// works in model coordinates (see ``Normalization``).
///
/// A model is an immutable value: its methods allocate their own scratch
/// (one tape per batch), so several threads may map points with the same
/// model at once.
public struct NCFModel: Sendable {
  /// The potential network; its input is [x; t] (d + 1 columns).
  public var network: PotentialNetwork
  /// The trained weights.
  public var parameters: ParameterSet<Float>
  /// The cost, when it is one of the package's (saveable) ones.
  public var cost: Cost?
  /// The Hamiltonian h (built from `cost`, or user supplied).
  public var hamiltonian: any Hamiltonian
  /// The terminal time t_f.
  public var terminalTime: Double
  /// The coordinates the network was trained in.
  public var normalization: Normalization
  /// The settings the model was trained with (informational).
  public var configuration: NCFTrainingConfiguration?
  /// Held-out evidence of optimality measured at the end of training.
  public var certificate: TrainingCertificate?

  /// Rows per inference batch: bounds the memory of mapping huge inputs.
  public static let inferenceBatch = 8192

  /// A model under one of the package's costs.
  /// - Precondition: NCF can train with `cost` (``Cost/hamiltonian`` is not nil).
  public init(
    network: PotentialNetwork, parameters: ParameterSet<Float>, cost: Cost, terminalTime: Double = 1,
    normalization: Normalization, configuration: NCFTrainingConfiguration? = nil, certificate: TrainingCertificate? = nil
  ) {
    guard let hamiltonian = cost.hamiltonian else { preconditionFailure("cost \(cost.name): \(cost.ncfRefusal ?? "")") }
    self.init(network: network, parameters: parameters, hamiltonian: hamiltonian, cost: cost,
              terminalTime: terminalTime, normalization: normalization, configuration: configuration, certificate: certificate)
  }

  /// A model with a user-supplied Hamiltonian (such a model cannot be saved).
  public init(
    network: PotentialNetwork, parameters: ParameterSet<Float>, hamiltonian: any Hamiltonian, cost: Cost? = nil,
    terminalTime: Double = 1, normalization: Normalization,
    configuration: NCFTrainingConfiguration? = nil, certificate: TrainingCertificate? = nil
  ) {
    precondition(network.validate(parameters) == nil, "parameters do not fit the network")
    precondition(terminalTime > 0, "terminal time must be positive")
    precondition(normalization.shift.count == network.dimension, "normalisation dimension differs from the network's")
    precondition(cost != nil || normalization.scale == 1,
                 "a custom Hamiltonian may not be homogeneous: only a shift normalisation is allowed")
    self.network = network
    self.parameters = parameters
    self.cost = cost
    self.hamiltonian = hamiltonian
    self.terminalTime = terminalTime
    self.normalization = normalization
    self.configuration = configuration
    self.certificate = certificate
  }

  /// Space dimension d.
  public var dimension: Int { network.dimension }

  /// Scale factors from model to user units for momenta and potentials:
  /// p = σ^{1/(q−1)} p_model and u = σ^{q/(q−1)} u_model for an h homogeneous of degree q.
  var momentumScale: Double {
    guard let q = cost?.hamiltonianDegree else { return 1 }
    return Double.pow(normalization.scale, 1 / (q - 1))
  }

  // MARK: - Maps

  /// T(x) = x + t_f ∇h(∇ₓu(x, 0)) for every row of x (n×d).
  public func forward(_ x: Tensor<Double>) -> Tensor<Double> { displace(x, evaluateAt: 0, step: terminalTime) }

  /// S(y) = y − t_f ∇h(∇ₓu(y, t_f)) for every row of y (n×d).
  public func backward(_ y: Tensor<Double>) -> Tensor<Double> { displace(y, evaluateAt: terminalTime, step: -terminalTime) }

  /// The displacement interpolation x + t∇h(∇ₓu(x, 0)), t ∈ [0, t_f]: the
  /// straight characteristic from x, at time t (t = t_f gives ``forward(_:)``).
  public func interpolate(_ x: Tensor<Double>, time t: Double) -> Tensor<Double> {
    precondition(t >= 0 && t <= terminalTime, "time must lie in [0, t_f]")
    return displace(x, evaluateAt: 0, step: t)
  }

  /// The momentum p = ∇ₓu(x, t) in user units (n×d).
  public func momentum(_ x: Tensor<Double>, time t: Double) -> Tensor<Double> {
    let s = momentumScale
    return batched(x) { xm in evaluate(xm, time: t, gradient: true).g!.converted(to: Double.self) * s }
  }

  /// The potential u(x, t) in user units (n×1).
  public func potential(_ x: Tensor<Double>, time t: Double) -> Tensor<Double> {
    let q = cost?.hamiltonianDegree ?? 2
    let s = cost == nil ? 1 : Double.pow(normalization.scale, q / (q - 1))
    return batched(x, columns: 1) { xm in evaluate(xm, time: t, gradient: false).u.converted(to: Double.self) * s }
  }

  /// x + step·∇h(∇ₓu(x, τ)) in user units. The displacement is computed in
  /// model units by the same map code the trainer uses (``NCFLosses``), in
  /// Float, and added to x in Double after scaling by σ.
  func displace(_ x: Tensor<Double>, evaluateAt tau: Double, step: Double) -> Tensor<Double> {
    precondition(x.columns == dimension, "points have \(x.columns) columns, the model expects \(dimension)")
    let sigma = normalization.scale
    var out = x
    var start = 0
    while start < x.rows {
      let end = min(x.rows, start + Self.inferenceBatch)
      let xm = normalization.normalize(x.rows(start..<end)).converted(to: Float.self)
      let tape = Tape<Float>()
      let potential = NetworkPotential(network: network, parameters: parameters, variables: parameters.constants(on: tape))
      let moved = NCFLosses.displacement(potential, x: tape.constant(xm), evaluateAt: tau, step: step, hamiltonian: hamiltonian).value
      for i in 0..<(end - start) {
        for k in 0..<dimension { out[start + i, k] += sigma * Double(moved[i, k]) }
      }
      start = end
    }
    return out
  }

  /// The network at model-unit points `xm` and time t: u (B×1) and, when asked, ∇ₓu (B×d).
  func evaluate(_ xm: Tensor<Float>, time t: Double, gradient: Bool) -> (u: Tensor<Float>, g: Tensor<Float>?) {
    let tape = Tape<Float>()
    let z = tape.constant(Tensor.concatenatingColumns([xm, Tensor(rows: xm.rows, columns: 1, repeating: Float(t))]))
    let variables = parameters.constants(on: tape)
    if gradient {
      let (u, g) = network.valueAndGradient(z, parameters: parameters, variables: variables)
      return (u.value, g.value.columns(0..<dimension))
    }
    return (network.value(z, parameters: parameters, variables: variables).value, nil)
  }

  /// Applies `body` to model-unit batches of at most ``inferenceBatch`` rows and stacks the results.
  func batched(_ x: Tensor<Double>, columns: Int? = nil, _ body: (Tensor<Float>) -> Tensor<Double>) -> Tensor<Double> {
    let width = columns ?? x.columns
    if x.rows == 0 { return Tensor.zeros(rows: 0, columns: width) }
    var parts: [Tensor<Double>] = []
    var start = 0
    while start < x.rows {
      let end = min(x.rows, start + Self.inferenceBatch)
      parts.append(body(normalization.normalize(x.rows(start..<end)).converted(to: Float.self)))
      start = end
    }
    return Tensor.concatenatingRows(parts)
  }
}
