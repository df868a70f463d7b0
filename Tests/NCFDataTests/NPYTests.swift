import Foundation
import Testing
import NCFData
import NCFTensor

@Suite struct NPYTests {
  @Test func float64RoundTripIsExact() throws {
    let dir = TemporaryDirectory()
    var rng = SeededRandom(seed: 1)
    let x = Tensor<Double>.normal(rows: 37, columns: 5, using: &rng)
    let path = dir.file("x.npy")
    try SampleFile.write(x, to: path)
    #expect(try SampleFile.readSamples(path: path) == x)
    let header = try NPY.readHeader(path: path)
    #expect(header.dtype.descr == "<f8" && header.shape == [37, 5] && header.version == (1, 0))
    #expect(header.dataOffset % 64 == 0)
    #expect(dir.entries == ["x.npy"])  // no temporary file left behind
  }

  @Test func float32RoundTripIsExact() throws {
    let dir = TemporaryDirectory()
    var rng = SeededRandom(seed: 2)
    let x = Tensor<Float>.normal(rows: 11, columns: 3, using: &rng)
    let path = dir.file("x.npy")
    try SampleFile.write(x, to: path)  // precision follows the scalar type
    #expect(try NPY.readHeader(path: path).dtype.descr == "<f4")
    #expect(try SampleFile.readSamples(path: path, as: Float.self) == x)
    #expect(try SampleFile.readSamples(path: path) == x.converted(to: Double.self))
  }

  @Test func doubleWrittenAsFloat32RoundsOnce() throws {
    let dir = TemporaryDirectory()
    let x = thirdsValues(4, 2)
    let path = dir.file("x.npy")
    try SampleFile.write(x, to: path, precision: .float32)
    #expect(try SampleFile.readSamples(path: path, as: Float.self) == x.converted(to: Float.self))
  }

  @Test func overwriteReplacesTheFile() throws {
    let dir = TemporaryDirectory()
    let path = dir.file("x.npy")
    try SampleFile.write(gridValues(5, 4), to: path)
    try SampleFile.write(gridValues(2, 2), to: path)
    #expect(try SampleFile.readSamples(path: path) == gridValues(2, 2))
    #expect(dir.entries == ["x.npy"])
  }

  @Test func labelsRoundTrip() throws {
    let dir = TemporaryDirectory()
    let labels = [3, -1, 0, 7, 1 << 40]
    try SampleFile.writeLabels(labels, to: dir.file("l.npy"))
    #expect(try NPY.readHeader(path: dir.file("l.npy")).dtype.descr == "<i8")
    #expect(try SampleFile.readLabels(path: dir.file("l.npy")) == labels)
    try SampleFile.writeLabels(labels, to: dir.file("l.csv"))
    #expect(try SampleFile.readLabels(path: dir.file("l.csv")) == labels)
  }

  @Test func headerDictMayHaveAnyKeyOrderSpacingAndTrailingComma() throws {
    let dir = TemporaryDirectory()
    let data = float64Bytes([1, 2, 3, 4, 5, 6])
    let headers = [
      "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }",
      "{'shape': (3, 2), 'fortran_order': False, 'descr': '<f8'}",
      "{ 'fortran_order' : False ,'shape':(3,2),'descr':'<f8' , }",
      "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (3L, 2L)}",
    ]
    for (k, h) in headers.enumerated() {
      let path = dir.write("h\(k).npy", bytes: npyBytes(header: h, data: data))
      #expect(try SampleFile.readSamples(path: path) == Tensor([[1, 2], [3, 4], [5, 6]]), "header \(h)")
    }
    // Unpadded header (old writers) and a version 2.0 preamble.
    let unpadded = dir.write("u.npy", bytes: npyBytes(header: headers[0], data: data, pad: false))
    #expect(try SampleFile.readSamples(path: unpadded).count == 6)
    let v2 = dir.write("v2.npy", bytes: npyBytes(header: headers[1], major: 2, data: data))
    #expect(try NPY.readHeader(path: v2).version == (2, 0))
  }

  @Test func oneTupleShapeForLabelsAndFloatLabels() throws {
    let dir = TemporaryDirectory()
    let path = dir.write(
      "l.npy", bytes: npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (5,), }",
                               data: float64Bytes([0, 1, 2, 1, 0])))
    #expect(try NPY.readHeader(path: path).shape == [5])
    #expect(try SampleFile.readLabels(path: path) == [0, 1, 2, 1, 0])
    let frac = dir.write(
      "f.npy", bytes: npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                               data: float64Bytes([0, 1.5])))
    let e = try #require(dataError { try SampleFile.readLabels(path: frac) })
    #expect(e.kind == .nonIntegerLabel(index: 1, text: "1.5"))
    #expect(e.description.contains("f.npy"))
  }

  @Test func float16IsDecoded() throws {
    let dir = TemporaryDirectory()
    // 1.0 = 0x3C00, -2.5 = 0xC100, 65504 = 0x7BFF, smallest subnormal = 0x0001.
    let halves: [UInt16] = [0x3C00, 0xC100, 0x7BFF, 0x0001]
    let bytes = halves.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    let path = dir.write("h.npy", bytes: npyBytes(header: "{'descr': '<f2', 'fortran_order': False, 'shape': (2, 2), }", data: bytes))
    #expect(try SampleFile.readSamples(path: path).scalars == [1, -2.5, 65504, 0x1p-24])
  }

  @Test func writtenFileHasNumPyLayout() throws {
    let dir = TemporaryDirectory()
    try SampleFile.write(Tensor<Double>([[1.5, -2], [0, 4]]), to: dir.file("x.npy"))
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.file("x.npy"))))
    #expect(Array(bytes[0..<8]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
    let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
    #expect((10 + headerLength) % 64 == 0)
    let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
    #expect(header.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }"))
    #expect(header.hasSuffix(" \n"))
    #expect(bytes.count == 10 + headerLength + 4 * 8)
  }
}
