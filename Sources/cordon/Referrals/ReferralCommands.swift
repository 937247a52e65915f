import ArgumentParser
import Domain
import Foundation
import Services

struct HospitalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hospital", abstract: "Hospitals that receive referrals, and their integration tokens.",
        subcommands: [Add.self, List.self, Token.self, Webhook.self])

    struct Add: CordonCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a hospital; departments as CODE:NAME:service,service.")
        @Option(help: "Short code, e.g. PJ1.") var code: String
        @Option var name: String
        @Option var contactName: String = ""
        @Option var contactPhone: String = ""
        @Option(help: "Where referral events are delivered.") var webhookUrl: String?
        @Option(help: "A department, e.g. ONC:肿瘤科:chemotherapy,radiotherapy (repeatable).") var department: [String] =
            []

        func run(_ cli: CLI) async throws {
            let departments = try department.map { text -> HospitalDraft.DepartmentDraft in
                let parts = text.split(separator: ":", maxSplits: 2).map(String.init)
                guard parts.count >= 2 else {
                    throw ValidationError("--department must be CODE:NAME[:service,service]")
                }
                let services: [ReferralServiceKind] = try
                    (parts.count == 3 ? parts[2].split(separator: ",").map(String.init) : [])
                    .map { try parseChoice($0, "--department service") }
                return .init(code: parts[0], name: parts[1], services: services)
            }
            let draft = HospitalDraft(
                code: code, name: name, contactName: contactName, contactPhone: contactPhone, webhookUrl: webhookUrl,
                departments: departments)
            let registered = try await cli.services.hospitals.add(draft, actor: cli.actor)
            print("hospital \(registered.hospital.id) \(registered.hospital.code) \(registered.hospital.name)")
            print(
                "integration user \(registered.integrationUser) (`cordon hospital token \(registered.hospital.code)` issues its token)"
            )
            if let secret = registered.webhookSecret { print("webhook secret (shown once): \(secret)") }
        }
    }

    struct List: CordonCommand {
        static let configuration = CommandConfiguration(abstract: "List hospitals and their departments.")
        @OptionGroup var output: OutputOptions

        func run(_ cli: CLI) async throws {
            let hospitals = try await cli.services.hospitals.hospitals(actor: cli.actor)
            if output.json { return try Output.json(hospitals) }
            Output.table(
                ["ID", "CODE", "NAME", "CONTACT", "DEPARTMENTS"],
                hospitals.map {
                    [
                        String($0.id), $0.code, $0.name, "\($0.contactName) \($0.contactPhone)",
                        $0.departments.map { "\($0.code) \($0.name)" }.joined(separator: "; "),
                    ]
                })
        }
    }

    struct Token: CordonCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Issue a bearer token for the hospital's system, scoped to that hospital; its earlier tokens stop working within a day."
        )
        @Argument(help: "Hospital code.") var hospital: String
        @Option(help: "Valid for this many days (TOKEN_DAYS, 90, by default).") var days: Int?

        func run(_ cli: CLI) async throws {
            let issued = try await cli.services.hospitals.issueToken(
                hospitalCode: hospital, days: days, actor: cli.actor)
            print(issued.token)
        }
    }
}

extension HospitalCommand {
    struct Webhook: CordonCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the hospital's webhook endpoint (a new signing secret is printed once), or remove it.")
        @Argument(help: "Hospital code.") var hospital: String
        @Argument(
            help:
                "The endpoint, an https URL (plain http to a private address only with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true)."
        )
        var url: String?
        @Flag(help: "Remove the endpoint and its secret: no more events are written for the hospital.") var remove =
            false

        func validate() throws {
            guard remove == (url == nil) else { throw ValidationError("give the endpoint URL, or --remove") }
        }

        func run(_ cli: CLI) async throws {
            let actor = CordonEnvironment.cliActor
            let id = try await cli.services.hospitals.hospital(code: hospital, actor: actor).id
            let registered = try await cli.services.hospitals.setWebhook(hospitalId: id, url: url, actor: actor)
            print("hospital \(registered.hospital.code): webhook \(registered.hospital.webhookUrl ?? "removed")")
            if let secret = registered.webhookSecret { print("webhook secret (shown once): \(secret)") }
        }
    }
}

struct ReferralCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referral", abstract: "Green-channel referrals.",
        subcommands: [Create.self, List.self, Show.self, Transition.self, Overdue.self])

    struct Create: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Log a referral for an admitted patient.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Patient id.") var patient: Patient.ID
        @Option(help: "Hospital code.") var hospital: String
        @Option(help: "Department code.") var department: String?
        @Option var reason: String
        @Option var summary: String
        @Option(help: "Services needed, comma-separated (chemotherapy, dialysis, obstetrics, emergency_surgery, ...).")
        var services: String
        @Option(help: "routine, urgent or emergency.") var urgency: String
        @Flag(help: "The hospital's nucleic-acid fast lane is needed.") var fastLane = false
        @Option(help: "Residential committee contact.") var committee: String = ""

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let kinds: [ReferralServiceKind] = try services.split(separator: ",").map {
                try parseChoice(String($0), "--services")
            }
            let urgency: Urgency = try parseChoice(urgency, "--urgency")
            let hospital = try await cli.services.hospitals.hospital(code: self.hospital, actor: cli.actor)
            let departmentId = try department.map { code in
                guard let id = hospital.departments.first(where: { $0.code == code })?.id else {
                    throw DomainError.notFound("no department \(code) at \(hospital.code)")
                }
                return id
            }
            let referral = try await cli.services.referrals.create(
                siteId: site.id,
                ReferralDraft(
                    patientId: patient, hospitalId: hospital.id, departmentId: departmentId, reason: reason,
                    clinicalSummary: summary,
                    services: kinds, urgency: urgency, fastLane: fastLane, committeeContact: committee),
                actor: cli.actor
            ).value
            print("referral \(referral.id): \(referral.patientName) to \(hospital.name), \(referral.status.rawValue)")
        }
    }

    struct List: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "List a site's referrals.")
        @Argument(help: "Site code.") var site: String
        @Option var status: String?
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let status: ReferralStatus? = try status.map { try parseChoice($0, "--status") }
            let referrals = try await allPages {
                try await cli.services.referrals.list(siteId: site.id, status: status, page: $0, actor: cli.actor)
            }
            if output.json { return try Output.json(referrals) }
            Output.table(
                ["ID", "PATIENT", "HOSPITAL", "URGENCY", "STATUS", "APPOINTMENT", "REQUESTED"],
                referrals.map {
                    [
                        String($0.id), $0.patientName, String($0.hospitalId), $0.urgency.rawValue, $0.status.rawValue,
                        Output.time($0.appointmentAt, zone: site.timeZone),
                        Output.time($0.createdAt, zone: site.timeZone),
                    ]
                })
        }
    }

    struct Show: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "A referral with its timeline.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Referral id.") var referral: Referral.ID
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let r = try await cli.services.referrals.referral(id: referral, siteId: site.id, actor: cli.actor)
            if output.json { return try Output.json(r) }
            print(
                "referral \(r.id): \(r.patientName) -> hospital \(r.hospitalId), \(r.urgency.rawValue), \(r.status.rawValue)\(r.fastLane ? ", fast lane" : "")"
            )
            print("  \(r.reason)\n  \(r.clinicalSummary)\n")
            Output.table(
                ["AT", "FROM", "TO", "BY", "ROLE", "NOTE"],
                r.events.map {
                    [
                        Output.time($0.at, zone: site.timeZone), $0.fromStatus?.rawValue ?? "",
                        $0.toStatus?.rawValue ?? "(note)", $0.actorName, $0.role, $0.note,
                    ]
                })
        }
    }

    struct Transition: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a referral (the operator acts for either side).")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Referral id.") var referral: Referral.ID
        @Argument(help: "The new state.") var to: String
        @Option var note: String = ""
        @Option(help: "Appointment, YYYY-MM-DDTHH:MM where the site is (to schedule).") var appointment: String?
        @Option(help: "admitted or returned (to complete).") var outcome: String?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let to: ReferralStatus = try parseChoice(to, "state")
            let outcome: ReferralOutcome? = try outcome.map { try parseChoice($0, "--outcome") }
            let at = try appointment.map { try parseTime($0, "--appointment", zone: site.timeZone) }
            let moved = try await cli.services.referrals.transition(
                id: referral, siteId: site.id,
                ReferralTransition(
                    to: to, note: note, appointmentAt: at, outcome: outcome), actor: cli.actor
            ).value
            print("referral \(moved.id): \(moved.status.rawValue), version \(moved.version)")
        }
    }

    struct Overdue: CordonCommand {
        static let configuration = CommandConfiguration(abstract: "Referrals past a time target, latest first.")
        @OptionGroup var output: OutputOptions

        func run(_ cli: CLI) async throws {
            let overdue = try await cli.services.referrals.overdue(actor: cli.actor)
            if output.json { return try Output.json(overdue) }
            Output.table(
                ["REFERRAL", "SITE", "PATIENT", "URGENCY", "STATUS", "STEP", "DUE", "LATE"],
                overdue.map {
                    [
                        String($0.referralId), String($0.siteId), $0.patientName, $0.urgency.rawValue,
                        $0.status.rawValue, $0.step.rawValue,
                        Output.time($0.dueAt), "\($0.minutesLate / 60) h \($0.minutesLate % 60) min",
                    ]
                })
        }
    }
}
