/// The executors a production worker registers, in the order they are tried.
public enum WorkerExecutors {
    public static func standard() -> ExecutorRegistry {
        ExecutorRegistry([SyntheticExecutor()])
    }
}
