import ArgumentParser
import Domain
import Foundation
import Services

struct MedicationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "medication", abstract: "The medication catalogue.", subcommands: [Add.self, List.self])

    struct Add: CordonCommand {
        static let configuration = CommandConfiguration(abstract: "Add a medicine to the catalogue.")
        @Option(help: "Code, e.g. AMLO-5.") var code: String
        @Option(help: "Generic name.") var name: String
        @Option(help: "Strength, e.g. 5 mg.") var strength: String
        @Option(help: "Form, e.g. tablet.") var form = "tablet"
        @Option(help: "Unit of issue, e.g. tablet.") var unit = "tablet"
        @Option(help: "Units of issue per pack.") var packSize: Int

        func run(_ cli: CLI) async throws {
            let draft = MedicationDraft(
                code: code, genericName: name, strength: strength, form: form, unitOfIssue: unit, packSize: packSize)
            let medication = try await cli.services.stock.addMedication(draft, actor: cli.actor)
            print("medication \(medication.code) added with id \(medication.id)")
        }
    }

    struct List: CordonCommand {
        static let configuration = CommandConfiguration(abstract: "List the catalogue.")
        @OptionGroup var output: OutputOptions

        func run(_ cli: CLI) async throws {
            let medications = try await cli.services.stock.medications(actor: cli.actor)
            if output.json { return try Output.json(medications) }
            Output.table(
                ["ID", "CODE", "NAME", "STRENGTH", "FORM", "UNIT", "PACK"],
                medications.map {
                    [String($0.id), $0.code, $0.genericName, $0.strength, $0.form, $0.unitOfIssue, String($0.packSize)]
                })
        }
    }
}

/// Prints the lines of a stock movement.
func printMovement(_ movement: StockMovement) {
    Output.table(
        ["KIND", "MEDICATION", "LOT", "EXPIRES", "LOCATION", "CHANGE", "BALANCE"],
        movement.lines.map {
            [
                $0.kind.rawValue, $0.medicationCode, $0.lotNumber, $0.expiresOn.description, $0.locationCode,
                ($0.quantityChange > 0 ? "+" : "") + String($0.quantityChange), String($0.balanceAfter),
            ]
        })
}

/// The shelf a movement touches: site, location and medication, by code.
struct ShelfOptions: ParsableArguments {
    @Argument(help: "Site code.") var site: String
    @Option(help: "Location code, e.g. PHARM or CAB-A.") var location: String
    @Option(help: "Medication code, e.g. AMLO-5.") var medication: String

    /// The shelf's location and medicine at `site`, looked up by their codes.
    func resolve(at site: Site, _ cli: CLI) async throws -> (locationId: StockLocation.ID, medication: Medication) {
        let medication = try await cli.services.stock.medication(code: medication, actor: cli.actor)
        let location = try await cli.services.stock.location(siteId: site.id, code: location, actor: cli.actor)
        return (location.id, medication)
    }
}

struct StockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stock",
        abstract: "Receive, dispense, transfer, count and write off stock; read on-hand, alerts and the ledger.",
        subcommands: [
            Receive.self, Dispense.self, Transfer.self, Count.self, WriteOff.self, OnHand.self, Alerts.self,
            Ledger.self,
            Cover.self, Location.self, Level.self,
        ])

    struct Receive: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Book a delivery in.")
        @OptionGroup var shelf: ShelfOptions
        @Option(help: "Lot number.") var lot: String
        @Option(help: "Expiry date, YYYY-MM-DD.") var expires: String
        @Option(help: "Whole packs.") var packs: Int?
        @Option(help: "Loose units of issue.") var quantity: Int?
        @Option(help: "Why, e.g. delivery from the district warehouse.") var reason = "delivery"
        @Option(help: "Delivery note number.") var document: String?

        var siteCode: String { shelf.site }

        func run(_ cli: CLI, site: Site) async throws {
            guard packs != nil || quantity != nil else { throw ValidationError("give --packs, --quantity or both") }
            let expiry = try parseDate(expires, "--expires")
            let (locationId, med) = try await shelf.resolve(at: site, cli)
            let movement = try await cli.services.stock.receive(
                siteId: site.id,
                StockReceipt(
                    locationId: locationId, medicationId: med.id, lotNumber: lot, expiresOn: expiry,
                    quantity: quantity ?? 0, reason: reason, documentNumber: document, packs: packs ?? 0),
                actor: cli.actor)
            printMovement(movement)
        }
    }

    struct Dispense: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Issue stock first-expiry-first-out.")
        @OptionGroup var shelf: ShelfOptions
        @Option(help: "Units of issue.") var quantity: Int
        @Option(help: "Why.") var reason: String
        @Option(help: "Patient id, for a dispense to a patient.") var patient: Patient.ID?
        @Option(help: "Allow lots expiring within the margin, saying why.") var override: String?

        var siteCode: String { shelf.site }

        func run(_ cli: CLI, site: Site) async throws {
            let (locationId, med) = try await shelf.resolve(at: site, cli)
            let movement = try await cli.services.stock.dispense(
                siteId: site.id,
                StockDispense(
                    locationId: locationId, medicationId: med.id, quantity: quantity, patientId: patient,
                    reason: reason, overrideReason: override), actor: cli.actor)
            printMovement(movement)
        }
    }

    struct Transfer: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Move stock between two locations, all or nothing.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "From location code.") var from: String
        @Option(help: "To location code.") var to: String
        @Option(help: "Medication code.") var medication: String
        @Option(help: "Units of issue.") var quantity: Int
        @Option(help: "Why.") var reason: String
        @Option(help: "Transfer note number.") var document: String?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let med = try await cli.services.stock.medication(code: medication, actor: cli.actor)
            let movement = try await cli.services.stock.transfer(
                siteId: site.id,
                StockTransfer(
                    fromLocationId: try await cli.services.stock.location(siteId: site.id, code: from, actor: cli.actor)
                        .id,
                    toLocationId: try await cli.services.stock.location(siteId: site.id, code: to, actor: cli.actor).id,
                    medicationId: med.id,
                    quantity: quantity, reason: reason, documentNumber: document), actor: cli.actor)
            printMovement(movement)
        }
    }

    struct Count: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a count of one lot on one shelf; a variance needs --reason.")
        @OptionGroup var shelf: ShelfOptions
        @Option(help: "Lot number.") var lot: String
        @Option(help: "Units counted.") var counted: Int
        @Option(help: "Why the count differs from the books.") var reason: String?

        var siteCode: String { shelf.site }

        func run(_ cli: CLI, site: Site) async throws {
            let (locationId, med) = try await shelf.resolve(at: site, cli)
            let lotId = try await cli.services.stock.lot(
                siteId: site.id, medicationId: med.id, number: lot, actor: cli.actor
            ).lotId
            let movement = try await cli.services.stock.count(
                siteId: site.id,
                StockCount(
                    locationId: locationId, lotId: lotId,
                    countedQuantity: counted, reason: reason), actor: cli.actor)
            printMovement(movement)
        }
    }

    struct WriteOff: OneSiteCommand {
        static let configuration = CommandConfiguration(
            commandName: "write-off", abstract: "Remove unusable stock, with a reason.")
        @OptionGroup var shelf: ShelfOptions
        @Option(help: "Lot number.") var lot: String
        @Option(help: "Units of issue.") var quantity: Int
        @Option(help: "Why.") var reason: String

        var siteCode: String { shelf.site }

        func run(_ cli: CLI, site: Site) async throws {
            let (locationId, med) = try await shelf.resolve(at: site, cli)
            let lotId = try await cli.services.stock.lot(
                siteId: site.id, medicationId: med.id, number: lot, actor: cli.actor
            ).lotId
            let movement = try await cli.services.stock.writeOff(
                siteId: site.id,
                StockWriteOff(
                    locationId: locationId, lotId: lotId, quantity: quantity,
                    reason: reason), actor: cli.actor)
            printMovement(movement)
        }
    }

    struct OnHand: OneSiteCommand {
        static let configuration = CommandConfiguration(commandName: "on-hand", abstract: "Stock per lot and location.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Only this medication (code).") var medication: String?
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let medications = try await cli.services.stock.medications(actor: cli.actor)
            let medicationId = try medication.map { medication in
                guard let med = medications.first(where: { $0.code == medication }) else {
                    throw DomainError.notFound("no medication \(medication)")
                }
                return med.id
            }
            let stock = try await cli.services.stock.onHand(
                siteId: site.id, medicationId: medicationId, actor: cli.actor)
            if output.json { return try Output.json(stock) }
            let codes = Dictionary(uniqueKeysWithValues: medications.map { ($0.id, $0.code) })
            let locations = Dictionary(
                uniqueKeysWithValues: try await cli.services.stock.locations(siteId: site.id, actor: cli.actor).map {
                    ($0.id, $0.code)
                })
            Output.table(
                ["MEDICATION", "LOT", "EXPIRES", "LOCATION", "QUANTITY"],
                stock.map {
                    [
                        codes[$0.medicationId] ?? "", $0.lotNumber, $0.expiresOn.description,
                        locations[$0.locationId] ?? "", String($0.quantity),
                    ]
                })
        }
    }

    struct Alerts: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Expired stock, lots expiring soon, levels and short cover.")
        @Argument(help: "Site code.") var site: String
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let alerts = try await cli.services.stockCover.alerts(siteId: site.id, actor: cli.actor)
            if output.json { return try Output.json(alerts) }
            Output.table(
                ["ALERT", "MEDICATION", "LOT", "LOCATION", "QUANTITY", "DETAIL"],
                alerts.map {
                    [
                        $0.kind.rawValue, $0.medicationCode, $0.lotNumber ?? "", $0.locationCode ?? "",
                        String($0.quantity), $0.detail,
                    ]
                })
        }
    }

    struct Ledger: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "The stock ledger, oldest first.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Only this medication (code).") var medication: String?
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let medicationId = try await medication.asyncMap {
                try await cli.services.stock.medication(code: $0, actor: cli.actor).id
            }
            let lines = try await allPages {
                try await cli.services.stock.ledger(
                    siteId: site.id, medicationId: medicationId, page: $0, actor: cli.actor)
            }
            if output.json { return try Output.json(lines) }
            Output.table(
                ["ID", "OCCURRED", "KIND", "MEDICATION", "LOT", "LOCATION", "CHANGE", "BALANCE", "BY", "REASON"],
                lines.map {
                    [
                        String($0.id), Output.time($0.occurredAt, zone: site.timeZone), $0.kind.rawValue,
                        $0.medicationCode, $0.lotNumber,
                        $0.locationCode, ($0.quantityChange > 0 ? "+" : "") + String($0.quantityChange),
                        String($0.balanceAfter), $0.actorName, $0.reason,
                    ]
                })
        }
    }

    struct Cover: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Days of cover per medicine at the current orders.")
        @Argument(help: "Site code.") var site: String
        @OptionGroup var output: OutputOptions

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let cover = try await cli.services.stockCover.cover(siteId: site.id, actor: cli.actor)
            if output.json { return try Output.json(cover) }
            Output.table(
                ["MEDICATION", "USABLE", "DAILY USE", "DAYS OF COVER"],
                cover.map {
                    [
                        $0.medicationCode, String($0.usableOnHand), String($0.dailyUse),
                        $0.daysOfCover.map { String($0) } ?? "-",
                    ]
                })
        }
    }

    struct Location: OneSiteCommand {
        static let configuration = CommandConfiguration(abstract: "Add the site pharmacy or a zone cabinet.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Location code, e.g. PHARM or CAB-A.") var code: String
        @Option(help: "Name.") var name: String
        @Option(help: "pharmacy or cabinet.") var kind: String
        @Option(help: "Zone code of a cabinet.") var zone: String?

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let kind: StockLocationKind = try parseChoice(kind, "--kind")
            let zoneId = try await zone.asyncMap {
                try await cli.services.sites.zone(siteId: site.id, code: $0, actor: cli.actor).id
            }
            let location = try await cli.services.stock.createLocation(
                siteId: site.id, StockLocationDraft(code: code, name: name, kind: kind, zoneId: zoneId),
                actor: cli.actor)
            print("location \(location.code) added with id \(location.id)")
        }
    }

    struct Level: OneSiteCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a medicine's minimum and reorder levels at a site.")
        @Argument(help: "Site code.") var site: String
        @Option(help: "Medication code.") var medication: String
        @Option(help: "Minimum, in units of issue.") var minimum: Int
        @Option(help: "Reorder level, in units of issue.") var reorder: Int

        var siteCode: String { site }

        func run(_ cli: CLI, site: Site) async throws {
            let med = try await cli.services.stock.medication(code: medication, actor: cli.actor)
            try await cli.services.stock.setLevel(
                siteId: site.id, StockLevel(medicationId: med.id, minimum: minimum, reorder: reorder), actor: cli.actor)
            print("\(med.code) at \(site.code): minimum \(minimum), reorder at \(reorder)")
        }
    }
}
