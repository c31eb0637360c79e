/// A small regular expression, always anchored at both ends, matched in linear time
/// (a Thompson NFA run as a Pike VM) so an operator's pattern can never be a ReDoS on
/// the request path, and `Sendable` (Swift's `Regex` is not).
///
/// Syntax: literals, `.`, classes `[a-z0-9._-]` / `[^...]`, escapes `\d \w \s \D \W \S` and
/// `\` before any punctuation, groups `(...)` / `(?:...)`, `|`, and the quantifiers
/// `* + ? {n} {n,} {n,m}`. A leading `^` and a trailing `$` are accepted and change nothing.
public struct LabelPattern: Sendable, Hashable, CustomStringConvertible {
    public let source: String
    private let program: [Instruction]

    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Largest compiled program, which bounds matching time (input length × program size).
    static let maxInstructions = 4096
    static let maxRepeat = 255

    public init(_ source: String) throws(SyntaxError) {
        self.source = source
        var parser = Parser(Array(source.unicodeScalars))
        let node = try parser.parseWhole()
        var compiler = Compiler()
        try compiler.emit(node)
        compiler.code.append(.match)
        program = compiler.code
    }

    public var description: String { source }

    /// True when the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        var current = ThreadList(capacity: program.count)
        var next = ThreadList(capacity: program.count)
        add(0, to: &current)
        for scalar in text.unicodeScalars {
            if current.pcs.isEmpty { return false }
            next.clear()
            for pc in current.pcs {
                if case .char(let set) = program[pc], set.contains(scalar.value) { add(pc + 1, to: &next) }
            }
            swap(&current, &next)
        }
        return current.pcs.contains { if case .match = program[$0] { return true } else { return false } }
    }

    private func add(_ pc: Int, to list: inout ThreadList) {
        guard pc >= 0, pc < program.count, !list.seen[pc] else { return }
        list.seen[pc] = true
        switch program[pc] {
        case .jump(let target): add(target, to: &list)
        case .split(let a, let b): add(a, to: &list); add(b, to: &list)
        case .char, .match: list.pcs.append(pc)
        }
    }

    public static func == (lhs: LabelPattern, rhs: LabelPattern) -> Bool { lhs.source == rhs.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

// MARK: - machine

private struct ThreadList {
    var pcs: [Int] = []
    var seen: [Bool]
    init(capacity: Int) { seen = Array(repeating: false, count: capacity) }
    /// `seen` also marks jump/split steps, so all of it is reset (bounded by the program size).
    mutating func clear() {
        pcs.removeAll(keepingCapacity: true)
        for i in seen.indices { seen[i] = false }
    }
}

private enum Instruction: Sendable {
    case char(ScalarSet)
    case split(Int, Int)
    case jump(Int)
    case match
}

private struct ScalarSet: Sendable {
    var ranges: [ClosedRange<UInt32>]
    var negated: Bool
    func contains(_ v: UInt32) -> Bool { ranges.contains { $0.contains(v) } != negated }

    static let any = ScalarSet(ranges: [], negated: true)
    static let digit = ScalarSet(ranges: [0x30...0x39], negated: false)
    static let word = ScalarSet(ranges: [0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F...0x5F], negated: false)
    static let space = ScalarSet(ranges: [0x09...0x0D, 0x20...0x20], negated: false)
    static func single(_ v: UInt32) -> ScalarSet { ScalarSet(ranges: [v...v], negated: false) }
}

// MARK: - syntax tree

private indirect enum Node {
    case empty
    case set(ScalarSet)
    case concat([Node])
    case alternate([Node])
    case repeated(Node, min: Int, max: Int?)
}

private struct Parser {
    let s: [Unicode.Scalar]
    var i = 0
    init(_ s: [Unicode.Scalar]) { self.s = s }

    func fail(_ m: String) -> LabelPattern.SyntaxError {
        LabelPattern.SyntaxError(message: "\(m) at offset \(i)")
    }

    mutating func parseWhole() throws(LabelPattern.SyntaxError) -> Node {
        if i < s.count, s[i] == "^" { i += 1 }
        let node = try parseAlternation(depth: 0)
        if i < s.count, s[i] == "$", i == s.count - 1 { i += 1 }
        guard i == s.count else { throw fail("unexpected \"\(s[i])\"") }
        return node
    }

    mutating func parseAlternation(depth: Int) throws(LabelPattern.SyntaxError) -> Node {
        guard depth < 32 else { throw fail("groups nested too deeply") }
        var branches = [try parseConcat(depth: depth)]
        while i < s.count, s[i] == "|" {
            i += 1
            branches.append(try parseConcat(depth: depth))
        }
        return branches.count == 1 ? branches[0] : .alternate(branches)
    }

    mutating func parseConcat(depth: Int) throws(LabelPattern.SyntaxError) -> Node {
        var items: [Node] = []
        while i < s.count {
            let c = s[i]
            if c == "|" || c == ")" { break }
            if c == "$", i == s.count - 1, depth == 0 { break }
            var atom = try parseAtom(depth: depth)
            atom = try parseQuantifiers(atom)
            items.append(atom)
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
    }

    mutating func parseAtom(depth: Int) throws(LabelPattern.SyntaxError) -> Node {
        let c = s[i]
        switch c {
        case "(":
            i += 1
            if i + 1 < s.count, s[i] == "?", s[i + 1] == ":" { i += 2 }
            else if i < s.count, s[i] == "?" { throw fail("unsupported group syntax") }
            let inner = try parseAlternation(depth: depth + 1)
            guard i < s.count, s[i] == ")" else { throw fail("missing )") }
            i += 1
            return inner
        case ".":
            i += 1
            return .set(.any)
        case "[":
            return .set(try parseClass())
        case "\\":
            return .set(try parseEscape(inClass: false))
        case "*", "+", "?", "{":
            throw fail("quantifier \"\(c)\" without anything to repeat")
        case "^", "$":
            throw fail("anchor \"\(c)\" is only allowed at the start or end (patterns are always anchored)")
        default:
            i += 1
            return .set(.single(c.value))
        }
    }

    mutating func parseQuantifiers(_ atom: Node) throws(LabelPattern.SyntaxError) -> Node {
        var node = atom
        while i < s.count {
            switch s[i] {
            case "*": i += 1; node = .repeated(node, min: 0, max: nil)
            case "+": i += 1; node = .repeated(node, min: 1, max: nil)
            case "?": i += 1; node = .repeated(node, min: 0, max: 1)
            case "{":
                i += 1
                let lo = try number()
                var hi: Int? = lo
                if i < s.count, s[i] == "," {
                    i += 1
                    hi = (i < s.count && s[i] == "}") ? nil : try number()
                }
                guard i < s.count, s[i] == "}" else { throw fail("missing }") }
                i += 1
                if let hi, hi < lo { throw fail("{\(lo),\(hi)} has max below min") }
                node = .repeated(node, min: lo, max: hi)
            default:
                return node
            }
        }
        return node
    }

    mutating func number() throws(LabelPattern.SyntaxError) -> Int {
        var n = 0
        var digits = 0
        while i < s.count, let d = Int(String(s[i])), s[i].isASCII {
            n = n * 10 + d
            digits += 1
            i += 1
            if n > LabelPattern.maxRepeat { throw fail("repeat count above \(LabelPattern.maxRepeat)") }
        }
        guard digits > 0 else { throw fail("expected a number") }
        return n
    }

    mutating func parseEscape(inClass: Bool) throws(LabelPattern.SyntaxError) -> ScalarSet {
        i += 1
        guard i < s.count else { throw fail("pattern ends with \\") }
        let c = s[i]
        i += 1
        switch c {
        case "d": return .digit
        case "w": return .word
        case "s": return .space
        case "D": var x = ScalarSet.digit; x.negated = true; return x
        case "W": var x = ScalarSet.word; x.negated = true; return x
        case "S": var x = ScalarSet.space; x.negated = true; return x
        case "n": return .single(0x0A)
        case "t": return .single(0x09)
        default:
            guard c.isASCII, !c.properties.isAlphabetic, !(c.value >= 0x30 && c.value <= 0x39) else {
                throw fail("unsupported escape \\\(c)")
            }
            return .single(c.value)
        }
    }

    mutating func parseClass() throws(LabelPattern.SyntaxError) -> ScalarSet {
        i += 1
        var set = ScalarSet(ranges: [], negated: false)
        if i < s.count, s[i] == "^" { set.negated = true; i += 1 }
        var first = true
        while i < s.count, s[i] != "]" || first {
            first = false
            let lo: UInt32
            if s[i] == "\\" {
                let esc = try parseEscape(inClass: true)
                if esc.negated || esc.ranges.count != 1 || esc.ranges[0].count != 1 {
                    guard !esc.negated else { throw fail("negated escapes are not supported inside [...]") }
                    set.ranges.append(contentsOf: esc.ranges)
                    continue
                }
                lo = esc.ranges[0].lowerBound
            } else {
                lo = s[i].value
                i += 1
            }
            if i + 1 < s.count, s[i] == "-", s[i + 1] != "]" {
                i += 1
                let hi: UInt32
                if s[i] == "\\" {
                    let esc = try parseEscape(inClass: true)
                    guard !esc.negated, esc.ranges.count == 1, esc.ranges[0].count == 1 else { throw fail("bad range end") }
                    hi = esc.ranges[0].lowerBound
                } else {
                    hi = s[i].value
                    i += 1
                }
                guard lo <= hi else { throw fail("range out of order") }
                set.ranges.append(lo...hi)
            } else {
                set.ranges.append(lo...lo)
            }
        }
        guard i < s.count, s[i] == "]" else { throw fail("missing ]") }
        i += 1
        return set
    }
}

// MARK: - compiler

private struct Compiler {
    var code: [Instruction] = []

    mutating func append(_ instruction: Instruction) throws(LabelPattern.SyntaxError) {
        guard code.count < LabelPattern.maxInstructions else {
            throw LabelPattern.SyntaxError(message: "pattern too large (over \(LabelPattern.maxInstructions) steps once repeats are expanded)")
        }
        code.append(instruction)
    }

    mutating func emit(_ node: Node) throws(LabelPattern.SyntaxError) {
        switch node {
        case .empty:
            return
        case .set(let set):
            try append(.char(set))
        case .concat(let items):
            for item in items { try emit(item) }
        case .alternate(let branches):
            // split L1, next ; L1: branch ; jump end ; next: split ...
            var jumps: [Int] = []
            for (k, branch) in branches.enumerated() {
                if k < branches.count - 1 {
                    let split = code.count
                    try append(.split(split + 1, -1))
                    try emit(branch)
                    jumps.append(code.count)
                    try append(.jump(-1))
                    code[split] = .split(split + 1, code.count)
                } else {
                    try emit(branch)
                }
            }
            for j in jumps { code[j] = .jump(code.count) }
        case .repeated(let inner, let min, let max):
            for _ in 0..<min { try emit(inner) }
            if let max {
                // (inner)? repeated max-min times, each optional part skipping to the end.
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(code.count)
                    try append(.split(code.count + 1, -1))
                    try emit(inner)
                }
                for s in splits { code[s] = .split(s + 1, code.count) }
            } else {
                // L: split body, end ; body ; jump L
                let loop = code.count
                try append(.split(loop + 1, -1))
                try emit(inner)
                try append(.jump(loop))
                code[loop] = .split(loop + 1, code.count)
            }
        }
    }
}
