import Testing
import Foundation
import NCFTensor
import NCFData

/// `NPY.readArray`: arrays of any rank (network weights), in C order.
@Suite struct NPYArrayTests {
  @Test func threeDimensionalArraysInBothMemoryOrders() throws {
    let dir = TemporaryDirectory()
    // a[i, j, k] = 100i + 10j + k for shape (2, 3, 4), C order on disk.
    var values: [Double] = []
    for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { values.append(Double(100 * i + 10 * j + k)) } } }
    let c = dir.write("c.npy", bytes: npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3, 4), }",
                                               data: float64Bytes(values)))
    let readC: (shape: [Int], values: [Double]) = try NPY.readArray(path: c)
    #expect(readC.shape == [2, 3, 4])
    #expect(readC.values == values)
    // The same array in Fortran order: the first index varies fastest on disk.
    var fortran: [Double] = []
    for k in 0..<4 { for j in 0..<3 { for i in 0..<2 { fortran.append(Double(100 * i + 10 * j + k)) } } }
    let f = dir.write("f.npy", bytes: npyBytes(header: "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3, 4), }",
                                               data: float64Bytes(fortran)))
    let readF: (shape: [Int], values: [Float]) = try NPY.readArray(path: f)
    #expect(readF.shape == [2, 3, 4])
    #expect(readF.values == values.map(Float.init))
  }

  @Test func vectorsAndNonFiniteValues() throws {
    let dir = TemporaryDirectory()
    let v = dir.write("v.npy", bytes: npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
                                               data: float64Bytes([1, -2, 3.5])))
    let read: (shape: [Int], values: [Double]) = try NPY.readArray(path: v)
    #expect(read.shape == [3] && read.values == [1, -2, 3.5])
    let bad = dir.write("n.npy", bytes: npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
                                                 data: float64Bytes([1, .nan, 3])))
    let e = try #require(dataError { try NPY.readArray(path: bad, as: Double.self) })
    #expect(e.kind == .nonFinite(row: 1, column: 0))
    let missing = try #require(dataError { try NPY.readArray(path: dir.file("absent.npy"), as: Double.self) })
    #expect(missing.kind == .fileNotFound)
  }
}
