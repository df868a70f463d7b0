import Foundation
import NCFTensor
import NCFData

/// Grey-level images with class labels, as MNIST and Fashion-MNIST ship
/// them: `pixels` is n×(side·side), row-major images with values in [0, 1]
/// (byte / 255), one label in 0..<classes per image.
public struct LabelledImages: Sendable {
  public var pixels: Tensor<Float>
  public var labels: [Int]
  /// Width and height of every image.
  public var side: Int

  /// - Precondition: one label per row and side² columns.
  public init(pixels: Tensor<Float>, labels: [Int], side: Int) {
    precondition(pixels.rows == labels.count && pixels.columns == side * side, "one label per image of side² pixels")
    self.pixels = pixels
    self.labels = labels
    self.side = side
  }

  public var count: Int { labels.count }

  /// A dataset split in the IDX file naming of MNIST and Fashion-MNIST.
  public enum Split: String, Sendable, CaseIterable {
    case train, test
    var filePrefix: String { self == .train ? "train" : "t10k" }
  }

  /// Reads `<folder>/<prefix>-images-idx3-ubyte` and `…-labels-idx1-ubyte`
  /// (prefix `train` or `t10k`), each plain or with `.gz` appended.
  /// - Throws: ``DataError`` (a missing file names both spellings through the
  ///   plain one; a bad header; images that are not n×side×side; a label
  ///   count that differs from the image count or a label ≥ `classes`).
  public static func read(folder: String, split: Split, classes: Int = 10) throws -> LabelledImages {
    func path(_ kind: String) -> String {
      let plain = "\(folder)/\(split.filePrefix)-\(kind)-ubyte"
      return FileManager.default.fileExists(atPath: plain + ".gz") ? plain + ".gz" : plain
    }
    let imagePath = path("images-idx3"), labelPath = path("labels-idx1")
    let images = try IDX.read(path: imagePath), labels = try IDX.read(path: labelPath)
    guard images.shape.count == 3, images.shape[1] == images.shape[2], images.shape[1] > 0 else {
      throw DataError(.malformedIDX("images have shape \(images.shape), expected n×side×side"), path: imagePath)
    }
    guard labels.shape.count == 1 else {
      throw DataError(.malformedIDX("labels have shape \(labels.shape), expected one dimension"), path: labelPath)
    }
    guard labels.count == images.count else {
      throw DataError(.malformedIDX("\(labels.count) labels for the \(images.count) images of \(imagePath)"), path: labelPath)
    }
    if let k = labels.bytes.firstIndex(where: { Int($0) >= classes }) {
      throw DataError(.malformedIDX("label \(labels.bytes[k]) at index \(k) is not below \(classes)"), path: labelPath)
    }
    let scale: Float = 1 / 255
    return LabelledImages(pixels: Tensor(rows: images.count, columns: images.itemSize, scalars: images.bytes.map { Float($0) * scale }),
                          labels: labels.bytes.map(Int.init), side: images.shape[1])
  }

  /// How many images ``firstOfEachClass(_:)`` keeps, without copying them.
  public func countOfFirstOfEachClass(_ limit: Int) -> Int {
    var counts: [Int: Int] = [:]
    for l in labels { counts[l, default: 0] += 1 }
    return counts.values.reduce(0) { $0 + min($1, limit) }
  }

  /// The first `limit` images of each class (all of a class when it has fewer),
  /// in their original order: a deterministic, class-balanced subsample.
  public func firstOfEachClass(_ limit: Int) -> LabelledImages {
    var taken: [Int: Int] = [:]
    var rows: [Int] = []
    for (i, l) in labels.enumerated() where taken[l, default: 0] < limit {
      taken[l, default: 0] += 1
      rows.append(i)
    }
    return LabelledImages(pixels: pixels.gathering(rows: rows), labels: rows.map { labels[$0] }, side: side)
  }
}
