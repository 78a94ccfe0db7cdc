import Kernels
import Protocol
import Synchronization
import Tasks

/// Kernels' all-mpnet-base-v2 encoder as the scorers' `SentenceEmbedder` (WorfBench, T-Eval),
/// loaded on first use from `directory` so workers that never score those suites pay nothing.
final class EncoderEmbedder: SentenceEmbedder {
    let directory: String
    private let encoder = Mutex<MPNetEncoder?>(nil)

    init(directory: String) { self.directory = directory }

    func embed(_ sentences: [String]) throws -> [[Float]] {
        let e = try encoder.withLock { cached -> MPNetEncoder in
            if let cached { return cached }
            do {
                let loaded = try MPNetEncoder(directory: directory)
                cached = loaded
                return loaded
            } catch {
                throw SuiteError.scorer("cannot load the sentence encoder from \(directory): \(error) (run scripts/prepare-encoder)")
            }
        }
        return e.encode(sentences)
    }

    /// Installs the encoder for this process when its folder exists; returns whether it did.
    @discardableResult
    static func installIfPresent(base: String) -> Bool {
        let dir = base + "/models/all-mpnet-base-v2"
        guard Files.exists(dir + "/config.json") else { return false }
        SentenceEmbedders.install(EncoderEmbedder(directory: dir))
        return true
    }
}
