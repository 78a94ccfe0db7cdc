/// Why a unit failed. The worker classifies; the coordinator applies the class's retry policy.
public enum FailureClass: String, Sendable, Codable, CaseIterable {
    case lostWorker = "lost_worker"
    case serverStart = "server_start"
    case outOfMemory = "out_of_memory"
    case badModel = "bad_model"
    case dataMissing = "data_missing"
    case scorerError = "scorer_error"
    case timeout = "timeout"
    /// Anything the worker could not classify (a bug); retried like a timeout.
    case internalError = "internal_error"
}
