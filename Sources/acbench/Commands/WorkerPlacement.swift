import Protocol
import Worker

/// The worker processes `acbench worker` runs on this host: one per GPU group, or N CPU slots.
///
/// Sources, first match wins: the command-line flags (`--gpus`, `--gpus-per-worker`,
/// `--cpu-slots`, `--kinds`), then this host's `[[hosts]]` entry in cluster.conf (picked by
/// `--host`, else by matching the machine's host name to an entry's `name` or `address`), then the
/// single-worker default (GPU SLOT when the machine has GPUs, else one CPU slot).
struct WorkerPlacement: Equatable {
    struct Slot: Equatable {
        var name: String
        var slot: Int
        /// GPU ids pinned to this worker; empty for a CPU slot.
        var gpus: [Int]
    }

    /// The host label workers report (artifact locality, status); the `[[hosts]]` name when known.
    var host: String
    var slots: [Slot]
    var kinds: [UnitKind]

    /// What the flags said; nil means "not given".
    struct Request {
        var name: String?
        var slot = 0
        var gpus: String?
        var gpusPerWorker: Int?
        var cpuSlots: Int?
        var host: String?
        var kinds: String?
    }

    /// Resolves `request` against the config and the GPUs `nvidia-smi` lists (`available`).
    static func resolve(_ request: Request, config: ClusterConfig, machineName: String,
                        available: () -> [Int]) throws -> WorkerPlacement {
        let entry = try hostEntry(request.host, config: config, machineName: machineName)
        let host = request.host ?? entry?.name ?? machineName
        let kinds = try request.kinds.map(parseKinds) ?? entry?.kinds ?? UnitKind.allCases
        let perWorker = request.gpusPerWorker ?? entry?.gpusPerWorker ?? 1
        guard perWorker >= 1 else { throw CLIError("--gpus-per-worker must be at least 1") }

        var gpus: [Int]?  // nil: CPU slots
        if request.cpuSlots != nil && request.gpus != nil && request.gpus != "none" {
            throw CLIError("--cpu-slots and --gpus \(request.gpus!) exclude each other")
        }
        switch request.gpus {
        case "none": gpus = nil
        case "all":
            let all = available()
            guard !all.isEmpty else { throw CLIError("--gpus all: nvidia-smi lists no GPU on this machine (use --cpu-slots N)") }
            gpus = all
        case let list?: gpus = try parseIds(list)
        case nil:
            if request.cpuSlots != nil { gpus = nil }
            else if let e = entry { gpus = e.gpus ?? available(); if gpus == [] { gpus = nil } }
            else {
                // Single-worker default: GPU SLOT (a TP group of gpus_per_worker from there) if the machine has GPUs.
                gpus = available().isEmpty ? nil : Array(request.slot ..< request.slot + perWorker)
            }
        }

        var groups: [[Int]]
        if let gpus {
            guard gpus.count % perWorker == 0 else {
                throw CLIError("\(gpus.count) GPU(s) \(gpus) cannot be split into groups of \(perWorker) (--gpus-per-worker / gpus_per_worker)")
            }
            groups = stride(from: 0, to: gpus.count, by: perWorker).map { Array(gpus[$0 ..< $0 + perWorker]) }
        } else {
            let n = request.cpuSlots ?? (request.gpus == nil ? entry?.cpuSlots : nil) ?? 1
            guard n >= 1 else { throw CLIError("--cpu-slots must be at least 1") }
            groups = Array(repeating: [], count: n)
        }
        let base = request.name ?? host
        let slots = groups.enumerated().map { i, g in
            groups.count == 1
                ? Slot(name: request.name ?? "\(host)-\(request.slot)", slot: request.slot, gpus: g)
                : Slot(name: "\(base)-\(request.slot + i)", slot: request.slot + i, gpus: g)
        }
        return WorkerPlacement(host: host, slots: slots, kinds: kinds)
    }

    static func hostEntry(_ name: String?, config: ClusterConfig, machineName: String) throws -> HostSettings? {
        if let name {
            return config.hosts.first { $0.name == name }
        }
        let short = machineName.split(separator: ".").first.map(String.init) ?? machineName
        return config.hosts.first { [$0.name, $0.address].contains(machineName) || [$0.name, $0.address].contains(short) }
    }

    static func parseIds(_ list: String) throws -> [Int] {
        let ids = try list.split(separator: ",").map { s -> Int in
            guard let i = Int(s), i >= 0 else { throw CLIError("--gpus: '\(s)' is not a GPU id (use all, none, or ids such as 0,1,2)") }
            return i
        }
        guard !ids.isEmpty, Set(ids).count == ids.count else { throw CLIError("--gpus \(list): list each GPU id once") }
        return ids
    }

    static func parseKinds(_ list: String) throws -> [UnitKind] {
        try list.split(separator: ",").map { k in
            guard let u = UnitKind(rawValue: String(k)) else { throw CLIError("--kinds: '\(k)' is not a unit kind (compress, eval)") }
            return u
        }
    }
}
