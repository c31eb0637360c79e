import AdmissionRules

/// On UPDATE, a policy added after an object was created must not lock the object in place
/// (e.g. make its finalizers impossible to remove): only violations the update introduces
/// count. A violation is "the same" when field and message are equal.
enum ValidationRatchet {
    static func introduced(_ new: [Violation], comparedTo old: [Violation]) -> [Violation] {
        let before = Set(old.map { "\($0.field)\u{0}\($0.message)" })
        return new.filter { !before.contains("\($0.field)\u{0}\($0.message)") }
    }
}
