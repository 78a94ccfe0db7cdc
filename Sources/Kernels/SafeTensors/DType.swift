/// Element types of the safetensors format.
public enum DType: String, Sendable, CaseIterable {
    case F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL
    case F8_E4M3, F8_E5M2

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .F64, .I64, .U64: return 8
        case .F32, .I32, .U32: return 4
        case .F16, .BF16, .I16, .U16: return 2
        case .I8, .U8, .BOOL, .F8_E4M3, .F8_E5M2: return 1
        }
    }

    /// Whether `Float` values can be read from it exactly (or, for F64, by rounding).
    public var isFloatingPoint: Bool { self == .F64 || self == .F32 || self == .F16 || self == .BF16 }
}

/// Converts little-endian elements of a floating-point dtype to Float32. bf16 and fp16 convert exactly;
/// f64 rounds to nearest.
func convertToFloat(_ raw: UnsafeRawBufferPointer, _ dtype: DType, into out: UnsafeMutablePointer<Float>) {
    switch dtype {
    case .F32:
        UnsafeMutableRawBufferPointer(start: out, count: raw.count).copyMemory(from: raw)
    case .BF16:
        let n = raw.count / 2
        for i in 0..<n {
            let bits = UInt32(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
            out[i] = Float(bitPattern: bits << 16)
        }
    case .F16:
        let n = raw.count / 2
        for i in 0..<n {
            out[i] = Float(halfBits: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
        }
    case .F64:
        let n = raw.count / 8
        for i in 0..<n { out[i] = Float(raw.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)) }
    default:
        preconditionFailure("convertToFloat: \(dtype) is not a floating-point dtype")
    }
}

extension Float {
    /// Exact conversion from IEEE binary16 bits.
    init(halfBits h: UInt16) {
        let sign = UInt32(h >> 15) << 31
        let exp = Int((h >> 10) & 0x1F)
        let mant = UInt32(h & 0x3FF)
        if exp == 0 {
            // zero or subnormal: mant · 2^-24
            let v = Float(mant) * Float(sign: .plus, exponent: -24, significand: 1)
            self = sign != 0 ? -v : v
        } else if exp == 31 {
            self = Float(bitPattern: sign | 0x7F80_0000 | (mant << 13))
        } else {
            self = Float(bitPattern: sign | (UInt32(exp - 15 + 127) << 23) | (mant << 13))
        }
    }

    /// IEEE binary16 bits, rounding to nearest even (overflow → ±inf).
    var halfBits: UInt16 {
        let bits = bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exp = Int((bits >> 23) & 0xFF)
        let mant = bits & 0x7F_FFFF
        if exp == 0xFF { return sign | 0x7C00 | (mant != 0 ? 0x200 : 0) }
        let e = exp - 127 + 15
        if e >= 31 { return sign | 0x7C00 }
        if e <= 0 {
            if e < -10 { return sign }
            let m = mant | 0x80_0000
            let shift = UInt32(14 - e)
            var half = m >> shift
            let rem = m & ((1 << shift) - 1), halfway = UInt32(1) << (shift - 1)
            if rem > halfway || (rem == halfway && (half & 1) == 1) { half += 1 }
            return sign | UInt16(half)
        }
        var half = UInt32(e << 10) | (mant >> 13)
        let rem = mant & 0x1FFF
        if rem > 0x1000 || (rem == 0x1000 && (half & 1) == 1) { half += 1 }
        return sign | UInt16(half)
    }

    /// bfloat16 bits, rounding to nearest even (as torch does).
    var bfloat16Bits: UInt16 {
        let bits = bitPattern
        if isNaN { return UInt16(bits >> 16) | 0x40 }
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(rounded >> 16)
    }
}
