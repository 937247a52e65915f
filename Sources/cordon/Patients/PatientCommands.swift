import ArgumentParser
import Domain
import Foundation
import Services

/// Parses an enum option, listing the allowed values when it is wrong.
func parseChoice<T: RawRepresentable & CaseIterable>(_ raw: String, _ option: String) throws -> T
where T.RawValue == String {
    guard let value = T(rawValue: raw) else {
        throw ValidationError("\(option) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return value
}

/// Parses a `YYYY-MM-DD` option.
func parseDate(_ raw: String, _ option: String) throws -> CalendarDate {
    guard let date = CalendarDate(raw) else { throw ValidationError("\(option) must be a date as YYYY-MM-DD") }
    return date
}

/// Parses `YYYY-MM-DDTHH:MM[:SS]` in the site's time zone, or a full RFC 3339 time.
func parseTime(_ raw: String, _ option: String, zone: TimeZone) throws -> Date {
    if let date = RFC3339.date(raw) { return date }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = zone
    for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm"] {
        formatter.dateFormat = format
        if let date = formatter.date(from: raw) { return date }
    }
    throw ValidationError("\(option) must be a time such as 2022-04-12T08:30 (site time) or 2022-04-12T00:30:00Z")
}

struct PatientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patient", abstract: "Admit, move, discharge, list and show patients.",
        subcommands: [Admit.self, Move.self, Discharge.self, List.self, Show.self])

    struct Admit: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Admit a patient into a free bed.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Bed code, e.g. A-001.") var bed: String
        @Option(help: "Full name.") var name: String
        @Option(help: "female or male.") var sex: String
        @Option(help: "Date of birth, YYYY-MM-DD.") var born: String
        @Option(help: "18-character national ID number.") var nationalId: String
        @Option(help: "asymptomatic, mild, moderate, severe or critical.") var severity = "mild"
        @Option(help: "Phone number.") var phone: String?
        @Flag(help: "The patient is a Party member.") var partyMember = false
        @Option(help: "Arrival time (default now).") var at: String?
        @Option(help: "Home address.") var homeAddress: String?
        @Option(help: "The residential committee that takes the patient back (its name).") var committee: String?
        @Option(help: "A household id: people sharing one go home on the same bus.") var household: String?
        @Flag(help: "A carer sits beside the patient on the bus home (two seats).") var needsCarer = false
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let sex: Sex = try parseChoice(sex, "--sex")
            let severity: Severity = try parseChoice(severity, "--severity")
            let dob = try parseDate(born, "--born")
            let bed = try await cli.services.beds.get(siteId: site.id, code: self.bed, actor: cli.actor)
            let admission = Admission(
                name: name, sex: sex, dateOfBirth: dob, phone: phone, nationalId: nationalId,
                severity: severity, partyMember: partyMember, bedId: bed.id,
                admittedAt: try at.map { try parseTime($0, "--at", zone: site.timeZone) },
                home: .given(
                    homeAddress: homeAddress, committee: committee, household: household, needsCarer: needsCarer))
            let patient = try await cli.services.patients.admit(siteId: site.id, admission, actor: cli.actor).value
            if output.json {
                try Output.json(patient)
            } else {
                print("patient \(patient.name) admitted to bed \(bed.code) with id \(patient.id)")
            }
        }
    }

    struct Move: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Move a patient to another free bed.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Patient id.") var patient: Patient.ID
        @Option(help: "Code of the free bed to move to.") var bed: String

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let bed = try await cli.services.beds.get(siteId: site.id, code: self.bed, actor: cli.actor)
            let moved = try await cli.services.patients.move(
                siteId: site.id, patientId: patient, toBed: bed.id, expectedVersion: nil, actor: cli.actor)
            print("patient \(moved.name) moved to bed \(moved.bedCode ?? self.bed)")
        }
    }

    struct Discharge: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Discharge a patient (recovered needs discharge eligibility).")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Patient id.") var patient: Patient.ID
        @Option(help: "recovered, transferred or other.") var reason = "recovered"
        @Option(help: "A note; required for other.") var note: String?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let reason: DischargeReason = try parseChoice(reason, "--reason")
            let done = try await cli.services.patients.discharge(
                siteId: site.id, patientId: patient, reason: reason, note: note,
                expectedVersion: nil, actor: cli.actor)
            print("patient \(done.name) discharged (\(reason.rawValue))")
        }
    }

    struct List: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "List the patients of a site.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "admitted or discharged.") var status: String?
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let status: PatientStatus? = try status.map { try parseChoice($0, "--status") }
            let patients = try await allPages {
                try await cli.services.patients.list(siteId: site.id, status: status, page: $0, actor: cli.actor)
            }
            if output.json { return try Output.json(patients) }
            Output.table(
                ["ID", "NAME", "SEX", "BORN", "SEVERITY", "PARTY", "STATUS", "BED", "ADMITTED"],
                patients.map {
                    [
                        String($0.id), $0.name, $0.sex.rawValue, $0.dateOfBirth?.description ?? "-",
                        $0.severity.rawValue,
                        $0.partyMember ? "yes" : "", $0.status.rawValue, $0.bedCode ?? "",
                        Output.time($0.admittedAt, zone: site.timeZone),
                    ]
                })
        }
    }

    struct Show: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a patient with bed history, tests and discharge eligibility.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Patient id.") var patient: Patient.ID
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let record = try await cli.services.patients.record(
                siteId: site.id, patientId: self.patient, actor: cli.actor)
            let (p, beds, tests, verdict) = (record.patient, record.bedHistory, record.tests, record.eligibility)
            if output.json {
                struct Full: Encodable {
                    var patient: Patient
                    var bedAssignments: [BedAssignment]
                    var tests: [NucleicAcidTest]
                    var eligibility: DischargeEligibility
                }
                return try Output.json(Full(patient: p, bedAssignments: beds, tests: tests, eligibility: verdict))
            }
            let zone = site.timeZone
            print(
                """
                \(p.name) (id \(p.id)), \(p.sex.rawValue), born \(p.dateOfBirth?.description ?? "-")
                  ID number:  \(p.nationalId)
                  phone:      \(p.phone ?? "-")
                  severity:   \(p.severity.rawValue)    Party member: \(p.partyMember ? "yes" : "no")
                  status:     \(p.status.rawValue)\(p.bedCode.map { " in bed \($0)" } ?? "")
                  admitted:   \(Output.time(p.admittedAt, zone: zone))\(p.dischargedAt.map { "    discharged: \(Output.time($0, zone: zone)) (\(p.dischargeReason?.rawValue ?? ""))" } ?? "")
                  release:    \(verdict.eligible ? "eligible" : "not eligible: " + verdict.reasons.joined(separator: "; "))

                """)
            Output.table(
                ["BED", "FROM", "UNTIL"],
                beds.map { [$0.bedCode, Output.time($0.from, zone: zone), Output.time($0.until, zone: zone)] })
            print("")
            Output.table(
                ["TEST", "SAMPLED", "RESULT", "N CT", "ORF1AB CT"],
                tests.map {
                    [
                        String($0.id), Output.time($0.sampledAt, zone: zone), $0.result.rawValue,
                        $0.nGeneCt.map { String($0) } ?? "", $0.orf1abCt.map { String($0) } ?? "",
                    ]
                })
        }
    }
}

struct TestResultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-result", abstract: "Record nucleic-acid test results.", subcommands: [Add.self])

    struct Add: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Record a test result for a patient.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Patient id.") var patient: Patient.ID
        @Option(help: "Sampling time (site time or RFC 3339).") var sampled: String
        @Option(help: "positive or negative.") var result: String
        @Option(name: .customLong("n-ct"), help: "N-gene Ct value.") var nGeneCt: Double?
        @Option(name: .customLong("orf1ab-ct"), help: "ORF1ab Ct value.") var orf1abCt: Double?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let result: TestResultKind = try parseChoice(result, "--result")
            let entry = NucleicAcidTestEntry(
                sampledAt: try parseTime(sampled, "--sampled", zone: site.timeZone), result: result,
                nGeneCt: nGeneCt, orf1abCt: orf1abCt)
            let test = try await cli.services.patients.addTest(
                siteId: site.id, patientId: patient, entry, actor: cli.actor
            ).value
            let verdict = try await cli.services.patients.eligibility(
                siteId: site.id, patientId: patient, actor: cli.actor)
            print(
                "test \(test.id) recorded; release: \(verdict.eligible ? "eligible" : "not eligible: " + verdict.reasons.joined(separator: "; "))"
            )
        }
    }
}
