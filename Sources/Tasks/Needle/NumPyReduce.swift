/// Float64 reductions with the summation order of the Python libraries the reference uses,
/// so means are identical to the reference's, not merely close.
public enum NumPyReduce {
    /// NumPy's pairwise sum of a contiguous float64 array (`np.sum`, pandas `Series.mean`):
    /// under 8 elements left to right; up to 128 eight interleaved partial sums combined as
    /// `((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7))` plus the tail; above that split at a multiple of 8.
    public static func pairwiseSum(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { pairwise($0[...]) }
    }

    /// `np.mean` / pandas `Series.mean` (without bottleneck): pairwise sum divided by the count;
    /// NaN for an empty list, as NumPy returns.
    public static func mean(_ x: [Double]) -> Double {
        x.isEmpty ? .nan : pairwiseSum(x) / Double(x.count)
    }

    /// pandas' group mean (`groupby(...).mean()`, `pivot_table(aggfunc="mean")`): Kahan-compensated
    /// sum in input order divided by the count.
    public static func kahanMean(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return .nan }
        var sum = 0.0, compensation = 0.0
        for v in x {
            let y = v - compensation
            let t = sum + y
            compensation = t - sum - y
            if compensation.isNaN { compensation = 0 }  // pandas resets it after an infinity
            sum = t
        }
        return sum / Double(x.count)
    }

    private static func pairwise(_ a: Slice<UnsafeBufferPointer<Double>>) -> Double {
        let n = a.count, base = a.startIndex
        if n < 8 {
            var res = 0.0
            for v in a { res += v }
            return res
        }
        if n <= 128 {
            var r = (0..<8).map { a[base + $0] }
            var i = 8
            while i < n - n % 8 {
                for j in 0..<8 { r[j] += a[base + i + j] }
                i += 8
            }
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            while i < n { res += a[base + i]; i += 1 }
            return res
        }
        var half = n / 2
        half -= half % 8
        return pairwise(a[base..<(base + half)]) + pairwise(a[(base + half)...])
    }
}

extension NumPyReduce {
    /// `np.mean` of a float32 array: pairwise float32 sum, then `float32(sum / n)`.
    public static func meanFloat32(_ x: [Float]) -> Float {
        guard !x.isEmpty else { return .nan }
        func pw(_ a: ArraySlice<Float>) -> Float {
            let n = a.count, b = a.startIndex
            if n < 8 { var r: Float = 0; for v in a { r += v }; return r }
            if n <= 128 {
                var r = (0..<8).map { a[b + $0] }, i = 8
                while i < n - n % 8 { for j in 0..<8 { r[j] += a[b + i + j] }; i += 8 }
                var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
                while i < n { res += a[b + i]; i += 1 }
                return res
            }
            var half = n / 2
            half -= half % 8
            return pw(a[b..<(b + half)]) + pw(a[(b + half)...])
        }
        return Float(Double(pw(x[...])) / Double(x.count))
    }
}
