import ArgumentParser
import Domain
import Foundation
import Services

struct CarePlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "careplan", abstract: "Read care plans.", subcommands: [Show.self, List.self])

    struct Show: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a care plan with its activities and observations.")
        @Argument(help: "Site code.") var site: String
        @Argument(help: "Care plan id.") var plan: CarePlan.ID
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let plan = try await cli.services.care.plan(siteId: site.id, planId: self.plan, actor: cli.actor)
            let observations = try await cli.services.care.observations(
                siteId: site.id, planId: self.plan, actor: cli.actor)
            if output.json {
                struct Full: Encodable {
                    var plan: CarePlan
                    var observations: [Observation]
                }
                return try Output.json(Full(plan: plan, observations: observations))
            }
            let codes = Dictionary(
                uniqueKeysWithValues: try await cli.services.stock.medications(actor: cli.actor).map {
                    ($0.id, $0.code)
                })
            print(
                """
                Care plan \(plan.id) for patient \(plan.patientId): \(plan.status.rawValue), version \(plan.version)
                  conditions: \(plan.conditions.map(\.rawValue).joined(separator: ", "))
                  goals:      \(plan.goals)
                  review on:  \(plan.reviewOn)    author: \(plan.authorName)

                """)
            Output.table(
                ["ACTIVITY", "KIND", "WHAT", "TIMES", "FROM", "UNTIL"],
                plan.activities.map { a in
                    let what: String =
                        switch a.kind {
                        case .medication: "\(codes[a.medicationId ?? 0] ?? "?") \(a.doseUnits ?? 0) \(a.route ?? "")"
                        case .monitoring: a.measure?.rawValue ?? ""
                        case .assessment: a.instrument?.rawValue ?? ""
                        case .recovery: a.description
                        }
                    return [
                        String(a.id), a.kind.rawValue, what, a.timesOfDay.joined(separator: " "),
                        a.startsOn.description, a.endsOn?.description ?? "",
                    ]
                })
            print("")
            Output.table(
                ["OBSERVED", "MEASURE", "READING", "FLAG"],
                observations.map { o in
                    let reading =
                        o.systolic.map { "\($0)/\(o.diastolic ?? 0)" } ?? o.value.map { String($0) } ?? o.score.map {
                            "\(o.instrument?.rawValue ?? "") \($0)"
                        } ?? ""
                    return [Output.time(o.observedAt, zone: site.timeZone), o.measure, reading, o.flag ?? ""]
                })
        }
    }

    struct List: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "List the care plans of a site.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Only this patient (id).") var patient: Patient.ID?
        @Option(help: "draft, active, completed or revoked.") var status: String?
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let status: CarePlanStatus? = try status.map { try parseChoice($0, "--status") }
            let plans = try await cli.services.care.plans(
                siteId: site.id, patientId: patient, status: status, actor: cli.actor)
            if output.json { return try Output.json(plans) }
            Output.table(
                ["PLAN", "PATIENT", "STATUS", "CONDITIONS", "ACTIVITIES", "REVIEW ON"],
                plans.map {
                    [
                        String($0.id), String($0.patientId), $0.status.rawValue,
                        $0.conditions.map(\.rawValue).joined(separator: ", "),
                        String($0.activities.count), $0.reviewOn.description,
                    ]
                })
        }
    }
}

struct WorklistCommand: OneSiteCommand {
    static let configuration = CommandConfiguration(
        commandName: "worklist",
        abstract:
            "The day's work at a site: doses due, late measurements, reviews, readings out of range, stock alerts.")
    @Argument(help: "Site code.") var site: String
    @Option(help: "Day, YYYY-MM-DD (default today at the site).") var date: String?
    @OptionGroup var output: OutputOptions

    var siteCode: String { site }

    func run(_ cli: CLI, site: Site) async throws {
        let day = try date.map { try parseDate($0, "--date") }
        let work = try await cli.services.care.worklist(siteId: site.id, date: day, actor: cli.actor)
        if output.json { return try Output.json(work) }
        print("\(site.name), \(work.date)\n\nDoses due (\(work.dosesDue.count)):")
        Output.table(
            ["TIME", "BED", "PATIENT", "MEDICATION", "DOSE", "ROUTE", "GIVEN"],
            work.dosesDue.map {
                [
                    $0.time, $0.bedCode ?? "", $0.patientName, $0.medicationCode, String($0.doseUnits), $0.route,
                    $0.given ? "yes" : "",
                ]
            })
        print("\nLate measurements (\(work.overdueObservations.count)):")
        Output.table(
            ["BED", "PATIENT", "MEASURE", "DETAIL"],
            work.overdueObservations.map {
                [$0.bedCode ?? "", $0.patientName, $0.measure.rawValue, $0.detail]
            })
        print("\nPlans due for review (\(work.plansDueForReview.count)):")
        Output.table(
            ["PLAN", "PATIENT", "REVIEW ON"],
            work.plansDueForReview.map { [String($0.planId), $0.patientName, $0.reviewOn.description] })
        print("\nReadings out of range in the last 24 h (\(work.flaggedObservations.count)):")
        Output.table(
            ["OBSERVED", "PATIENT", "FLAG"],
            work.flaggedObservations.map {
                [Output.time($0.observedAt, zone: site.timeZone), $0.patientName, $0.flag]
            })
        print("\nStock alerts (\(work.stockAlerts.count)):")
        Output.table(
            ["ALERT", "MEDICATION", "LOT", "DETAIL"],
            work.stockAlerts.map { [$0.kind.rawValue, $0.medicationCode, $0.lotNumber ?? "", $0.detail] })
    }
}
