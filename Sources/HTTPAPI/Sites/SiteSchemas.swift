import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension Components.Schemas.Site {
    init(_ s: Site) {
        self.init(
            id: s.id.rawValue, code: s.code, name: s.name, district: s.district, address: s.address,
            kind: s.kind.converted(),
            bedCapacity: s.bedCapacity, timeZone: s.timeZone.identifier, openedOn: s.openedOn?.description,
            closedOn: s.closedOn?.description, status: s.status.converted(), version: s.version)
    }
}

extension Components.Schemas.SiteInput {
    func draft() throws -> SiteDraft {
        SiteDraft(
            code: code, name: name, district: district, address: address ?? "", kind: kind.converted(),
            bedCapacity: bedCapacity, timeZone: timeZone ?? "Asia/Shanghai",
            openedOn: try Parse.date(openedOn, "openedOn"), closedOn: try Parse.date(closedOn, "closedOn"),
            status: status?.converted() ?? .open)
    }
}

extension Components.Schemas.Zone {
    init(_ z: Zone) {
        self.init(id: z.id.rawValue, siteId: z.siteId.rawValue, code: z.code, name: z.name, kind: z.kind.converted())
    }
}

extension Components.Schemas.Bed {
    init(_ b: Bed) {
        let a = b.attributes
        self.init(
            id: b.id.rawValue, siteId: b.siteId.rawValue, zoneId: b.zoneId.rawValue, code: b.code,
            status: b.status.converted(),
            attributes: .init(
                room: a.room, bay: a.bay, nearStation: a.nearStation, accessible: a.accessible, oxygen: a.oxygen,
                singleSex: a.singleSex?.converted()),
            version: b.version)
    }
}

extension BedAttributes {
    /// What a client sent; anything left out is unset or false.
    init(_ input: Components.Schemas.BedAttributesInput?) {
        self.init(
            room: input?.room, bay: input?.bay, nearStation: input?.nearStation ?? false,
            accessible: input?.accessible ?? false, oxygen: input?.oxygen ?? false,
            singleSex: input?.singleSex?.converted())
    }
}

extension Components.Schemas.BedCounts {
    init(_ c: BedCounts) {
        self.init(
            free: c.free, occupied: c.occupied, cleaning: c.cleaning, outOfService: c.outOfService, total: c.total)
    }
}

extension Components.Schemas.Census {
    init(_ c: Census) {
        self.init(
            siteId: c.siteId.rawValue,
            bedsByZone: c.bedsByZone.map {
                .init(
                    zoneId: $0.zoneId.rawValue, zoneCode: $0.zoneCode, zoneKind: $0.zoneKind.converted(),
                    beds: .init($0.beds))
            },
            totals: .init(c.totals), admittedPatients: c.admittedPatients,
            days: c.days.map { .init(date: $0.date.description, admissions: $0.admissions, discharges: $0.discharges) },
            eligibleForDischargeCount: c.eligibleForDischargeCount,
            eligibleForDischarge: c.eligibleForDischarge.map {
                .init(patientId: $0.patientId.rawValue, name: $0.name, bedCode: $0.bedCode)
            })
    }
}
