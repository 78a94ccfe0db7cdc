import Foundation

/// Network namespaces made by a test on this machine: a bridge in the root namespace and one
/// namespace per simulated host, joined to the bridge by a veth pair, on a private /24. Names carry
/// a random tag so parallel runs never collide; `tearDown()` removes everything it made.
/// Traffic stays between these namespaces: nothing is routed anywhere else.
final class NetLab: @unchecked Sendable {
    static let ip = "/usr/sbin/ip"

    struct Host { var namespace: String; var address: String; var hostSide: String }

    let tag: String
    let subnet: String
    private(set) var hosts: [String: Host] = [:]
    private var bridge: String { "acb\(tag)br" }

    /// Why namespaces cannot be used here, or nil when they can.
    static func unavailable() -> String? {
        if getuid() != 0 { return "not root: `ip netns` needs root" }
        guard FileManager.default.isExecutableFile(atPath: ip) else { return "\(ip) is missing (iproute2)" }
        let probe = "acbprobe\(UInt16.random(in: 0 ... .max))"
        guard (try? run(["netns", "add", probe])) != nil else { return "`ip netns add` does not work here" }
        _ = try? run(["netns", "del", probe])
        return nil
    }

    init() throws {
        tag = String(format: "%04x", UInt16.random(in: 0 ... .max))
        subnet = "10.213.\(Int.random(in: 1...250))"
        try Self.run(["link", "add", bridge, "type", "bridge"])
        try Self.run(["link", "set", bridge, "up"])
    }

    /// Adds namespace `label` at `subnet.(n+1)`, where n is the number of hosts so far; returns it.
    @discardableResult
    func addHost(_ label: String) throws -> Host {
        let n = hosts.count + 1
        let h = Host(namespace: "acb\(tag)-\(label)", address: "\(subnet).\(n)", hostSide: "acb\(tag)h\(n)")
        let inner = "acb\(tag)n\(n)"
        try Self.run(["netns", "add", h.namespace])
        hosts[label] = h
        try Self.run(["link", "add", h.hostSide, "type", "veth", "peer", "name", inner])
        try Self.run(["link", "set", inner, "netns", h.namespace])
        try Self.run(["link", "set", h.hostSide, "master", bridge, "up"])
        for args in [["addr", "add", "\(h.address)/24", "dev", inner], ["link", "set", inner, "up"], ["link", "set", "lo", "up"]] {
            try Self.run(["-n", h.namespace] + args)
        }
        return h
    }

    /// Cuts `label` off the network (its veth goes down) or restores it.
    func setLink(_ label: String, up: Bool) throws {
        guard let h = hosts[label] else { throw TestError("no host \(label)") }
        try Self.run(["link", "set", h.hostSide, up ? "up" : "down"])
    }

    func tearDown() {
        for h in hosts.values {
            _ = try? Self.run(["link", "del", h.hostSide])
            _ = try? Self.run(["netns", "del", h.namespace])
        }
        _ = try? Self.run(["link", "del", bridge])
        hosts = [:]
    }

    @discardableResult
    static func run(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ip)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw TestError("ip \(args.joined(separator: " ")): \(out)") }
        return out
    }
}
