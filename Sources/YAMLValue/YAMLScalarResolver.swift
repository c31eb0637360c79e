import JSON

/// Resolves an untagged plain YAML scalar the way Kubernetes does.
///
/// Kubernetes reads YAML with `sigs.k8s.io/yaml`, which decodes with go-yaml **v2** into
/// `interface{}` and re-encodes as JSON. go-yaml v2 implements the YAML 1.1 core types, so:
/// - null: empty, `~`, `null`, `Null`, `NULL`;
/// - booleans: `true`/`false`, `yes`/`no`, `on`/`off`, `y`/`n` in lower, Capitalised and UPPER
///   case (so `enabled: yes` is `true`, and `country: NO` is `false` unless quoted);
/// - integers: decimal, `0x` hex, `0o` and leading-`0` octal, `0b` binary, with sign and
///   `_` separators; they stay exact integers (int64, or uint64 above int64);
/// - floats: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`. go-yaml then goes through a
///   float64; we keep the exact decimal instead (written as JSON like Go's encoder would:
///   integral values without a fraction, e.g. `1.0` → `1`, `1e3` → `1000`). `.inf`/`.nan`
///   cannot be written as JSON and are an error, as in sigs.k8s.io/yaml;
/// - timestamps and everything else stay strings (go-yaml v2 returns timestamp-looking
///   scalars as strings when decoding into `interface{}`).
/// Quoted scalars are always strings; explicit `!!str`/`!!int`/... tags are honoured.
enum YAMLScalarResolver {
    enum Resolved: Equatable {
        case value(JSONValue)
        case notRepresentable(String)
    }

    static let nulls: Set<String> = ["", "~", "null", "Null", "NULL"]
    static let trues: Set<String> = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]
    static let falses: Set<String> = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]
    static let infinities: Set<String> = [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"]
    static let nans: Set<String> = [".nan", ".NaN", ".NAN"]

    static func resolvePlain(_ text: String) -> Resolved {
        if nulls.contains(text) { return .value(.null) }
        if trues.contains(text) { return .value(.bool(true)) }
        if falses.contains(text) { return .value(.bool(false)) }
        if infinities.contains(text) || nans.contains(text) {
            return .notRepresentable("\(text) (infinity/NaN) cannot be represented in JSON")
        }
        guard let first = text.utf8.first, isNumberStart(first) else { return .value(.string(text)) }
        let plain = text.replacingAll("_")
        if let n = integer(plain) { return .value(.number(n)) }
        if let n = float(plain) { return .value(.number(n)) }
        return .value(.string(text))
    }

    static func isNumberStart(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
    }

    /// Go `strconv.ParseInt(s, 0, 64)`, then `ParseUint`: sign, then `0x`/`0o`/`0b`/leading `0` prefixes.
    static func integer(_ s: String) -> JSONNumber? {
        var u = Substring(s)
        var negative = false
        if u.first == "+" || u.first == "-" { negative = u.first == "-"; u = u.dropFirst() }
        guard !u.isEmpty else { return nil }
        var radix = 10
        if u.hasPrefix("0x") || u.hasPrefix("0X") { radix = 16; u = u.dropFirst(2) }
        else if u.hasPrefix("0o") || u.hasPrefix("0O") { radix = 8; u = u.dropFirst(2) }
        else if u.hasPrefix("0b") || u.hasPrefix("0B") { radix = 2; u = u.dropFirst(2) }
        else if u.count > 1 && u.hasPrefix("0") { radix = 8; u = u.dropFirst(1) }
        guard !u.isEmpty, u.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
        guard let magnitude = UInt64(u, radix: radix) else { return nil }
        if !negative { return JSONNumber(magnitude) }
        if magnitude <= UInt64(Int64.max) { return JSONNumber(-Int64(magnitude)) }
        if magnitude == UInt64(Int64.max) + 1 { return JSONNumber(Int64.min) }
        return nil
    }

    /// go-yaml's float pattern; the value is written as exact JSON (see the type's comment).
    static func float(_ s: String) -> JSONNumber? {
        var u = Array(s.utf8)[...]
        var negative = false
        if u.first == UInt8(ascii: "+") || u.first == UInt8(ascii: "-") {
            negative = u.first == UInt8(ascii: "-"); u = u.dropFirst()
        }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        var intDigits: [UInt8] = []
        var fracDigits: [UInt8] = []
        while let b = u.first, isDigit(b) { intDigits.append(b); u = u.dropFirst() }
        if u.first == UInt8(ascii: ".") {
            u = u.dropFirst()
            while let b = u.first, isDigit(b) { fracDigits.append(b); u = u.dropFirst() }
            // `.5` needs fraction digits; `5.` is allowed.
            if intDigits.isEmpty && fracDigits.isEmpty { return nil }
        } else if intDigits.isEmpty {
            return nil
        }
        var exponent = 0
        if u.first == UInt8(ascii: "e") || u.first == UInt8(ascii: "E") {
            u = u.dropFirst()
            var expNegative = false
            if u.first == UInt8(ascii: "+") || u.first == UInt8(ascii: "-") {
                expNegative = u.first == UInt8(ascii: "-"); u = u.dropFirst()
            }
            var expDigits: [UInt8] = []
            while let b = u.first, isDigit(b) { expDigits.append(b); u = u.dropFirst() }
            guard !expDigits.isEmpty, expDigits.count <= 6 else { return nil }
            for d in expDigits { exponent = exponent * 10 + Int(d - 0x30) }
            if expNegative { exponent = -exponent }
        }
        guard u.isEmpty else { return nil }
        // value = digits × 10^(exponent - fracDigits.count), digits without leading zeros.
        var digits = intDigits + fracDigits
        var scale = exponent - fracDigits.count
        while digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        while digits.last == UInt8(ascii: "0") { digits.removeLast(); scale += 1 }
        if digits.isEmpty { return JSONNumber(parsing: negative ? "-0" : "0") }
        let sign = negative ? "-" : ""
        let text: String
        let magnitudeExponent = digits.count + scale  // value = 0.digits × 10^magnitudeExponent
        if scale >= 0 && magnitudeExponent <= 21 {
            text = sign + String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: scale)
        } else if scale < 0 && magnitudeExponent > 0 {
            let cut = digits.count + scale
            text = sign + String(decoding: digits[..<cut], as: UTF8.self) + "." + String(decoding: digits[cut...], as: UTF8.self)
        } else if scale < 0 && magnitudeExponent > -6 {
            text = sign + "0." + String(repeating: "0", count: -magnitudeExponent) + String(decoding: digits, as: UTF8.self)
        } else {
            let head = String(decoding: digits[..<1], as: UTF8.self)
            let tail = digits.count > 1 ? "." + String(decoding: digits[1...], as: UTF8.self) : ""
            text = sign + head + tail + "e" + String(magnitudeExponent - 1)
        }
        return JSONNumber(parsing: text)
    }
}

extension String {
    fileprivate func replacingAll(_ character: Character) -> String {
        contains(character) ? String(filter { $0 != character }) : self
    }
}
