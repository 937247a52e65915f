import ArgumentParser
import Domain
import Foundation
import Services

struct MedicationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "medication", abstract: "The medication catalogue.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a medicine to the catalogue.")
        @Option(help: "Code, e.g. AMLO-5.") var code: String
        @Option(help: "Generic name.") var name: String
        @Option(help: "Strength, e.g. 5 mg.") var strength: String
        @Option(help: "Form, e.g. tablet.") var form = "tablet"
        @Option(help: "Unit of issue, e.g. tablet.") var unit = "tablet"
        @Option(help: "Units of issue per pack.") var packSize: Int

        func run() async throws {
            let draft = MedicationDraft(code: code, genericName: name, strength: strength, form: form, unitOfIssue: unit, packSize: packSize)
            try await CordonEnvironment.withServices { services in
                let medication = try await services.stock.addMedication(draft, actor: CordonEnvironment.cliActor)
                print("medication \(medication.code) added with id \(medication.id)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the catalogue.")
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let json = output.json
            try await CordonEnvironment.withServices { services in
                let medications = try await services.stock.medications()
                if json { return try Output.json(medications) }
                Output.table(["ID", "CODE", "NAME", "STRENGTH", "FORM", "UNIT", "PACK"], medications.map {
                    [String($0.id), $0.code, $0.genericName, $0.strength, $0.form, $0.unitOfIssue, String($0.packSize)]
                })
            }
        }
    }
}

/// Resolves the codes people type (site, location, medication, lot) to ids.
struct StockNames {
    let services: CordonServices
    let actor: Actor
    let site: Site

    static func open(_ services: CordonServices, site code: String) async throws -> StockNames {
        let actor = CordonEnvironment.cliActor
        return StockNames(services: services, actor: actor, site: try await services.sites.get(code: code, actor: actor))
    }

    func location(_ code: String) async throws -> StockLocation {
        guard let location = try await services.stock.locations(siteId: site.id, actor: actor).first(where: { $0.code == code }) else {
            throw DomainError.notFound("no stock location \(code) at \(site.code)")
        }
        return location
    }

    func lot(_ number: String, of medication: Medication) async throws -> Int64 {
        guard let lot = try await services.stock.onHand(siteId: site.id, medicationId: medication.id, actor: actor)
            .first(where: { $0.lotNumber == number }) else {
            throw DomainError.notFound("no lot \(number) of \(medication.code) at \(site.code)")
        }
        return lot.lotId
    }

    func printMovement(_ movement: StockMovement) {
        Output.table(["KIND", "MEDICATION", "LOT", "EXPIRES", "LOCATION", "CHANGE", "BALANCE"], movement.lines.map {
            [$0.kind.rawValue, $0.medicationCode, $0.lotNumber, $0.expiresOn.description, $0.locationCode,
             ($0.quantityChange > 0 ? "+" : "") + String($0.quantityChange), String($0.balanceAfter)]
        })
    }
}

/// The shelf a movement touches: site, location and medication, by code.
struct ShelfOptions: ParsableArguments {
    @Argument(help: "Site code.") var site: String
    @Option(help: "Location code, e.g. PHARM or CAB-A.") var location: String
    @Option(help: "Medication code, e.g. AMLO-5.") var medication: String
}

struct StockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stock", abstract: "Receive, dispense, transfer, count and write off stock; read on-hand, alerts and the ledger.",
        subcommands: [Receive.self, Dispense.self, Transfer.self, Count.self, WriteOff.self, OnHand.self, Alerts.self, Ledger.self,
                      Cover.self, Location.self, Level.self])

    struct Receive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Book a delivery in.")
        @OptionGroup var shelf: ShelfOptions
        @Option(help: "Lot number.") var lot: String
        @Option(help: "Expiry date, YYYY-MM-DD.") var expires: String
        @Option(help: "Whole packs.") var packs: Int?
        @Option(help: "Loose units of issue.") var quantity: Int?
        @Option(help: "Why, e.g. delivery from the district warehouse.") var reason = "delivery"
        @Option(help: "Delivery note number.") var document: String?

        func run() async throws {
            guard packs != nil || quantity != nil else { throw ValidationError("give --packs, --quantity or both") }
            let expiry = try parseDate(expires, "--expires")
            let (siteCode, locationCode, code, lot, packs, quantity, reason, document) = (shelf.site, shelf.location, shelf.medication, lot, packs, quantity, reason, document)
            try await CordonEnvironment.withServices { services in
                let names = try await StockNames.open(services, site: siteCode)
                let med = try await services.stock.medication(code: code)
                let movement = try await services.stock.receive(siteId: names.site.id, StockReceipt(
                    locationId: try await names.location(locationCode).id, medicationId: med.id, lotNumber: lot, expiresOn: expiry,
                    quantity: quantity ?? 0, reason: reason, documentNumber: document, packs: packs ?? 0), actor: names.actor)
                names.printMovement(movement)
            }
        }
    }

    struct Dispense: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue stock first-expiry-first-out.")
        @OptionGroup var shelf: ShelfOptions
        @Option(help: "Units of issue.") var quantity: Int
        @Option(help: "Why.") var reason: String
        @Option(help: "Patient id, for a dispense to a patient.") var patient: Int64?
        @Option(help: "Allow lots expiring within the margin, saying why.") var override: String?

        func run() async throws {
            let (siteCode, locationCode, code, quantity, reason, patient, override) = (shelf.site, shelf.location, shelf.medication, quantity, reason, patient, override)
            try await CordonEnvironment.withServices { services in
                let names = try await StockNames.open(services, site: siteCode)
                let med = try await services.stock.medication(code: code)
                let movement = try await services.stock.dispense(siteId: names.site.id, StockDispense(
                    locationId: try await names.location(locationCode).id, medicationId: med.id, quantity: quantity, patientId: patient,
                    reason: reason, overrideReason: override), actor: names.actor)
                names.printMovement(movement)
            }
        }
    }

    struct Transfer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move stock between two locations, all or nothing.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "From location code.") var from: String
        @Option(help: "To location code.") var to: String
        @Option(help: "Medication code.") var medication: String
        @Option(help: "Units of issue.") var quantity: Int
        @Option(help: "Why.") var reason: String
        @Option(help: "Transfer note number.") var document: String?

        func run() async throws {
            let (siteCode, from, to, code, quantity, reason, document) = (site, from, to, medication, quantity, reason, document)
            try await CordonEnvironment.withServices { services in
                let names = try await StockNames.open(services, site: siteCode)
                let med = try await services.stock.medication(code: code)
                let movement = try await services.stock.transfer(siteId: names.site.id, StockTransfer(
                    fromLocationId: try await names.location(from).id, toLocationId: try await names.location(to).id, medicationId: med.id,
                    quantity: quantity, reason: reason, documentNumber: document), actor: names.actor)
                names.printMovement(movement)
            }
        }
    }

    struct Count: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a count of one lot on one shelf; a variance needs --reason.")
        @OptionGroup var shelf: ShelfOptions
        @Option(help: "Lot number.") var lot: String
        @Option(help: "Units counted.") var counted: Int
        @Option(help: "Why the count differs from the books.") var reason: String?

        func run() async throws {
            let (siteCode, locationCode, code, lot, counted, reason) = (shelf.site, shelf.location, shelf.medication, lot, counted, reason)
            try await CordonEnvironment.withServices { services in
                let names = try await StockNames.open(services, site: siteCode)
                let med = try await services.stock.medication(code: code)
                let movement = try await services.stock.count(siteId: names.site.id, StockCount(
                    locationId: try await names.location(locationCode).id, lotId: try await names.lot(lot, of: med),
                    countedQuantity: counted, reason: reason), actor: names.actor)
                names.printMovement(movement)
            }
        }
    }

    struct WriteOff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "write-off", abstract: "Remove unusable stock, with a reason.")
        @OptionGroup var shelf: ShelfOptions
        @Option(help: "Lot number.") var lot: String
        @Option(help: "Units of issue.") var quantity: Int
        @Option(help: "Why.") var reason: String

        func run() async throws {
            let (siteCode, locationCode, code, lot, quantity, reason) = (shelf.site, shelf.location, shelf.medication, lot, quantity, reason)
            try await CordonEnvironment.withServices { services in
                let names = try await StockNames.open(services, site: siteCode)
                let med = try await services.stock.medication(code: code)
                let movement = try await services.stock.writeOff(siteId: names.site.id, StockWriteOff(
                    locationId: try await names.location(locationCode).id, lotId: try await names.lot(lot, of: med), quantity: quantity,
                    reason: reason), actor: names.actor)
                names.printMovement(movement)
            }
        }
    }

    struct OnHand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "on-hand", abstract: "Stock per lot and location.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Only this medication (code).") var medication: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (siteCode, code, json) = (site, medication, output.json)
            try await CordonEnvironment.withServices { services in
                let names = try await StockNames.open(services, site: siteCode)
                let medications = try await services.stock.medications()
                let medicationId = try code.map { code in
                    guard let med = medications.first(where: { $0.code == code }) else { throw DomainError.notFound("no medication \(code)") }
                    return med.id
                }
                let stock = try await services.stock.onHand(siteId: names.site.id, medicationId: medicationId, actor: names.actor)
                if json { return try Output.json(stock) }
                let codes = Dictionary(uniqueKeysWithValues: medications.map { ($0.id, $0.code) })
                let locations = Dictionary(uniqueKeysWithValues: try await services.stock.locations(siteId: names.site.id, actor: names.actor).map { ($0.id, $0.code) })
                Output.table(["MEDICATION", "LOT", "EXPIRES", "LOCATION", "QUANTITY"], stock.map {
                    [codes[$0.medicationId] ?? "", $0.lotNumber, $0.expiresOn.description, locations[$0.locationId] ?? "", String($0.quantity)]
                })
            }
        }
    }

    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Expired stock, lots expiring soon, levels and short cover.")
        @Argument(help: "Site code.") var site: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (siteCode, json) = (site, output.json)
            try await CordonEnvironment.withServices { services in
                let names = try await StockNames.open(services, site: siteCode)
                let alerts = try await services.stock.alerts(siteId: names.site.id, actor: names.actor)
                if json { return try Output.json(alerts) }
                Output.table(["ALERT", "MEDICATION", "LOT", "LOCATION", "QUANTITY", "DETAIL"], alerts.map {
                    [$0.kind.rawValue, $0.medicationCode, $0.lotNumber ?? "", $0.locationCode ?? "", String($0.quantity), $0.detail]
                })
            }
        }
    }

    struct Ledger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The stock ledger, oldest first.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Only this medication (code).") var medication: String?
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (siteCode, code, json) = (site, medication, output.json)
            try await CordonEnvironment.withServices { services in
                let names = try await StockNames.open(services, site: siteCode)
                let medicationId = try await code.asyncMap { try await services.stock.medication(code: $0).id }
                let lines = try await allPages { try await services.stock.ledger(siteId: names.site.id, medicationId: medicationId, page: $0, actor: names.actor) }
                if json { return try Output.json(lines) }
                Output.table(["ID", "OCCURRED", "KIND", "MEDICATION", "LOT", "LOCATION", "CHANGE", "BALANCE", "BY", "REASON"], lines.map {
                    [String($0.id), Output.time($0.occurredAt, zone: names.site.timeZone), $0.kind.rawValue, $0.medicationCode, $0.lotNumber,
                     $0.locationCode, ($0.quantityChange > 0 ? "+" : "") + String($0.quantityChange), String($0.balanceAfter), $0.actorName, $0.reason]
                })
            }
        }
    }

    struct Cover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Days of cover per medicine at the current orders.")
        @Argument(help: "Site code.") var site: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (siteCode, json) = (site, output.json)
            try await CordonEnvironment.withServices { services in
                let names = try await StockNames.open(services, site: siteCode)
                let cover = try await services.stock.cover(siteId: names.site.id, actor: names.actor)
                if json { return try Output.json(cover) }
                Output.table(["MEDICATION", "USABLE", "DAILY USE", "DAYS OF COVER"], cover.map {
                    [$0.medicationCode, String($0.usableOnHand), String($0.dailyUse), $0.daysOfCover.map { String($0) } ?? "-"]
                })
            }
        }
    }

    struct Location: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add the site pharmacy or a zone cabinet.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Location code, e.g. PHARM or CAB-A.") var code: String
        @Option(help: "Name.") var name: String
        @Option(help: "pharmacy or cabinet.") var kind: String
        @Option(help: "Zone code of a cabinet.") var zone: String?

        func run() async throws {
            let kind: StockLocationKind = try parseChoice(kind, "--kind")
            let (siteCode, code, name, zoneCode) = (site, code, name, zone)
            try await CordonEnvironment.withServices { services in
                let names = try await StockNames.open(services, site: siteCode)
                let zoneId = try await zoneCode.asyncMap { try await services.sites.zone(siteId: names.site.id, code: $0, actor: names.actor).id }
                let location = try await services.stock.createLocation(siteId: names.site.id, StockLocationDraft(code: code, name: name, kind: kind, zoneId: zoneId), actor: names.actor)
                print("location \(location.code) added with id \(location.id)")
            }
        }
    }

    struct Level: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a medicine's minimum and reorder levels at a site.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Medication code.") var medication: String
        @Option(help: "Minimum, in units of issue.") var minimum: Int
        @Option(help: "Reorder level, in units of issue.") var reorder: Int

        func run() async throws {
            let (siteCode, code, minimum, reorder) = (site, medication, minimum, reorder)
            try await CordonEnvironment.withServices { services in
                let names = try await StockNames.open(services, site: siteCode)
                let med = try await services.stock.medication(code: code)
                try await services.stock.setLevel(siteId: names.site.id, StockLevel(medicationId: med.id, minimum: minimum, reorder: reorder), actor: names.actor)
                print("\(med.code) at \(names.site.code): minimum \(minimum), reorder at \(reorder)")
            }
        }
    }
}
