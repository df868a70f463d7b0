// swift-tools-version:6.0
//
// The NCF optimal-transport toolkit: learns OT maps with Neural Hamilton–Jacobi
// Characteristic Flows, plus the closed-form and discrete OT tools around it.
//
// Layers (each depends only on those above it in this list):
//   NCFFileSystem file conventions: atomic writes, whole-file reads, the JSON format
//   COpenBLAS     system library: CBLAS + LAPACK from OpenBLAS (Accelerate on macOS)
//   NCFTensor     dense row-major tensors, SIMD kernels, GEMM, eigen, seeded RNG
//   NCFAutodiff   reverse-mode tape, finite-difference gradient checks
//   NCFNetworks   MLP with the fused value + input-gradient op, Adam, schedules
//   NCFTransport  the Cost vocabulary and Hamiltonians, discrete OT (network simplex, Sinkhorn),
//                 Gaussian closed forms, metrics (energy distance, histograms)
//   NCFFlows      the NCF solver (problem → solver → output): model, losses, metrics, persistence
//   NCFData       .npy / CSV / IDX (MNIST) I/O and built-in generators  (needs NCFTensor, NCFFileSystem, zlib)
//   NCFImages     PNG / JPEG I/O through libpng and TurboJPEG (needs NCFTensor, NCFFileSystem)
//   NCFFigures    SVG figures (no numerics; needs NCFFileSystem)
//   NCFBenchmarks benchmarks with a known answer read from data files: the W2 (Mix3toMix10) pairs
//                 and their runner (needs NCFData for the .npy weights, NCFFlows for the solver)
//   NCFApplications  built-in datasets, the demo, colour transfer (end-to-end pipelines)
//   NCF           umbrella module re-exporting the public layers
//   ncf           the command-line tool
//
// No target passes unsafe compiler flags, so the package stays usable as a dependency;
// CPU flags (-Xcc -march=x86-64-v3) are passed from the build command instead
// (see scripts/).
import PackageDescription

let package = Package(
  name: "NCF",
  platforms: [.macOS(.v13)],
  products: [
    .library(name: "NCF", targets: ["NCF"]),
    .executable(name: "ncf", targets: ["ncf"]),
  ],
  dependencies: [
    // The CLI's argument parsing, help and error reporting: the standard choice in Swift.
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
  ],
  targets: [
    // MARK: - Implementation details
    .systemLibrary(
      name: "COpenBLAS",
      providers: [.apt(["libopenblas-dev"])]),
    // Header-only vector shims (our own code): SIMD square roots that Swift
    // would otherwise compute lane by lane.
    .systemLibrary(name: "CSIMDShims"),
    // Image codecs: libpng's simplified API and TurboJPEG both report errors by
    // return value (plain libjpeg longjmps, which Swift cannot survive).
    .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
    .systemLibrary(name: "CTurboJPEG", pkgConfig: "libturbojpeg", providers: [.apt(["libturbojpeg0-dev"])]),
    // gzip for the IDX files of MNIST and Fashion-MNIST (Debian ships them compressed).
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

    // MARK: - Public API
    // Atomic file replacement shared by every writer (samples, models, images, figures).
    .target(name: "NCFFileSystem"),
    .target(
      name: "NCFTensor",
      dependencies: ["CSIMDShims", .target(name: "COpenBLAS", condition: .when(platforms: [.linux]))]),
    .target(name: "NCFAutodiff", dependencies: ["NCFTensor"]),
    .target(name: "NCFNetworks", dependencies: ["NCFTensor", "NCFAutodiff"]),
    .target(name: "NCFTransport", dependencies: ["NCFTensor", "NCFAutodiff"]),
    .target(name: "NCFFlows", dependencies: ["NCFTensor", "NCFAutodiff", "NCFNetworks", "NCFTransport", "NCFFileSystem"]),
    .target(name: "NCFData", dependencies: ["NCFTensor", "NCFFileSystem", "CZlib"]),
    .target(name: "NCFImages", dependencies: ["NCFTensor", "NCFFileSystem", "CPNG", "CTurboJPEG"]),
    .target(name: "NCFFigures", dependencies: ["NCFFileSystem"]),
    .target(name: "NCFBenchmarks", dependencies: ["NCFTensor", "NCFTransport", "NCFFlows", "NCFData"]),
    .target(
      name: "NCFApplications",
      dependencies: ["NCFTensor", "NCFTransport", "NCFFlows", "NCFImages", "NCFData", "NCFFigures", "NCFBenchmarks"]),
    .target(
      name: "NCF",
      dependencies: [
        "NCFFileSystem", "NCFTensor", "NCFAutodiff", "NCFNetworks", "NCFTransport", "NCFFlows", "NCFData", "NCFImages",
        "NCFFigures", "NCFBenchmarks", "NCFApplications",
      ]),
    .executableTarget(
      name: "ncf",
      dependencies: [
        "NCF",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // MARK: - Unit test bundles
    .target(name: "NCFTestSupport", dependencies: ["NCFTensor"], path: "Tests/NCFTestSupport"),
    .testTarget(name: "NCFFileSystemTests", dependencies: ["NCFFileSystem"]),
    .testTarget(name: "NCFTensorTests", dependencies: ["NCFTensor", "NCFTestSupport"]),
    .testTarget(name: "NCFAutodiffTests", dependencies: ["NCFTensor", "NCFAutodiff", "NCFTestSupport"]),
    .testTarget(name: "NCFNetworksTests", dependencies: ["NCFTensor", "NCFAutodiff", "NCFNetworks", "NCFTestSupport"]),
    .testTarget(name: "NCFTransportTests", dependencies: ["NCFTransport", "NCFTestSupport"]),
    .testTarget(name: "NCFFlowsTests", dependencies: ["NCFFlows", "NCFTransport", "NCFNetworks", "NCFTestSupport"]),
    .testTarget(name: "NCFDataTests", dependencies: ["NCFData", "NCFTestSupport"], resources: [.copy("Fixtures")]),
    .testTarget(name: "NCFImagesTests", dependencies: ["NCFImages", "NCFTestSupport"]),
    .testTarget(name: "NCFFiguresTests", dependencies: ["NCFFigures"]),
    .testTarget(name: "NCFBenchmarksTests", dependencies: ["NCFBenchmarks", "NCFTransport", "NCFData", "NCFTestSupport"]),
    .testTarget(name: "NCFApplicationsTests", dependencies: ["NCFApplications", "NCFTestSupport"]),
    .testTarget(name: "CLITests", dependencies: ["ncf", "NCFTestSupport"]),
    // Seeded malformed .npy / CSV / model / PNG / JPEG files through every reader, in-process.
    .testTarget(name: "FuzzTests", dependencies: ["NCFData", "NCFFlows", "NCFNetworks", "NCFImages", "NCFTensor", "NCFTransport"]),
  ]
)
