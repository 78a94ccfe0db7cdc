import Testing
@testable import Kernels

/// The compression algorithms against the reference outputs in `fixtures/kernels/compression`
/// (README §3): RTN, magnitude and Wanda identical; GPTQ and SparseGPT within 1e-5 relative; the
/// packed GPTQ example byte-identical. Every case is checked; a failure names its case.
@Suite("CompressionConformance")
struct CompressionConformanceTests {
    static let layerPath = fixture("compression/layer.safetensors")

    struct Layer {
        let file: SafeTensorsFile
        func m(_ name: String) throws -> Matrix {
            let i = try file.info(name)
            return Matrix(rows: i.shape[0], cols: i.shape.count > 1 ? i.shape[1] : 1, data: try file.floats(name))
        }
        func ints(_ name: String) throws -> [Int32] { try file.integers(name).map { Int32($0) } }
        func mask(_ name: String) throws -> [Bool] { try file.integers(name).map { $0 == 1 } }
    }
    static func layer() throws -> Layer { Layer(file: try SafeTensorsFile(path: layerPath)) }

    /// Max relative difference `|a−b| / max|b|`.
    static func rel(_ a: Matrix, _ b: Matrix) -> Float {
        let scale = b.data.map { abs($0) }.max() ?? 1
        return a.maxAbsDiff(b) / max(scale, 1e-30)
    }

    static func checkQuantized(_ q: QuantizedWeight, _ l: Layer, _ prefix: String, exact: Bool = true) throws {
        let codes = try l.ints(prefix + ".codes")
        let flips = zip(q.codes, codes).filter { $0 != $1 }.count
        #expect(flips == 0, "\(prefix): \(flips) codes differ")
        let scales = try l.m(prefix + ".scales"), zeros = try l.m(prefix + ".zeros")
        if exact { #expect(q.scales.data == scales.data, "\(prefix): scales differ (max \(q.scales.maxAbsDiff(scales)))") }
        else { #expect(rel(q.scales, scales) <= 1e-5, "\(prefix): scales differ by \(rel(q.scales, scales)) relative") }
        #expect(q.zeros.data == zeros.data, "\(prefix): zeros differ")
        let w = try l.m(prefix + ".weight")
        if exact { #expect(q.dequantized().data == w.data, "\(prefix): weights differ (max \(q.dequantized().maxAbsDiff(w)))") }
        else { #expect(rel(q.dequantized(), w) <= 1e-5, "\(prefix): weights differ by \(rel(q.dequantized(), w)) relative") }
    }

    @Test(arguments: [("rtn_sym_g128", QuantizerKind.gptq, true), ("rtn_asym_g128", .gptq, false), ("rtn_awq_asym_g128", .awq, false)])
    func rtn(_ c: (String, QuantizerKind, Bool)) throws {
        let l = try Self.layer()
        let q = try rtnQuantize(try l.m("W"), groupSize: 128, symmetric: c.2, kind: c.1)
        try Self.checkQuantized(q, l, c.0)
    }

    @Test(arguments: [("ties.rtn_sym_g16", true), ("ties.rtn_asym_g16", false)])
    func ties(_ c: (String, Bool)) throws {
        let l = try Self.layer()
        let q = try rtnQuantize(try l.m("ties.W"), groupSize: 16, symmetric: c.1, kind: .gptq)
        try Self.checkQuantized(q, l, c.0)
    }

    @Test func hessianMatchesReference() throws {
        let l = try Self.layer()
        let x = try l.m("X")
        var acc = HessianAccumulator(columns: x.cols)
        acc.add(x, lengths: Array(repeating: 4, count: 128))
        let r = Self.rel(acc.h, try l.m("H"))
        #expect(r <= 1e-5, "H differs by \(r) relative")
        var w = try l.m("W")
        let u = try prepareInverseHessian(try l.m("H"), weight: &w, percDamp: 0.01)
        let ru = Self.rel(u, try l.m("Hinv_upper"))
        #expect(ru <= 1e-5, "Hinv_upper differs by \(ru) relative")
    }

    @Test(arguments: [("gptq_sym_g128", false), ("gptq_sym_g128_actorder", true)])
    func gptq(_ c: (String, Bool)) throws {
        let l = try Self.layer()
        let r = try gptqQuantize(try l.m("W"), hessian: try l.m("H"), options: GPTQOptions(actOrder: c.1))
        try Self.checkQuantized(r.quantized, l, c.0, exact: false)
        #expect(r.quantized.gIdx == (try l.ints(c.0 + ".g_idx")), "\(c.0): g_idx differs")
        if c.1 { #expect(r.perm.map(Int64.init) == (try l.file.integers(c.0 + ".perm")), "\(c.0): perm differs") }
        // With our own Hessian: a handful of code flips at most.
        var acc = HessianAccumulator(columns: 256)
        acc.add(try l.m("X"), lengths: Array(repeating: 4, count: 128))
        let own = try gptqQuantize(try l.m("W"), hessian: acc.h, options: GPTQOptions(actOrder: c.1))
        let flips = zip(own.quantized.codes, try l.ints(c.0 + ".codes")).filter { $0 != $1 }.count
        #expect(flips <= 4, "\(c.0): \(flips) codes flip with the accumulated Hessian")
    }

    @Test(arguments: [("sparsegpt_50", 0, 0), ("sparsegpt_2of4", 2, 4)])
    func sparseGPT(_ c: (String, Int, Int)) throws {
        let l = try Self.layer()
        let r = try sparseGPTPrune(try l.m("W"), hessian: try l.m("H"), options: SparseGPTOptions(pruneN: c.1, pruneM: c.2))
        let mask = r.weight.data.map { $0 == 0 }, refMask = try l.mask(c.0 + ".mask")
        #expect(mask == refMask, "\(c.0): masks differ in \(zip(mask, refMask).filter { $0 != $1 }.count) entries")
        let rel = Self.rel(r.weight, try l.m(c.0 + ".weight"))
        #expect(rel <= 1e-5, "\(c.0): weights differ by \(rel) relative")
    }

    @Test(arguments: [("wanda_50", 0, 0), ("wanda_2of4", 2, 4)])
    func wanda(_ c: (String, Int, Int)) throws {
        let l = try Self.layer()
        var stat = WandaStatistic(columns: 256)
        stat.add(try l.m("X"), lengths: Array(repeating: 4, count: 128))
        let ref = try l.file.floats("wanda.scaler_row")
        #expect(maxAbsDiff(stat.scalerRow, ref) <= 1e-6 * (ref.max() ?? 1), "wanda.scaler_row differs by \(maxAbsDiff(stat.scalerRow, ref))")
        let r = wandaPrune(try l.m("W"), scalerRow: stat.scalerRow, pruneN: c.1, pruneM: c.2)
        #expect(r.weight.data == (try l.m(c.0 + ".weight")).data, "\(c.0): weights differ")
        let mask = r.weight.data.map { $0 == 0 }
        #expect(mask == (try l.mask(c.0 + ".mask")), "\(c.0): masks differ")
    }

    @Test(arguments: [("magnitude_50", 0, 0), ("magnitude_2of4", 2, 4)])
    func magnitude(_ c: (String, Int, Int)) throws {
        let l = try Self.layer()
        let r = magnitudePrune(try l.m("W"), pruneN: c.1, pruneM: c.2)
        #expect(r.weight.data == (try l.m(c.0 + ".weight")).data, "\(c.0): weights differ")
        #expect(r.weight.data.map { $0 == 0 } == (try l.mask(c.0 + ".mask")), "\(c.0): masks differ")
    }

    @Test(arguments: [("pack16x32_g16", false), ("pack16x32_g16_actorder", true)])
    func gptqPacking(_ c: (String, Bool)) throws {
        let l = try Self.layer()
        let x = try l.m(c.0 + ".X")
        var acc = HessianAccumulator(columns: 32)
        acc.add(x, lengths: Array(repeating: 4, count: 32))
        let q = try gptqQuantize(try l.m(c.0 + ".W"), hessian: acc.h, options: GPTQOptions(groupSize: 16, actOrder: c.1)).quantized
        #expect(q.codes == (try l.ints(c.0 + ".codes")), "\(c.0): codes differ")
        #expect(q.gIdx == (try l.ints(c.0 + ".g_idx")), "\(c.0): g_idx differs")
        let tensors = try gptqTensors(q, prefix: "p")
        for (name, ours) in [("qweight", tensors["p.qweight"]!), ("qzeros", tensors["p.qzeros"]!), ("scales", tensors["p.scales"]!), ("g_idx", tensors["p.g_idx"]!)] {
            let ref = try l.file.bytes(c.0 + "." + name)
            #expect(ours.bytes == Array(ref), "\(c.0).\(name): bytes differ")
        }
        // Unpack + dequantize with fp16 scales = what a loader reconstructs.
        let back = try dequantizeGPTQ(qweight: try l.ints(c.0 + ".qweight"), qzeros: try l.ints(c.0 + ".qzeros"),
                                      scales: try l.file.floats(c.0 + ".scales"), gIdx: try l.ints(c.0 + ".g_idx"), out: 16, in: 32)
        #expect(back.data == (try l.m(c.0 + ".dequant_fp16_scales")).data, "\(c.0): unpack + dequant differs")
    }

    @Test(arguments: ["self_attn.o_proj", "mlp.down_proj"])
    func awqGEMMPacking(_ prefix: String) throws {
        let f = try SafeTensorsFile(path: fixture("compression/awq/awq_gemm_packed.safetensors"))
        let codes = try f.integers(prefix + ".codes").map { Int32($0) }
        let scalesInfo = try f.info(prefix + ".scales")
        let g = scalesInfo.shape[0], n = scalesInfo.shape[1], k = codes.count / n
        let back = unpackAWQWeight(try f.integers(prefix + ".qweight").map { Int32($0) }, out: n, in: k)
        #expect(back == codes, "\(prefix): unpacked codes differ")
        let zeros = unpackAWQZeros(try f.integers(prefix + ".qzeros").map { Int32($0) }, out: n, groups: g)
        let scales = Matrix(rows: g, cols: n, data: try f.floats(prefix + ".scales")).transposed
        let q = QuantizedWeight(rows: n, cols: k, bits: 4, groupSize: k / g, kind: .awq, symmetric: false, codes: codes,
                                scales: scales, zeros: zeros, gIdx: (0..<k).map { Int32($0 / (k / g)) })
        let t = try awqTensors(q, prefix: "p")
        #expect(t["p.qweight"]!.bytes == Array(try f.bytes(prefix + ".qweight")), "\(prefix): qweight bytes differ")
        #expect(t["p.qzeros"]!.bytes == Array(try f.bytes(prefix + ".qzeros")), "\(prefix): qzeros bytes differ")
        #expect(t["p.scales"]!.bytes == Array(try f.bytes(prefix + ".scales")), "\(prefix): scales bytes differ")
        #expect(q.dequantized().data == (try f.floats(prefix + ".dequant_fp16_scales")), "\(prefix): dequantized differs")
    }
}
