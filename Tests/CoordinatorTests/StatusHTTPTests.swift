import Foundation
import Logging
import Testing
@testable import Coordinator
@testable import Protocol

/// The coordinator's HTTP status: the matrix view and Prometheus metrics, served from a StatusBoard.
@Suite("StatusHTTP")
struct StatusHTTPTests {
    static let t0 = 1_000_000.0

    /// An engine with one busy worker and one committed sample, published on a board.
    func publishedBoard() throws -> (StatusBoard, StoreFixture) {
        let fixture = try StoreFixture()
        let units = Planner(baseDirectory: fixture.dir.path).plan(Fixture.sweep(methods: [Fixture.none]))
        try fixture.store.registerPlan(sweep: "test", units: units, now: Self.t0)
        let engine = try CoordinatorEngine(store: fixture.store, sweep: "test", units: units, config: ClusterConfig(),
                                           logger: Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() }), now: Self.t0)
        let peer: [UInt8] = [1, 2]
        _ = engine.handle(peer: peer, userId: nil, message: .ready(ReadyMessage(worker: "w0", incarnation: "i", minor: WireVersion.minor,
                                                                              capabilities: Fixture.capabilities(), running: [])), now: Self.t0)
        let assigned = engine.handle(peer: peer, userId: nil, message: .ask(AskMessage()), now: Self.t0)
        guard case .assign(let a)? = assigned.first?.message else { throw CoordinatorError.config("no ASSIGN") }
        _ = engine.handle(peer: peer, userId: nil, message: .result(ResultMessage(unit: a.unit.id, epoch: a.epoch, seq: 1,
                                                                                sample: Fixture.sample(0))), now: Self.t0 + 1)
        _ = engine.flush(now: Self.t0 + 1)
        let board = StatusBoard(window: 30)
        board.publish(engine, now: Self.t0 + 1)
        board.publish(engine, now: Self.t0 + 11)
        return (board, fixture)
    }

    @Test func metricsAndMatrix() throws {
        let (board, _) = try publishedBoard()
        let page = board.current
        #expect(page.text.contains("\nmodel  none\ntiny   0/1 1▶\n"), "\(page.text)")
        #expect(page.text.contains("w0"))
        #expect(page.metrics.contains("acbench_units{sweep=\"test\",state=\"running\"} 1\n"), "\(page.metrics)")
        #expect(page.metrics.contains("acbench_units{sweep=\"test\",state=\"pending\"} 0\n"))
        #expect(page.metrics.contains("acbench_samples_committed_total{sweep=\"test\"} 1\n"))
        #expect(page.metrics.contains("acbench_samples_per_second{sweep=\"test\"} 0.0\n"))
        #expect(page.metrics.contains("acbench_worker_up{worker=\"w0\",host=\"host-a\",state=\"busy\"} 1\n"))
        #expect(page.metrics.contains("acbench_worker_last_seen_seconds{worker=\"w0\"} 10.0\n"))
        #expect(page.metrics.contains("# TYPE acbench_samples_committed_total counter\n"))
    }

    @Test func servesGetRequests() throws {
        let (board, _) = try publishedBoard()
        let server = try StatusHTTPServer(board: board, host: "127.0.0.1", port: 0)
        defer { server.stop() }
        #expect(server.port > 0)
        let metrics = try Self.get(port: server.port, path: "/metrics")
        #expect(metrics.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(metrics.contains("Content-Type: text/plain; version=0.0.4"))
        #expect(metrics.contains("acbench_units{sweep=\"test\",state=\"running\"} 1"))
        let status = try Self.get(port: server.port, path: "/status")
        #expect(status.hasSuffix("\r\n\r\n" + board.current.text))
        let root = try Self.get(port: server.port, path: "/")
        #expect(root.contains("<pre>") && root.contains("tiny   0/1 1▶"))
        #expect(try Self.get(port: server.port, path: "/nope").hasPrefix("HTTP/1.1 404"))
        #expect(try Self.get(port: server.port, path: "/", method: "POST").hasPrefix("HTTP/1.1 405"))
    }

    /// One request over a plain TCP connection; returns the whole response.
    static func get(port: Int, path: String, method: String = "GET") throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { throw CoordinatorError.config("connect failed: \(errno)") }
        let request = Array("\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
        var out: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
