/// A ZeroMQ TCP endpoint `tcp://host:port` (`host` may be `*`, a name, an IPv4 address or a
/// bracketed IPv6 address such as `[::1]`).
public struct TCPEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// Host part, without brackets for IPv6.
    public var host: String
    /// Port, 1...65535.
    public var port: Int

    /// Parses `tcp://host:port`; `nil` when `text` has another shape.
    public init?(_ text: String) {
        guard text.hasPrefix("tcp://") else { return nil }
        let rest = text.dropFirst("tcp://".count)
        let hostPart: Substring
        let portPart: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            guard after.hasPrefix(":") else { return nil }
            portPart = after.dropFirst()
        } else {
            guard let colon = rest.lastIndex(of: ":") else { return nil }
            hostPart = rest[..<colon]
            portPart = rest[rest.index(after: colon)...]
            if hostPart.contains(":") { return nil }
        }
        guard !hostPart.isEmpty, !hostPart.contains(where: { $0 == " " || $0 == "/" }),
              portPart.allSatisfy(\.isASCII), let port = Int(portPart), (1...65535).contains(port) else { return nil }
        self.host = String(hostPart)
        self.port = port
    }

    /// True for `localhost`, `127.0.0.0/8` and `::1`.
    public var isLoopback: Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1"
    }

    /// True for `*`, `0.0.0.0` and `::` (every interface).
    public var isWildcard: Bool { host == "*" || host == "0.0.0.0" || host == "::" }

    public var description: String { host.contains(":") ? "tcp://[\(host)]:\(port)" : "tcp://\(host):\(port)" }
}

extension CoordinatorSettings {
    /// The endpoint workers connect to: `connect` when set, else `bind` with a wildcard host
    /// (`*`, `0.0.0.0`, `::`) replaced by `127.0.0.1`.
    public var connectEndpoint: String {
        if let connect { return connect }
        guard var ep = TCPEndpoint(bind), ep.isWildcard else { return bind }
        ep.host = "127.0.0.1"
        return ep.description
    }
}

extension ClusterConfig {
    /// Checks that the coordinator may bind `coordinator.bind`: a non-loopback address needs
    /// `[curve]` keys, or an explicit `coordinator.allow_plaintext = true` (trusted network only).
    /// Throws a `ConfigError` (kind `.rejected`) explaining both ways out.
    public func validateBind() throws {
        let file = sourcePath ?? "cluster.conf"
        guard let ep = TCPEndpoint(coordinator.bind) else {
            throw ConfigError(file: file, line: nil, keyPath: "coordinator.bind",
                              kind: .invalidValue(expected: "an endpoint of the form tcp://host:port",
                                                  got: "\"\(coordinator.bind)\""))
        }
        if ep.isLoopback || curve != nil || coordinator.allowPlaintext { return }
        let reason = "\"\(coordinator.bind)\" is not a loopback address and no [curve] keys are configured, "
            + "so any machine that reaches port \(ep.port) could pose as a worker and write results unencrypted. "
            + "Configure [curve] (create keys with `acbench keys`), bind tcp://127.0.0.1:\(ep.port) for a "
            + "one-machine run, or set coordinator.allow_plaintext = true on a trusted network"
        throw ConfigError(file: file, line: nil, keyPath: "coordinator.bind", kind: .rejected(reason: reason))
    }
}
