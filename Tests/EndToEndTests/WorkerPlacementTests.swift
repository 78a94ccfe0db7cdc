import Testing
@testable import acbench
import Protocol

extension Processes {
/// How `acbench worker` turns flags and the host's [[hosts]] entry into worker processes.
@Suite("WorkerPlacement")
struct WorkerPlacementTests {
    let config = ClusterConfig(hosts: [
        HostSettings(name: "gpu01", address: "gpu01.example.org", gpus: [0, 1, 2, 3], gpusPerWorker: 2, kinds: [.eval]),
        HostSettings(name: "cpubox", address: "cpubox", gpus: [], cpuSlots: 3, kinds: [.compress]),
        HostSettings(name: "allgpus", address: "allgpus"),
    ])

    func resolve(_ r: WorkerPlacement.Request, machine: String = "laptop", gpus: [Int] = []) throws -> WorkerPlacement {
        try WorkerPlacement.resolve(r, config: config, machineName: machine, available: { gpus })
    }

    @Test("--gpus all: one worker per GPU, named HOST-SLOT")
    func allGPUs() throws {
        let p = try resolve(.init(gpus: "all"), gpus: [0, 1, 2])
        #expect(p.slots == [.init(name: "laptop-0", slot: 0, gpus: [0]), .init(name: "laptop-1", slot: 1, gpus: [1]),
                            .init(name: "laptop-2", slot: 2, gpus: [2])])
        #expect(p.kinds == UnitKind.allCases)
        #expect(throws: CLIError.self) { try resolve(.init(gpus: "all")) }
    }

    @Test("a list grouped by --gpus-per-worker; a --name becomes NAME-SLOT")
    func groups() throws {
        let p = try resolve(.init(name: "tp", gpus: "4,5,6,7", gpusPerWorker: 2))
        #expect(p.slots.map(\.gpus) == [[4, 5], [6, 7]])
        #expect(p.slots.map(\.name) == ["tp-0", "tp-1"])
        #expect(throws: CLIError.self) { try resolve(.init(gpus: "0,1,2", gpusPerWorker: 2)) }
        #expect(throws: CLIError.self) { try resolve(.init(gpus: "0,0")) }
    }

    @Test("the single-worker paths are unchanged: --gpus 0, --gpus none, no flags")
    func singleWorker() throws {
        #expect(try resolve(.init(name: "w", slot: 3, gpus: "0")).slots == [.init(name: "w", slot: 3, gpus: [0])])
        #expect(try resolve(.init(gpus: "none")).slots == [.init(name: "laptop-0", slot: 0, gpus: [])])
        #expect(try resolve(.init(slot: 1), gpus: [0, 1]).slots == [.init(name: "laptop-1", slot: 1, gpus: [1])])
        #expect(try resolve(.init()).slots == [.init(name: "laptop-0", slot: 0, gpus: [])])
    }

    @Test("--cpu-slots N: N CPU workers")
    func cpuSlots() throws {
        let p = try resolve(.init(cpuSlots: 2))
        #expect(p.slots.map(\.name) == ["laptop-0", "laptop-1"] && p.slots.allSatisfy { $0.gpus.isEmpty })
        #expect(throws: CLIError.self) { try resolve(.init(gpus: "0", cpuSlots: 2)) }
    }

    @Test("the [[hosts]] entry, by --host or by the machine's name, supplies GPUs, groups, slots and kinds")
    func hostEntry() throws {
        let g = try resolve(.init(host: "gpu01"))
        #expect(g.host == "gpu01" && g.slots.map(\.gpus) == [[0, 1], [2, 3]] && g.kinds == [.eval])
        #expect(try resolve(.init(), machine: "gpu01.example.org").host == "gpu01")
        let c = try resolve(.init(), machine: "cpubox")
        #expect(c.slots.map(\.name) == ["cpubox-0", "cpubox-1", "cpubox-2"] && c.kinds == [.compress])
        #expect(try resolve(.init(host: "allgpus"), gpus: [0, 1]).slots.count == 2)
        // Flags win over the entry.
        let o = try resolve(.init(gpus: "1", gpusPerWorker: 1, host: "gpu01", kinds: "compress,eval"))
        #expect(o.slots == [.init(name: "gpu01-0", slot: 0, gpus: [1])] && o.kinds == [.compress, .eval])
        #expect(throws: CLIError.self) { try resolve(.init(kinds: "train")) }
    }
}
}
