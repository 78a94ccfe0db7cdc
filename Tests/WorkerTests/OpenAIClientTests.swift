#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Protocol
import Tasks
import Testing
@testable import Worker

/// What `--echo` puts into the generated text.
private struct Echo: Decodable {
    struct Body: Decodable {
        var model: String?; var prompt: String?; var messages: [ChatMessage]?
        var max_tokens: Int?; var temperature: Double?; var top_p: Double?; var seed: Int?
        var stop: [String]?; var logprobs: LogprobsField?; var top_logprobs: Int?; var ignore_eos: Bool?
    }
    enum LogprobsField: Decodable, Equatable {
        case int(Int), bool(Bool)
        init(from d: any Decoder) throws {
            let c = try d.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b) } else { self = .int(try c.decode(Int.self)) }
        }
    }
    var path: String
    var body: Body
    var authorization: String?

    init(_ text: String) throws { self = try JSONDecoder().decode(Echo.self, from: Data(text.utf8)) }
}

private func client(_ server: NoopServer, apiKey: String? = nil, maxRetries: Int = 3,
                    timeout: Duration = .seconds(30), baseSuffix: String = "") -> OpenAIClient {
    OpenAIClient(.init(baseURL: server.baseURL + baseSuffix, model: "noop", apiKey: apiKey,
                       requestTimeout: timeout, connectTimeout: .seconds(5), maxRetries: maxRetries,
                       retryBaseDelay: .milliseconds(20), retryMaxDelay: .milliseconds(100), maxInFlight: 32))
}

private struct ServerStats: Decodable { var requests: Int; var connections: Int }

private func serverStats(_ server: NoopServer) async throws -> ServerStats {
    let transport = HTTPTransport(maxInFlight: 1)
    let response = try await transport.send(HTTPRequest(url: server.baseURL + "/noop/stats"))
    return try JSONDecoder().decode(ServerStats.self, from: Data(response.body))
}

private func serverRequestCount(_ server: NoopServer) async throws -> Int { try await serverStats(server).requests }

@Suite("OpenAIClient")
struct OpenAIClientTests {
    @Test func completionRoundTripSendsEveryField() async throws {
        let server = try await NoopServer(["--echo"])
        let c = client(server, apiKey: "sekrit")
        let params = GenerationParameters(maxTokens: 7, temperature: 0, topP: 0.9, seed: 42, stop: ["\n\n"],
                                          extraBody: ["ignore_eos": .bool(true)])
        let out = try await c.complete("Hello", params)
        let echo = try Echo(out.text)
        #expect(echo.path == "/v1/completions")
        #expect(echo.authorization == "Bearer sekrit")
        #expect(echo.body.model == "noop")
        #expect(echo.body.prompt == "Hello")
        #expect(echo.body.max_tokens == 7)
        #expect(echo.body.temperature == 0)
        #expect(echo.body.top_p == 0.9)
        #expect(echo.body.seed == 42)
        #expect(echo.body.stop == ["\n\n"])
        #expect(echo.body.logprobs == nil)
        #expect(echo.body.ignore_eos == true)
        #expect(out.finishReason == "length")
        #expect(out.stopReason == nil)
        #expect(out.usage == TokenUsage(promptTokens: 10, completionTokens: 2, totalTokens: 12))
        #expect(out.model == "noop")
        #expect(out.systemFingerprint == "vllm-0.32.0-noop")
        #expect(out.logprobs == nil)
    }

    @Test func chatRoundTripSendsMessagesAndLogprobFlags() async throws {
        let server = try await NoopServer(["--echo"])
        let c = client(server, baseSuffix: "/v1/")   // a `/v1` base URL works as well as the root
        let messages = [ChatMessage(role: "system", content: "Be brief."), ChatMessage(role: "user", content: "Hi ✓")]
        let out = try await c.chat(messages, GenerationParameters(maxTokens: 5, logprobs: 2))
        let echo = try Echo(out.text)
        #expect(echo.path == "/v1/chat/completions")
        #expect(echo.authorization == nil)
        #expect(echo.body.messages == messages)
        #expect(echo.body.max_tokens == 5)
        #expect(echo.body.temperature == 0)
        #expect(echo.body.logprobs == .bool(true))
        #expect(echo.body.top_logprobs == 2)
        #expect(out.finishReason == "stop")
        #expect(out.stopReason == .string("\n"))
    }

    @Test func logprobsAreDecodedForBothRoutes() async throws {
        let server = try await NoopServer()
        let c = client(server)
        let comp = try await c.complete("x", GenerationParameters(maxTokens: 2, logprobs: 1))
        #expect(comp.text == " noop")
        #expect(comp.logprobs == [
            TokenLogprob(token: " no", logprob: -0.25, textOffset: 0,
                         top: [TopLogprob(token: " no", logprob: -0.25), TopLogprob(token: " yes", logprob: -1.5)]),
            TokenLogprob(token: "op", logprob: -0.5, textOffset: 3,
                         top: [TopLogprob(token: "op", logprob: -0.5), TopLogprob(token: "pe", logprob: -2.0)]),
        ])
        let chat = try await c.generate(.chat([ChatMessage(role: "user", content: "x")]), GenerationParameters(maxTokens: 2, logprobs: 1))
        #expect(chat.logprobs == [
            TokenLogprob(token: " no", logprob: -0.25, bytes: [32, 110, 111],
                         top: [TopLogprob(token: " no", logprob: -0.25), TopLogprob(token: " yes", logprob: -1.5)]),
        ])
    }

    @Test func modelsHealthAndTokenizer() async throws {
        let server = try await NoopServer()
        let c = client(server)
        try await c.health()
        #expect(try await c.models() == [ModelInfo(id: "noop", ownedBy: "vllm", root: "/models/noop", maxModelLen: 2048)])
        #expect(try await c.tokenize("ab", addSpecialTokens: true) == [1, 97, 98])
        let tokenizer: any TextTokenizer = ServerTokenizer(client: c)
        let ids = try await tokenizer.encode("hey")
        #expect(ids == [104, 101, 121])
        #expect(try await tokenizer.decode(ids) == "hey")
        #expect(try await tokenizer.encode("hey", addSpecialTokens: true) == [1, 104, 101, 121])
    }

    @Test func sixtyFourConcurrentRequestsAllSucceed() async throws {
        let server = try await NoopServer(["--echo"])
        let c = client(server)
        let prompts = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<64 {
                group.addTask { try Echo(try await c.complete("p\(i)", GenerationParameters(maxTokens: 1)).text).body.prompt ?? "" }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(prompts == Set((0..<64).map { "p\($0)" }))
    }

    @Test func connectionsAreReused() async throws {
        let server = try await NoopServer()
        let c = OpenAIClient(.init(baseURL: server.baseURL, model: "noop", maxInFlight: 4))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask { for _ in 0..<25 { _ = try await c.complete("x", GenerationParameters(maxTokens: 1)) } }
            }
            try await group.waitForAll()
        }
        let stats = try await serverStats(server)
        #expect(stats.requests == 100)
        #expect(stats.connections <= 5)   // four for the client, one for the stats request
    }

    @Test func retriesAfterServerErrors() async throws {
        let server = try await NoopServer(["--fail-first", "2"])
        let out = try await client(server, maxRetries: 3).complete("x", GenerationParameters(maxTokens: 1))
        #expect(out.text == " noop")
        #expect(try await serverRequestCount(server) == 3)
    }

    @Test func givesUpAfterTheConfiguredRetries() async throws {
        let server = try await NoopServer(["--fail-first", "100"])
        let error = await #expect(throws: OpenAIError.self) {
            _ = try await client(server, maxRetries: 2).complete("x", GenerationParameters(maxTokens: 1))
        }
        guard case .http(500, let message)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(message.hasPrefix("EngineCore encountered an issue"))
        #expect(try await serverRequestCount(server) == 3)
    }

    @Test func clientErrorCarriesTheServerMessageAndIsNotRetried() async throws {
        let server = try await NoopServer(["--bad-request"])
        let error = await #expect(throws: OpenAIError.self) {
            _ = try await client(server).complete("x", GenerationParameters(maxTokens: 1, logprobs: 21))
        }
        #expect(error == .http(status: 400, message:
            "Requested sample logprobs of 21, which is greater than max allowed: 20 (parameter=logprobs, value=21)"))
        #expect(error?.description.contains("HTTP 400") == true)
        #expect(try await serverRequestCount(server) == 1)
    }

    @Test func unknownModelIsA404WithTheServerMessage() async throws {
        let server = try await NoopServer()
        let c = OpenAIClient(baseURL: server.baseURL, model: "nope")
        let error = await #expect(throws: OpenAIError.self) { _ = try await c.complete("x", GenerationParameters(maxTokens: 1)) }
        #expect(error == .http(status: 404, message: "The model `nope` does not exist. Valid aliases: noop."))
        #expect(error?.description.contains("model name") == true)
    }

    @Test func slowServerTimesOut() async throws {
        let server = try await NoopServer(["--sleep", "30"])
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: OpenAIError.self) {
            _ = try await client(server, timeout: .milliseconds(300)).complete("x", GenerationParameters(maxTokens: 1))
        }
        guard case .timeout(let detail)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(detail.contains("/v1/completions"))
        #expect(clock.now - start < .seconds(15))   // far from the server's 30 s
    }

    @Test func connectionRefusedIsAConnectionErrorAfterRetries() async throws {
        let c = OpenAIClient(.init(baseURL: "http://127.0.0.1:1", model: "noop", maxRetries: 2,
                                   retryBaseDelay: .milliseconds(10), retryMaxDelay: .milliseconds(20)))
        let error = await #expect(throws: OpenAIError.self) { _ = try await c.complete("x", GenerationParameters(maxTokens: 1)) }
        guard case .connection(let detail)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(detail.contains("127.0.0.1"))
        #expect(detail.contains("gave up after 3 attempts"))
        let healthError = await #expect(throws: OpenAIError.self) { try await c.health() }
        #expect(healthError?.description.contains("cannot reach the model server") == true)
    }

    @Test func cancellingTheTaskCancelsTheRequest() async throws {
        let server = try await NoopServer(["--sleep", "30"])
        let c = client(server)
        let clock = ContinuousClock()
        let start = clock.now
        let task = Task { try await c.complete("x", GenerationParameters(maxTokens: 1)) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let result = await task.result
        #expect(throws: OpenAIError.cancelled) { try result.get() }
        #expect(clock.now - start < .seconds(15))   // far from the server's 30 s
    }

    @Test func shutdownFailsRequestsInFlightAndLater() async throws {
        let server = try await NoopServer(["--sleep", "30"])
        let c = client(server, maxRetries: 0)
        let clock = ContinuousClock()
        let start = clock.now
        let pending = Task { try await c.complete("x", GenerationParameters(maxTokens: 1)) }
        try await Task.sleep(for: .milliseconds(200))
        c.shutdown()
        await #expect(throws: OpenAIError.connection("the client's HTTP transport was shut down")) { try await pending.value }
        #expect(clock.now - start < .seconds(15))   // far from the server's 30 s
        await #expect(throws: OpenAIError.self) { _ = try await c.complete("x", GenerationParameters(maxTokens: 1)) }
    }

    @Test func transportCapsRequestsInFlightAndCollectsHeaders() async throws {
        let server = try await NoopServer(["--sleep", "0.3"])
        let transport = HTTPTransport(maxInFlight: 2)
        let request = HTTPRequest(method: .post, url: server.baseURL + "/v1/completions",
                                  headers: [("Content-Type", "application/json")],
                                  body: Array(#"{"model":"noop","prompt":"x"}"#.utf8), collectHeaders: true)
        let clock = ContinuousClock()
        let start = clock.now
        let statuses = try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
            for _ in 0..<6 { group.addTask { try await transport.send(request) } }
            return try await group.reduce(into: [HTTPResponse]()) { $0.append($1) }
        }
        #expect(clock.now - start >= .milliseconds(850))   // three waves of two, 0.3 s each
        #expect(statuses.allSatisfy { $0.status == 200 })
        #expect(statuses.allSatisfy { $0.header("content-type") == "application/json" })
        #expect(statuses.allSatisfy { Int($0.header("Content-Length") ?? "") == $0.body.count })
    }
}
