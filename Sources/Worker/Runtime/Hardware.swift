#if canImport(Glibc)
import Glibc
#endif
import Protocol

/// What the machine offers: GPUs from `nvidia-smi` when it is present, otherwise CPU slots.
public enum Hardware {
    public struct GPU: Sendable, Equatable {
        public var index: Int
        public var name: String
        public var memoryGiB: Double
    }

    /// GPUs listed by `nvidia-smi` (empty when it is absent or fails).
    public static func gpus() -> [GPU] {
        guard let text = run("nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader,nounits 2>/dev/null") else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let f = line.split(separator: ",").map { $0.trimmingCharacters() }
            guard f.count >= 3, let i = Int(f[0]), let mib = Double(f[2]) else { return nil }
            return GPU(index: i, name: f[1], memoryGiB: mib / 1024)
        }
    }

    /// Physical memory of the host in GiB.
    public static func hostMemoryGiB() -> Double {
        Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE))) / Double(1 << 30)
    }

    /// This machine's host name.
    public static func hostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        gethostname(&buf, buf.count)
        return String(decoding: buf.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func run(_ command: String) -> String? {
        guard let p = popen(command, "r") else { return nil }
        var out = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buf, 1, buf.count, p)
            if n <= 0 { break }
            out += buf.prefix(n)
        }
        return pclose(p) == 0 ? String(decoding: out, as: UTF8.self) : nil
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
