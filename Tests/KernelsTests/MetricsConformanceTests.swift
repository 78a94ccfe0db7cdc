import Foundation
import Testing
@testable import Kernels

/// The analysis metrics against the reference values of `kernels/metrics` (ACBench's own code).
@Suite("MetricsConformance")
struct MetricsConformanceTests {
    let logits: [String: (shape: [Int], values: [Float])]
    let reference: [String: Any]

    init() throws {
        logits = try MetricsFixture.tensors(MetricsFixture.folder + "/logits.safetensors")
        reference = try MetricsFixture.json()
    }

    /// Equal within `tol` (absolute, or relative for values above 1); NaN equals NaN.
    func close(_ a: Double, _ b: Double, _ tol: Double = 1e-5) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        return abs(a - b) <= tol * max(1, abs(b))
    }

    @Test func erankMatchesTheGramForm() throws {
        let erank = reference["erank"] as! [String: [String: Double]]
        for (name, tensor) in [("base", "base_logits"), ("compressed", "compressed_logits")] {
            let t = try #require(logits[tensor])
            let value = ERank.compute(t.values, rows: t.shape[0], cols: t.shape[1])
            #expect(close(value, erank[name]!["gram_eigvalsh_f64"]!), "\(name): \(value)")
            #expect(close(value, erank[name]!["prune_script_f64"]!), "\(name): \(value)")
            #expect(abs(value / erank[name]!["quant_script_fp32"]! - 1) < 1e-4, "\(name): \(value)")
        }
    }

    @Test func energyPerPosition() throws {
        let energy = reference["energy_T1"] as! [String: Any]
        for (name, tensor) in [("base", "base_logits"), ("compressed", "compressed_logits")] {
            let t = try #require(logits[tensor])
            let got = Energy.perPosition(t.values, positions: t.shape[0], vocab: t.shape[1])
            let want = MetricsFixture.doubles(energy[name])
            #expect(got.count == want.count)
            for (g, w) in zip(got, want) { #expect(close(g, w), "\(name): \(g) vs \(w)") }
        }
        let t2 = MetricsFixture.doubles((reference["energy_T2"] as! [String: Any])["base"])
        let base = try #require(logits["base_logits"])
        let got2 = Energy.perPosition(base.values, positions: 32, vocab: 256, temperature: 2)
        for (g, w) in zip(got2, t2) { #expect(close(g, w)) }
    }

    @Test func topKIndexSetsFromBase() throws {
        let sets = reference["topk_index_sets_from_base"] as! [String: [[Int]]]
        let base = try #require(logits["base_logits"])
        for k in TopKCorrelation.ks {
            for t in 0 ..< 32 {
                let got = TopKCorrelation.topIndices(base.values[t * 256 ..< (t + 1) * 256], k: k).sorted()
                #expect(got == sets["top\(k)"]![t], "k=\(k) position \(t)")
            }
        }
    }

    @Test func perPositionCorrelations() throws {
        let single = reference["per_position_topk"] as! [String: Any]
        let batched = (reference["batched"] as! [String: Any])["per_position_topk_mean_over_sequences"] as! [String: Any]
        let cases: [(String, String, Int, Int, [String: Any])] = [
            ("base_logits", "compressed_logits", 1, 32, single),
            ("batched_base_logits", "batched_compressed_logits", 4, 16, batched),
        ]
        for (b, c, n, t, want) in cases {
            let base = try #require(logits[b]), comp = try #require(logits[c])
            for k in TopKCorrelation.ks {
                let got = TopKCorrelation.perPosition(base: base.values, compressed: comp.values, sequences: n,
                                                      positions: t, vocab: 256, k: k)
                for (g, w) in zip(got.kendall, MetricsFixture.doubles(want["kendall_top\(k)"])) {
                    #expect(close(g, w, 1e-9), "\(b) kendall k=\(k): \(g) vs \(w)")
                }
                for (g, w) in zip(got.spearman, MetricsFixture.doubles(want["spearman_top\(k)"])) {
                    #expect(close(g, w, 1e-9), "\(b) spearman k=\(k): \(g) vs \(w)")
                }
            }
        }
    }

    @Test func flattenedPerSequence() throws {
        let want = ((reference["batched"] as! [String: Any])["flattened_per_sequence"] as! [String: Any])
        let base = try #require(logits["batched_base_logits"]), comp = try #require(logits["batched_compressed_logits"])
        let size = 16 * 256
        for s in 0 ..< 4 {
            let b = Array(base.values[s * size ..< (s + 1) * size]), c = Array(comp.values[s * size ..< (s + 1) * size])
            for k in [nil] + TopKCorrelation.ks.map(Optional.some) {
                let got = TopKCorrelation.flattened(base: b, compressed: c, k: k)
                let suffix = k.map { "top\($0)" } ?? "all"
                #expect(close(got.kendall, MetricsFixture.doubles(want["kendall_\(suffix)"])[s], 1e-9), "kendall_\(suffix) seq \(s)")
                #expect(close(got.spearman, MetricsFixture.doubles(want["spearman_\(suffix)"])[s], 1e-9), "spearman_\(suffix) seq \(s)")
            }
        }
    }

    @Test func constantInputIsNaN() throws {
        let d = reference["degenerate_case"] as! [String: Any]
        let base = (d["base"] as! [Double]).map(Float.init), comp = (d["compressed"] as! [Double]).map(Float.init)
        let got = TopKCorrelation.perPosition(base: base, compressed: comp, sequences: 1, positions: 1, vocab: base.count, k: 3)
        #expect(got.kendall[0].isNaN && got.spearman[0].isNaN)
    }
}
