import AdmissionRules

/// The rules the harness runs. Until the MPA pod rule is in the tree, a stand-in of the
/// same answer shape (see StandInResourcesDefaulter).
enum BenchRules {
    static func make() throws -> [any AdmissionRule] {
        [StandInResourcesDefaulter()]
    }
}
