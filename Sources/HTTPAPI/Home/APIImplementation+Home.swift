import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension APIImplementation {
    func listReleaseBuses(_ input: Operations.ListReleaseBuses.Input) async throws
        -> Operations.ListReleaseBuses.Output
    {
        let buses = try await services.buses.list(siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(.init(body: .json(.init(buses: buses.map(Components.Schemas.ReleaseBus.init)))))
    }

    func planReleaseBuses(_ input: Operations.PlanReleaseBuses.Input) async throws
        -> Operations.PlanReleaseBuses.Output
    {
        let body = try input.body.payload
        let plan = try await services.buses.plan(
            siteId: try Parse.id(input.path.siteId, "siteId"), seats: body.seats, departsAt: body.departsAt,
            actor: actor)
        return .created(
            .init(
                body: .json(
                    .init(
                        buses: plan.buses.map(Components.Schemas.ReleaseBus.init),
                        unplaced: plan.unplaced.map { .init(patientId: $0.patientId.rawValue, name: $0.name) }))))
    }

    func getReleaseBusManifest(_ input: Operations.GetReleaseBusManifest.Input) async throws
        -> Operations.GetReleaseBusManifest.Output
    {
        let siteId: Site.ID = try Parse.id(input.path.siteId, "siteId")
        let busId: ReleaseBus.ID = try Parse.id(input.path.busId, "busId")
        if input.query.format?.rawValue == "pdf" {
            let pdf = try await services.buses.manifestPDF(siteId: siteId, busId: busId, actor: actor)
            return .ok(.init(body: .pdf(HTTPBody(pdf))))
        }
        let csv = try await services.buses.manifestCSV(siteId: siteId, busId: busId, actor: actor)
        return .ok(.init(body: .csv(HTTPBody(csv))))
    }

    func departReleaseBus(_ input: Operations.DepartReleaseBus.Input) async throws
        -> Operations.DepartReleaseBus.Output
    {
        let bus = try await services.buses.depart(
            siteId: try Parse.id(input.path.siteId, "siteId"), busId: try Parse.id(input.path.busId, "busId"),
            actor: actor)
        return .ok(.init(body: .json(.init(bus))))
    }

    func listResidentialCommittees(_ input: Operations.ListResidentialCommittees.Input) async throws
        -> Operations.ListResidentialCommittees.Output
    {
        let committees = try await services.committees.list(
            districtId: try Parse.id(input.path.districtId, "districtId"), actor: actor)
        return .ok(.init(body: .json(committees.map(Components.Schemas.ResidentialCommittee.init))))
    }

    func createResidentialCommittee(_ input: Operations.CreateResidentialCommittee.Input) async throws
        -> Operations.CreateResidentialCommittee.Output
    {
        let body = try input.body.payload
        let committee = try await services.committees.create(
            districtId: try Parse.id(input.path.districtId, "districtId"),
            ResidentialCommitteeDraft(
                name: body.name, street: body.street, contactName: body.contactName, contactPhone: body.contactPhone),
            actor: actor)
        return .created(.init(body: .json(.init(committee))))
    }

    func setCommitteeWebhook(_ input: Operations.SetCommitteeWebhook.Input) async throws
        -> Operations.SetCommitteeWebhook.Output
    {
        let body = try input.body.payload
        let registered = try await services.committees.setWebhook(
            try Parse.id(input.path.committeeId, "committeeId"), url: body.url, actor: actor)
        return .ok(.init(body: .json(.init(registered))))
    }

    func removeCommitteeWebhook(_ input: Operations.RemoveCommitteeWebhook.Input) async throws
        -> Operations.RemoveCommitteeWebhook.Output
    {
        let registered = try await services.committees.setWebhook(
            try Parse.id(input.path.committeeId, "committeeId"), url: nil, actor: actor)
        return .ok(.init(body: .json(.init(registered))))
    }
}

extension APIImplementation {
    func listCommitteeNotices(_ input: Operations.ListCommitteeNotices.Input) async throws
        -> Operations.ListCommitteeNotices.Output
    {
        let notices = try await services.committeeNotices.notices(
            siteId: try Parse.id(input.path.siteId, "siteId"), actor: actor)
        return .ok(
            .init(
                body: .json(
                    notices.map { issued in
                        let n = issued.notice
                        return .init(
                            id: n.id.rawValue, committee: n.committee, busId: n.busId.rawValue,
                            destination: n.destination, departsAt: n.departsAt, sentAt: n.sentAt,
                            acknowledgedAt: n.acknowledgedAt, acknowledgedBy: n.acknowledgedBy,
                            overdue: issued.isOverdue, link: issued.link,
                            arrivals: n.arrivals.map(Components.Schemas.BusPassenger.init))
                    })))
    }
}

extension Components.Schemas.BusPassenger {
    init(_ p: ReleaseBus.Passenger) {
        self.init(
            patientId: p.patientId.rawValue, name: p.name, committee: p.committee, household: p.household,
            seats: p.seats, releasedAt: p.releasedAt, monitoringEndsOn: p.monitoringEndsOn.description)
    }
}

extension Components.Schemas.ReleaseBus {
    init(_ bus: ReleaseBus) {
        self.init(
            id: bus.id.rawValue, destination: bus.destination, seats: bus.seats, seatsTaken: bus.seatsTaken,
            departsAt: bus.departsAt, departedAt: bus.departedAt, plannedBy: bus.plannedBy,
            passengers: bus.passengers.map(Components.Schemas.BusPassenger.init))
    }
}

extension Components.Schemas.ResidentialCommittee {
    init(_ c: ResidentialCommittee) {
        self.init(
            id: c.id.rawValue, districtId: c.districtId.rawValue, name: c.name, street: c.street,
            contactName: c.contactName, contactPhone: c.contactPhone, webhookUrl: c.webhookUrl)
    }
}

extension Components.Schemas.RegisteredCommittee {
    init(_ r: CommitteeService.Registered) {
        self.init(committee: .init(r.committee), webhookSecret: r.webhookSecret)
    }
}
