import AdmissionAPI
import AdmissionRules
import ArgumentParser
import JSON
import JSONPatch

/// `mpa-admission review FILE`: answers one AdmissionReview with the same engine as the
/// server and prints the response review. Exit 0 allowed, 1 denied, 2 bad input.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Run the admission rules on an AdmissionReview file and print the response.")

    @Argument(help: "AdmissionReview JSON file ('-' for standard input).")
    var file: String

    @Option(name: .long, help: "Cluster state snapshot directory.")
    var state: String?

    @Option(name: .long, help: "Rules configuration file (default: every built-in rule with its defaults).")
    var config: String?

    @Flag(name: .long, help: "Print the object after applying the patch instead of the response review.")
    var patched = false

    @Flag(name: .long, help: "Answer as the validating endpoint (/validate) instead of the mutating one.")
    var validate = false

    func run() async throws {
        let engine: AdmissionEngine
        let body: [UInt8]
        do {
            engine = try CompositionRoot.makeEngine(configFile: config, stateDirectory: state)
            body = try FileInput.read(file)
        } catch {
            StandardStreams.writeErr("error: \(error)")
            throw ExitCode(2)
        }
        let endpoint: AdmissionEndpoint = validate ? .validating : .mutating
        switch await engine.process(body, endpoint: endpoint) {
        case .badRequest(let error):
            StandardStreams.writeErr("error: \(file): \(error.message)")
            throw ExitCode(2)
        case .reviewed(let reviewed):
            // A debugging aid: say so if the answer would be refused by the apiserver.
            for problem in AdmissionContract.violations(request: reviewed.review, response: reviewed.bytes, endpoint: endpoint) {
                StandardStreams.writeErr("contract violation: \(problem)")
            }
            if !reviewed.report.sanitization.isEmpty {
                StandardStreams.writeErr("note: response sanitised: \(reviewed.report.sanitization.summary)")
            }
            for failed in reviewed.report.failedRules {
                StandardStreams.writeErr("warning: rule \(failed.rule): \(failed.result)")
            }
            if patched {
                let object = reviewed.review.request.object ?? .null
                do {
                    StandardStreams.writeOut(JSONWriter.bytes(try JSONPatch.apply(reviewed.response.patch, to: object)))
                } catch {
                    StandardStreams.writeErr("error: the patch does not apply: \(error.description)")
                    throw ExitCode(2)
                }
            } else {
                StandardStreams.writeOut(reviewed.bytes)
            }
            if !reviewed.response.allowed { throw ExitCode(1) }
        }
    }
}
