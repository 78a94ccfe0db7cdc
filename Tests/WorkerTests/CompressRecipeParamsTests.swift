import Kernels
import Protocol
import Testing
@testable import Worker

/// Sweep `[methods.params]` → compression recipe: every method of the study's sweep file is
/// accepted as written, the reference scripts' spellings are aliases, and mistakes are named.
@Suite("CompressRecipeParams")
struct CompressRecipeParamsTests {
    @Test func everyMethodOfTheStudySweepMakesARecipe() throws {
        let sweep = try SweepLoader.load(path: ServerTestSupport.repoRoot + "/sweeps/acbench.toml")
        let methods = sweep.methods.filter { $0.algorithm != "none" }
        #expect(methods.count == 6)
        for m in methods {
            let r = try CompressJob.recipe(algorithm: m.algorithm, params: m.params)
            #expect(r.method.rawValue == m.algorithm)
        }
        let awq = try #require(methods.first { $0.algorithm == "awq" })
        #expect(try CompressJob.normalized(awq.params)["seq_len"] == .int(512))
    }

    @Test func referenceSpellingsAreAliases() throws {
        let p = try CompressJob.normalized(["nsamples": .int(16), "seqlen": .int(256), "bits": .int(4)])
        #expect(p == ["samples": .int(16), "seq_len": .int(256), "bits": .int(4)])
        #expect(throws: CompressionError.self) { try CompressJob.normalized(["nsamples": .int(1), "samples": .int(2)]) }
    }

    @Test func zeroPointIsTheOppositeOfSym() throws {
        #expect(try CompressJob.recipe(algorithm: "rtn", params: ["zero_point": .bool(true), "format": .string("awq")]).symmetric == false)
        #expect(try CompressJob.recipe(algorithm: "gptq", params: ["zero_point": .bool(false)]).symmetric == true)
        #expect(throws: CompressionError.self) { try CompressJob.recipe(algorithm: "awq", params: ["zero_point": .bool(false)]) }
        #expect(throws: CompressionError.self) { try CompressJob.recipe(algorithm: "gptq", params: ["sym": .bool(true), "zero_point": .bool(false)]) }
        #expect(throws: CompressionError.self) { try CompressJob.recipe(algorithm: "gptq", params: ["n_samples": .int(3)]) }
    }
}
