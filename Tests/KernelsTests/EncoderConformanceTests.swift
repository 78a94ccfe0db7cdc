import Testing
@testable import Kernels

/// all-mpnet-base-v2 against sentence-transformers (fixtures/scoring/worfbench/embeddings.json).
@Suite("EncoderConformance")
struct EncoderConformanceTests {
    static let modelDir = packageRoot + "/models/all-mpnet-base-v2"

    @Test func embeddingsMatchFixture() throws {
        guard fileExists(Self.modelDir + "/model.safetensors") else {
            print("skipped: \(Self.modelDir) is absent (run scripts/prepare-encoder to create it)")
            return
        }
        let encoder = try MPNetEncoder(directory: Self.modelDir)
        let doc = try readJSON(fixtureRoot + "/scoring/worfbench/embeddings.json")
        #expect(doc["max_seq_length"]?.int == encoder.maxSeqLength)
        let sentences = try #require(doc["sentences"]?.array)
        let texts = sentences.compactMap { $0["text"]?.string }
        let batch = encoder.encode(texts)
        var worst: Float = 0
        for (i, s) in sentences.enumerated() {
            let text = texts[i]
            let label = "sentence \(i) \"\(text.prefix(40))\""
            let ids = encoder.tokenize(text)
            #expect(ids == s["input_ids"]?.array?.compactMap(\.int), "\(label): input ids differ")
            let single = encoder.encode(ids: [ids])[0]
            let first8 = try #require(s["embedding_first8"]?.array).compactMap { $0.double.map(Float.init) }
            let d = maxAbsDiff(Array(single.prefix(8)), first8)
            worst = max(worst, d)
            #expect(d <= 1e-5, "\(label): first 8 embedding values differ by \(d)")
            #expect(maxAbsDiff(single, batch[i]) <= 1e-5, "\(label): batch and single encodings differ")
            let pooled = encoder.pooledEmbeddings(ids: [ids])[0]
            let norm = pooled.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let refNorm = try #require(s["pooled_l2_norm_before_normalize"]?.double)
            #expect(abs(Double(norm) - refNorm) <= 1e-4, "\(label): pooled norm \(norm) vs \(refNorm)")
        }
        for (text, vector) in try #require(doc["full_vectors"]?.object) {
            let want = try #require(vector.array).compactMap { $0.double.map(Float.init) }
            let d = maxAbsDiff(encoder.encode([text])[0], want)
            worst = max(worst, d)
            #expect(d <= 1e-5, "full vector \"\(text.prefix(40))\": max abs diff \(d)")
        }
        for c in try #require(doc["pairwise_cosines"]?.array) {
            let a = try #require(c["a_index"]?.int), b = try #require(c["b_index"]?.int)
            let cos = zip(batch[a], batch[b]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            let want = try #require(c["cos_sim"]?.double)
            #expect(abs(Double(cos) - want) <= 1e-5, "cosine \(a)-\(b): \(cos) vs \(want)")
        }
        print("encoder: \(sentences.count) sentences, worst embedding diff \(worst)")
    }

    @Test func relativePositionBuckets() throws {
        guard fileExists(Self.modelDir + "/model.safetensors") else { return }
        let e = try MPNetEncoder(directory: Self.modelDir)
        // Reference values of MPNet's relative_position_bucket (32 buckets, max distance 128).
        #expect([0, 1, 7, 8, 12, 16, 127, 500].map { e.bucket(-$0) } == [0, 1, 7, 8, 9, 10, 15, 15])
        #expect([1, 7, 8, 500].map { e.bucket($0) } == [17, 23, 24, 31])
    }
}
