import ArgumentParser
import Domain
import Foundation
import Services

struct LaboratoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab", abstract: "The laboratories that test the sites' tubes.",
        subcommands: [Add.self, List.self, Token.self, Import.self, Review.self])

    struct Add: CordonCommand {
        static let configuration = CommandConfiguration(abstract: "Register a laboratory.")
        @Option(help: "A short code, unique whatever its case, e.g. JS-LAB1.") var code: String
        @Option(help: "Its name.") var name: String

        func run(_ cli: CLI) async throws {
            let lab = try await cli.services.laboratories.add(LaboratoryDraft(code: code, name: name), actor: cli.actor)
            print("laboratory \(lab.code) registered with id \(lab.id)")
        }
    }

    struct List: CordonCommand {
        static let configuration = CommandConfiguration(abstract: "List the laboratories.")
        @OptionGroup var output: OutputOptions

        func run(_ cli: CLI) async throws {
            let labs = try await cli.services.laboratories.list(actor: cli.actor)
            if output.json { return try Output.json(labs) }
            Output.table(["ID", "CODE", "NAME"], labs.map { [String($0.id), $0.code, $0.name] })
        }
    }

    /// The laboratory of a code, whatever its case.
    static func find(_ code: String, _ cli: CLI) async throws -> Laboratory {
        do {
            return try await cli.services.laboratories.laboratory(code: code, actor: cli.actor)
        } catch DomainError.notFound {
            throw ValidationError("no laboratory with the code \(code); `cordon lab list` shows them")
        }
    }
}

extension SwabCommand {
    struct Send: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send collected tubes to a laboratory in one box: the tubes named, or --all not yet sent.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "The tubes scanned into the box.") var accessions: [String] = []
        @Option(help: "The laboratory's code.") var lab: String
        @Flag(help: "Every collected tube not yet sent.") var all = false
        @Option(help: "Write the manifest as PDF to this file.") var pdf: String?
        @Option(help: "Write the manifest as CSV to this file.") var csv: String?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            guard all != !accessions.isEmpty else { throw ValidationError("name the tubes, or give --all") }
            let laboratory = try await LaboratoryCommand.find(lab, cli)
            let packed = try await cli.services.swabs.dispatch(
                siteId: site.id, laboratoryId: laboratory.id, scanned: all ? nil : accessions, actor: cli.actor)
            print("box \(packed.box.id) of \(packed.box.tubes) tube(s) sent to \(laboratory.name) (\(laboratory.code))")
            try await Boxes.writeManifests(cli, site: site, box: packed.box.id, pdf: pdf, csv: csv)
        }
    }

    struct Boxes: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the boxes sent, or one box's tubes (and write its manifest).")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "A box's number.") var box: SpecimenBox.ID?
        @Option(help: "Write the box's manifest as PDF to this file.") var pdf: String?
        @Option(help: "Write the box's manifest as CSV to this file.") var csv: String?
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            guard let box else {
                let boxes = try await cli.services.swabs.boxes(siteId: site.id, actor: cli.actor)
                if output.json { return try Output.json(boxes) }
                return Output.table(
                    ["BOX", "LABORATORY", "SENT", "TUBES"],
                    boxes.map {
                        [
                            String($0.id), $0.laboratory.code, Output.time($0.sentAt, zone: site.timeZone),
                            String($0.tubes),
                        ]
                    })
            }
            let packed = try await cli.services.swabs.box(siteId: site.id, boxId: box, actor: cli.actor)
            if output.json { return try Output.json(packed) }
            Output.table(
                ["ACCESSION", "BED", "NAME", "COLLECTED"],
                packed.tubes.map {
                    [
                        $0.accession.description, $0.bedCode, $0.patientName,
                        Output.time($0.collectedAt, zone: site.timeZone),
                    ]
                })
            try await Self.writeManifests(cli, site: site, box: box, pdf: pdf, csv: csv)
        }

        static func writeManifests(_ cli: CLI, site: Site, box: SpecimenBox.ID, pdf: String?, csv: String?) async throws
        {
            if let pdf {
                try await cli.services.swabs.manifestPDF(siteId: site.id, boxId: box, actor: cli.actor).write(
                    to: URL(fileURLWithPath: pdf))
                print("manifest written to \(pdf)")
            }
            if let csv {
                try await cli.services.swabs.manifestCSV(siteId: site.id, boxId: box, actor: cli.actor).write(
                    toFile: csv, atomically: true, encoding: .utf8)
                print("manifest written to \(csv)")
            }
        }
    }
}
