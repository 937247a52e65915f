import ArgumentParser
import Domain
import Foundation
import Services

struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract:
            "Release from isolation: criteria, the release list, sign-off, release, certificates and buses home.",
        subcommands: [
            Criteria.self, List.self, SignOff.self, Withdraw.self, Run.self, Certificate.self, Bus.self, Manifest.self,
        ])

    struct Criteria: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the clinical criteria a site adds to the test rule, or set them.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Hours without a fever before release (24-168), or 0 to stop asking.") var noFeverHours: Int?
        @Option(help: "A temperature at or above this (°C, 37.0-38.5) is a fever.") var fever: Double?
        @Option(help: "Whether the clinician who signs off must judge the symptoms improved (true or false).")
        var symptomsImproved: Bool?
        @Option(help: "Whether the latest NEWS2 must be 2 or less and not rising (true or false).")
        var news2Stable: Bool?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let releases = cli.services.releases
            var criteria = try await releases.criteria(siteId: site.id, actor: cli.actor)
            if noFeverHours != nil || fever != nil || symptomsImproved != nil || news2Stable != nil {
                if let hours = noFeverHours { criteria.noFeverHours = hours == 0 ? nil : hours }
                criteria.feverCelsius = fever ?? criteria.feverCelsius
                criteria.symptomsImproved = symptomsImproved ?? criteria.symptomsImproved
                criteria.news2Stable = news2Stable ?? criteria.news2Stable
                criteria = try await releases.setCriteria(siteId: site.id, criteria, actor: cli.actor)
            }
            print(
                "\(site.code): the test rule"
                    + (criteria.noFeverHours.map { ", no fever (\(criteria.feverCelsius) °C or more) for \($0) h" }
                        ?? "")
                    + (criteria.symptomsImproved ? ", symptoms judged improved" : "")
                    + (criteria.news2Stable ? ", NEWS2 at most 2 and not rising" : "") + ", and a clinician's sign-off")
        }
    }

    struct List: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "The release list: who meets the tests, the criteria and the sign-off, and what stands in the way.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Only this zone (code).") var zone: String?
        @Flag(help: "Only those ready to go now.") var ready = false
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let list = try await ReleaseCommand.list(cli, site: site, zone: zone)
            let shown = list.candidates.filter { !ready || $0.isReady(list.criteria) }
            if output.json { return try Output.json(shown) }
            Output.table(
                ["PATIENT", "NAME", "ZONE", "BED", "SIGNED OFF", "READY", "WHY NOT"],
                shown.map {
                    [
                        String($0.patientId), $0.name, $0.zoneCode ?? "", $0.bedCode ?? "",
                        $0.signOff.map { "\($0.signedBy) \(Output.time($0.signedAt, zone: site.timeZone))" } ?? "",
                        $0.isReady(list.criteria) ? "yes" : "",
                        $0.reasons(list.criteria).map(\.english).joined(separator: "; "),
                    ]
                })
        }
    }

    static func list(_ cli: CLI, site: Site, zone: String?) async throws
        -> (criteria: ReleaseCriteria, candidates: [ReleaseCandidate])
    {
        let zoneId = try await zone.asyncMap {
            try await cli.services.sites.zone(siteId: site.id, code: $0, actor: cli.actor).id
        }
        return try await cli.services.releases.list(siteId: site.id, zoneId: zoneId, actor: cli.actor)
    }

    struct SignOff: OneSiteCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-off",
            abstract:
                "Sign off patients for release: those named, or a zone's list (everyone clear and not yet signed).")
        @Argument(help: "Site code.") var site: String
        @Option(help: "A patient id; repeat for more.") var patient: [Int64] = []
        @Option(help: "Sign off the zone's list (code): everyone whose tests and criteria are met.") var zone: String?
        @Flag(help: "The clinician judges the symptoms improved.") var symptomsImproved = false
        @Option(help: "A note kept with the sign-off.") var note: String?
        @Flag(help: "Sign without showing the names first.") var yes = false

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            guard patient.isEmpty != (zone == nil) else {
                throw ValidationError("name patients with --patient, or a zone with --zone, not both")
            }
            var ids = patient.map { Patient.ID(rawValue: $0) }
            if zone != nil {
                let list = try await ReleaseCommand.list(cli, site: site, zone: zone)
                let clear = list.candidates.filter { $0.awaitsSignOff(list.criteria) }
                guard !clear.isEmpty else { return print("nobody in \(zone!) is waiting for a sign-off") }
                if !yes {
                    print("signing off \(clear.count) patient(s):")
                    for c in clear { print("  \(c.patientId)  \(c.name)  \(c.bedCode ?? "")") }
                    print("sign them all off? [y/N] ", terminator: "")
                    guard readLine()?.lowercased().hasPrefix("y") == true else { return print("nothing signed") }
                }
                ids = clear.map(\.patientId)
            }
            let signed = try await cli.services.releases.signOff(
                siteId: site.id, patientIds: ids, symptomsImproved: symptomsImproved, note: note, actor: cli.actor)
            print("signed off \(signed.count) patient(s): " + signed.map(\.name).joined(separator: ", "))
        }
    }

    struct Withdraw: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw a patient's sign-off, with the reason.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Patient id.") var patient: Int64
        @Option(help: "Why the sign-off no longer stands.") var reason: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            try await cli.services.releases.withdraw(
                siteId: site.id, patientId: Patient.ID(rawValue: patient), reason: reason, actor: cli.actor)
            print("sign-off of patient \(patient) withdrawn")
        }
    }

    struct Run: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release signed-off patients as recovered: those named, or everyone ready (in a zone).")
        @Argument(help: "Site code.") var site: String
        @Option(help: "A patient id; repeat for more.") var patient: [Int64] = []
        @Option(help: "Only this zone's ready patients (code).") var zone: String?
        @Flag(help: "Release everyone ready at the site (or in --zone).") var allReady = false
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            guard patient.isEmpty == allReady else {
                throw ValidationError("name patients with --patient, or release everyone ready with --all-ready")
            }
            var ids = patient.map { Patient.ID(rawValue: $0) }
            if allReady {
                let list = try await ReleaseCommand.list(cli, site: site, zone: zone)
                ids = list.candidates.filter { $0.isReady(list.criteria) }.map(\.patientId)
                guard !ids.isEmpty else { return print("nobody is ready to go") }
            }
            let batch = try await cli.services.releases.release(siteId: site.id, patientIds: ids, actor: cli.actor)
            let rows = batch.outcomes.map { id, outcome -> [String] in
                switch outcome {
                case .released: [String(id), "released", ""]
                case .alreadyReleased(let at):
                    [String(id), "already released", Output.time(at, zone: site.timeZone)]
                case .leftOut(let reasons): [String(id), "left out", reasons.map(\.english).joined(separator: "; ")]
                }
            }
            if output.json {
                return try Output.json(rows.map { ["patientId": $0[0], "outcome": $0[1], "detail": $0[2]] })
            }
            print("released \(batch.released) of \(ids.count)")
            Output.table(["PATIENT", "OUTCOME", "DETAIL"], rows)
        }
    }

    struct Certificate: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show released patients' certificates, write them as one PDF, or revoke one with a reason.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "A released patient's id; repeat for more (one PDF page each, in this order).")
        var patient: [Int64] = []
        @Option(help: "Write the certificates as one PDF to this file.") var out: String?
        @Option(help: "Revoke the (one) patient's certificate, with this reason.") var revoke: String?
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let certificates = cli.services.certificates
            let ids = patient.map { Patient.ID(rawValue: $0) }
            if let reason = revoke {
                guard ids.count == 1 else { throw ValidationError("--revoke takes exactly one --patient") }
                let issued = try await certificates.revoke(
                    siteId: site.id, patientId: ids[0], reason: reason, actor: cli.actor)
                return print("certificate \(issued.certificate.number) of patient \(patient[0]) revoked")
            }
            if let out {
                guard !ids.isEmpty else { throw ValidationError("name the patients with --patient") }
                let pdf = try await certificates.pdf(siteId: site.id, patientIds: ids, actor: cli.actor)
                try pdf.write(to: URL(fileURLWithPath: out))
                return print("wrote \(ids.count) certificate(s) to \(out)")
            }
            var shown = ids.isEmpty ? try await certificates.recent(siteId: site.id, actor: cli.actor) : []
            for id in ids {
                shown.append(try await certificates.certificate(siteId: site.id, patientId: id, actor: cli.actor))
            }
            let rows = shown.map { issued -> [String] in
                let c = issued.certificate
                return [
                    String(c.patientId), c.name, c.number, c.releasedOn.description,
                    c.revocation.map { "revoked \(Output.time($0.at, zone: site.timeZone)): \($0.reason)" } ?? "valid",
                    issued.verifyURL,
                ]
            }
            if output.json {
                return try Output.json(
                    rows.map {
                        [
                            "patientId": $0[0], "name": $0[1], "number": $0[2], "releasedOn": $0[3], "status": $0[4],
                            "verifyUrl": $0[5],
                        ]
                    })
            }
            Output.table(["PATIENT", "NAME", "CERTIFICATE", "RELEASED", "STATUS", "VERIFY AT"], rows)
        }
    }
}
