import ArgumentParser

/// `--source` and `--target`: the sample files of a problem (n×d and m×d;
/// .npy, .csv, .tsv or .txt).
struct SampleFiles: ParsableArguments {
  @Option(help: ArgumentHelp("Source samples (n×d, one point per row).", valueName: "file")) var source: String
  @Option(help: ArgumentHelp("Target samples (m×d, one point per row).", valueName: "file")) var target: String
}

/// `--model`: a model file.
struct ModelOption: ParsableArguments {
  @Option(help: ArgumentHelp("A model written by ncf train or ncf demo.", valueName: "file")) var model: String
}
