/// Why a quantity string was rejected; `description` is one line naming the input.
public struct QuantityError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The text does not have the shape `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$` (Kubernetes ErrFormatWrong).
        case formatWrong
        /// The suffix is not one of n u m k M G T P E Ki Mi Gi Ti Pi Ei or e<exponent> (ErrSuffix).
        case suffix
    }

    public let kind: Kind
    public let input: String

    public init(kind: Kind, input: String) {
        self.kind = kind
        self.input = input
    }

    public var description: String {
        let reason = switch kind {
        case .formatWrong:
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        case .suffix:
            "unable to parse quantity's suffix"
        }
        return "quantity \(Self.quoted(input)): \(reason)"
    }

    /// Quotes the input on one line: control characters escaped, long input shortened.
    static func quoted(_ text: String) -> String {
        var out = "\""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == 64 {
                out += "..."
                break
            }
            count += 1
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
