import COpenBLAS

/// OpenBLAS thread control. The default is every core of the host; with one worker per GPU each
/// worker must claim only its share (`../shared/specs/swift-stack.md` §6), so callers set it explicitly.
public enum BLASThreads {
    /// Sets the number of threads OpenBLAS uses for subsequent calls.
    public static func set(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }
    /// The number of threads OpenBLAS currently uses.
    public static var current: Int { Int(openblas_get_num_threads()) }
    /// The kernel OpenBLAS selected for this CPU (recorded next to benchmark figures).
    public static var coreName: String { String(cString: openblas_get_corename()) }
}
