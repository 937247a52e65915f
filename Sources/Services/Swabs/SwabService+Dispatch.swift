import Domain
import Foundation
import LabelPDF
import NIOPosix
import Storage

extension SwabService {
    /// A box with the tubes in it.
    public struct PackedBox: Sendable, Codable, Equatable {
        public var box: SpecimenBox
        public var tubes: [Specimen]
    }

    /// Sends collected tubes to a laboratory in one box: the tubes scanned into it, or (`nil`)
    /// every collected tube of the site not yet sent. All or nothing: a tube not taken, already
    /// sent, of another site or scanned twice refuses the box, each named by its place. Two
    /// boxes packed at once never hold the same tube.
    /// The numbers are read here, after the role check, so that someone without a role at the
    /// site learns nothing from how their input is refused.
    public func dispatch(
        siteId: Site.ID, laboratoryId: Laboratory.ID, scanned raw: [String]?, actor: Actor
    ) async throws -> PackedBox {
        try actor.require(Self.carers, at: siteId)
        var v = Validator()
        var read: [AccessionNumber] = []
        for (i, text) in (raw ?? []).enumerated() {
            do {
                read.append(try AccessionNumber(parsing: text, field: "accessions[\(i)]"))
            } catch DomainError.invalid(let issues) {
                for issue in issues { v.fail(issue.field, issue.detail) }
            }
        }
        try v.finish()
        let scanned = raw == nil ? nil : read
        return try await database.transaction(actor) { tx in
            let site = try await tx.site(siteId)
            guard site.status == .open else {
                throw DomainError.conflict("site \(site.code) is \(site.status.rawValue); it sends no tubes")
            }
            let labs = tx.laboratories
            guard try await labs.laboratory(laboratoryId) != nil else {
                throw DomainError.invalid("laboratoryId", "no laboratory with id \(laboratoryId)")
            }
            let tubes: [AccessionNumber]
            if let scanned {
                try SpecimenBox.checkPacking(scanned, found: try await labs.statuses(siteId: siteId, scanned))
                tubes = scanned
            } else {
                tubes = try await labs.collectedUnsent(siteId: siteId, limit: SpecimenBox.largest)
                guard !tubes.isEmpty else {
                    throw DomainError.conflict("no collected tube is waiting to be sent", field: "accessions")
                }
            }
            let boxId = try await labs.insertBox(siteId: siteId, laboratoryId: laboratoryId, by: actor.userId)
            guard try await labs.pack(siteId: siteId, boxId: boxId, tubes) == tubes.count else {
                throw DomainError.conflict(
                    "some of these tubes were put in another box meanwhile; scan the box again", field: "accessions")
            }
            let box = try await labs.box(siteId: siteId, id: boxId)!
            try await tx.audit.created(
                "specimen_box", id: boxId, siteId: siteId,
                BoxAudit(laboratory: box.laboratory.code, tubes: tubes.map(\.description)), action: "send")
            return PackedBox(box: box, tubes: try await tx.specimens.boxTubes(siteId: siteId, boxId: boxId))
        }
    }

    struct BoxAudit: Encodable {
        var laboratory: String
        var tubes: [String]
    }

    /// The site's boxes, latest first.
    public func boxes(siteId: Site.ID, actor: Actor) async throws -> [SpecimenBox] {
        try actor.require(Self.carers, at: siteId)
        return try await database.read(actor) { tx in
            _ = try await tx.site(siteId)
            return try await tx.laboratories.boxes(siteId: siteId, limit: 200)
        }
    }

    /// One box and its tubes.
    public func box(siteId: Site.ID, boxId: SpecimenBox.ID, actor: Actor) async throws -> PackedBox {
        try actor.require(Self.carers, at: siteId)
        return try await database.read(actor) { tx in
            let box = try await tx.laboratories.box(siteId: siteId, id: boxId).orNotFound("box")
            return PackedBox(box: box, tubes: try await tx.specimens.boxTubes(siteId: siteId, boxId: boxId))
        }
    }

    /// A box's manifest as CSV: one line per tube in the box, so its count is the box's.
    public func manifestCSV(siteId: Site.ID, boxId: SpecimenBox.ID, actor: Actor) async throws -> String {
        let (site, packed) = try await manifest(siteId: siteId, boxId: boxId, actor: actor)
        return try CSVText.write(
            header: ["accession", "name", "bed", "round_date", "collected_at"],
            rows: packed.tubes.map {
                [
                    $0.accession.description, $0.patientName, $0.bedCode, $0.roundDate.description,
                    $0.collectedAt.map { Self.siteTime($0, site) } ?? "",
                ]
            })
    }

    /// A box's manifest as a PDF to put in the box: site, laboratory, box, time, the count, then
    /// the tubes.
    public func manifestPDF(siteId: Site.ID, boxId: SpecimenBox.ID, actor: Actor) async throws -> Data {
        let (site, packed) = try await manifest(siteId: siteId, boxId: boxId, actor: actor)
        let box = packed.box
        let title = [
            "\(site.name) (\(site.code)) → \(box.laboratory.name) (\(box.laboratory.code))",
            "#\(box.id)  \(Self.siteTime(box.sentAt, site))  \(box.tubes)",
        ]
        let rows = packed.tubes.enumerated().map { index, tube in
            [
                String(index + 1), tube.accession.description, tube.patientName, tube.bedCode,
                tube.collectedAt.map { Self.siteTime($0, site) } ?? "",
            ]
        }
        return try await NIOThreadPool.singleton.runIfActive {
            try LabelPDF.table(
                title: title, header: ["#", "accession", "name", "bed", "collected_at"], shares: [1, 4, 4, 3, 4],
                rows: rows)
        }
    }

    /// The site and the box with its tubes, in one read.
    private func manifest(siteId: Site.ID, boxId: SpecimenBox.ID, actor: Actor) async throws -> (Site, PackedBox) {
        try actor.require(Self.carers, at: siteId)
        return try await database.read(actor) { tx in
            let site = try await tx.site(siteId)
            let box = try await tx.laboratories.box(siteId: siteId, id: boxId).orNotFound("box")
            return (site, PackedBox(box: box, tubes: try await tx.specimens.boxTubes(siteId: siteId, boxId: boxId)))
        }
    }

    /// `YYYY-MM-DD HH:MM` in the site's time zone, as every file Cordon writes for people.
    static func siteTime(_ date: Date, _ site: Site) -> String {
        "\(CalendarDate(date, in: site.timeZone)) \(LocalTime.format(date, in: site.timeZone))"
    }
}
