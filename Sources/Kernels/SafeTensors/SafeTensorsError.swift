/// A safetensors file that cannot be used, naming the file and (where one is at fault) the tensor.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        case cannotOpen
        case headerTooShort
        case headerLength
        case truncated
        case invalidHeaderJSON
        case invalidEntry
        case unknownDType
        case sizeMismatch
        case offsets
        case missingTensor
        case wrongDType
        case invalidIndex
    }
    public let kind: Kind
    public let file: String
    public let tensor: String?
    public let detail: String

    public init(_ kind: Kind, file: String, tensor: String? = nil, _ detail: String) {
        self.kind = kind
        self.file = file
        self.tensor = tensor
        self.detail = detail
    }

    public var description: String {
        var s = "safetensors \(file)"
        if let tensor { s += ", tensor \"\(tensor)\"" }
        return s + ": " + detail
    }
}
