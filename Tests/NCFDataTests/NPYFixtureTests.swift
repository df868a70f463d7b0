import Testing
import NCFData
import NCFTensor

/// Files written by real NumPy (Fixtures/make_fixtures.py), compared with the
/// exact values of the formulas the script used.
@Suite struct NPYFixtureTests {
  @Test func float32COrder() throws {
    let header = try NPY.readHeader(path: fixture("f32_c.npy"))
    #expect(header.dtype == NPY.DType(kind: .float, size: 4))
    #expect(header.shape == [4, 3] && !header.fortranOrder && header.version == (1, 0))
    #expect(header.dataOffset % 64 == 0)
    let asFloat = try NPY.readTensor(path: fixture("f32_c.npy"), as: Float.self)
    #expect(asFloat == gridValues(4, 3).converted(to: Float.self))
    #expect(try SampleFile.readSamples(path: fixture("f32_c.npy")) == gridValues(4, 3))
  }

  @Test func float64BigEndian() throws {
    let header = try NPY.readHeader(path: fixture("f64_be.npy"))
    #expect(header.dtype.isBigEndian && header.dtype.descr == ">f8")
    // (10i + j + 1)/3 is the same correctly rounded division in NumPy and Swift.
    #expect(try SampleFile.readSamples(path: fixture("f64_be.npy")) == thirdsValues(3, 2))
  }

  @Test func fortranOrderIsTransposedIntoRowMajor() throws {
    #expect(try NPY.readHeader(path: fixture("f64_fortran.npy")).fortranOrder)
    #expect(try SampleFile.readSamples(path: fixture("f64_fortran.npy")) == gridValues(3, 4))
  }

  @Test func versions2And3() throws {
    let v2 = try NPY.readHeader(path: fixture("f32_v2.npy"))
    #expect(v2.version == (2, 0))
    #expect(try SampleFile.readSamples(path: fixture("f32_v2.npy")) == gridValues(5, 2))
    let v3 = try NPY.readHeader(path: fixture("f64_v3.npy"))
    #expect(v3.version == (3, 0))
    #expect(try SampleFile.readSamples(path: fixture("f64_v3.npy")) == thirdsValues(2, 3))
  }

  @Test func integerLabels() throws {
    #expect(try SampleFile.readLabels(path: fixture("labels_i8.npy")) == labelValues(10))
    #expect(try NPY.readHeader(path: fixture("labels_i8.npy")).shape == [10])
    #expect(try SampleFile.readLabels(path: fixture("labels_i4_col.npy")) == labelValues(6))
    #expect(try NPY.readHeader(path: fixture("labels_i4_col.npy")).shape == [6, 1])
    #expect(try SampleFile.readLabels(path: fixture("labels_u1.npy")) == labelValues(7))
    var expected = labelValues(5)
    expected[0] = -1
    #expect(try SampleFile.readLabels(path: fixture("labels_i2_be.npy")) == expected)
  }

  @Test func threeDimensionalArrayIsRejectedAsSamples() throws {
    let e = try #require(dataError { try SampleFile.readSamples(path: fixture("rank3.npy")) })
    #expect(e.kind == .wrongRank(shape: [2, 3, 4], expected: "a 2-D array (n points × d dimensions)"))
    #expect(e.description.contains("rank3.npy") && e.description.contains("(2, 3, 4)"))
    #expect(dataError { try SampleFile.readLabels(path: fixture("rank3.npy")) }?.kind != nil)
  }

  @Test func numpyTextFiles() throws {
    let (withHeader, names) = try CSV.readTensor(path: fixture("grid_header.csv"), as: Double.self)
    #expect(withHeader == gridValues(4, 3))
    #expect(names == ["x", "y", "z"])
    #expect(try SampleFile.readSamples(path: fixture("grid_plain.txt")) == gridValues(4, 3))
  }
}
