import ArgumentParser
import Protocol

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make CURVE key pairs for the coordinator and workers (only listed workers may connect).",
        discussion: """
            Writes NAME.key (public) and NAME.key_secret (secret, mode 0600) into --dir for each NAME, and prints \
            the [curve] table to paste into cluster.conf. Use `coordinator` as the name of the coordinator's pair. \
            Existing files are never overwritten.
            """)

    @Argument(help: "Names of the key pairs, e.g. coordinator worker-a worker-b.")
    var names: [String]

    @Option(help: "Folder for the key files.")
    var dir: String = "keys"

    func run() throws {
        try Files.makeDirectories(dir)
        var pairs: [(String, CurveKeyPair)] = []
        for name in names {
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), !name.isEmpty else {
                throw CLIError("keys: '\(name)' is not a usable name (letters, digits, - _ .)")
            }
            let pubPath = "\(dir)/\(name).key", secPath = "\(dir)/\(name).key_secret"
            if Files.exists(secPath) { throw CLIError("keys: \(secPath) exists; not overwriting it") }
            let pair = try CurveKeyPair.generate()
            try Files.writeAtomic(secPath, Array((pair.secretKey + "\n").utf8), mode: 0o600)
            try Files.writeAtomic(pubPath, Array((pair.publicKey + "\n").utf8))
            pairs.append((name, pair))
        }
        var toml = "[curve]\n"
        if let c = pairs.first(where: { $0.0 == "coordinator" }) {
            toml += "server_public = \"\(c.1.publicKey)\"\nserver_secret_file = \"\(dir)/coordinator.key_secret\"\n"
        }
        toml += "worker_keys_dir = \"\(dir)\"\n\n[curve.workers]\n"
        for (name, pair) in pairs where name != "coordinator" { toml += "\(name) = \"\(pair.publicKey)\"\n" }
        print("wrote \(pairs.count) key pair(s) to \(dir)/ (secret keys mode 0600)\n\n\(toml)")
    }
}
