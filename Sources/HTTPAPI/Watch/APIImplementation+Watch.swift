import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension APIImplementation {
    func listVitalSigns(_ input: Operations.ListVitalSigns.Input) async throws -> Operations.ListVitalSigns.Output {
        let sets = try await services.vitalSigns.list(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"),
            limit: input.query.limit ?? 100, actor: actor)
        return .ok(.init(body: .json(sets.map(Components.Schemas.VitalSigns.init))))
    }

    func recordVitalSigns(_ input: Operations.RecordVitalSigns.Input) async throws
        -> Operations.RecordVitalSigns.Output
    {
        let b = try input.body.payload
        let kept = try await services.vitalSigns.record(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"),
            VitalSignsDraft(
                takenAt: b.takenAt, respirationRate: b.respirationRate, spo2: b.spo2, onOxygen: b.onOxygen,
                systolic: b.systolic, pulse: b.pulse, consciousness: b.consciousness?.converted(),
                temperature: b.temperature),
            actor: actor)
        return .created(.init(body: .json(.init(kept))))
    }

    func setSpO2Scale(_ input: Operations.SetSpO2Scale.Input) async throws -> Operations.SetSpO2Scale.Output {
        let b = try input.body.payload
        try await services.vitalSigns.setScale(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"),
            b.scale == ._2 ? .two : .one, actor: actor)
        return .noContent(.init())
    }
}

extension APIImplementation {
    func listDeteriorationAlerts(_ input: Operations.ListDeteriorationAlerts.Input) async throws
        -> Operations.ListDeteriorationAlerts.Output
    {
        let alerts = try await services.alerts.alerts(
            siteId: try Parse.id(input.path.siteId, "siteId"), openOnly: input.query.open ?? true, actor: actor)
        return .ok(.init(body: .json(alerts.map(Components.Schemas.DeteriorationAlert.init))))
    }

    func acknowledgeDeteriorationAlert(_ input: Operations.AcknowledgeDeteriorationAlert.Input) async throws
        -> Operations.AcknowledgeDeteriorationAlert.Output
    {
        let b = try input.body.payload
        let alert = try await services.alerts.acknowledge(
            siteId: try Parse.id(input.path.siteId, "siteId"), alertId: try Parse.id(input.path.alertId, "alertId"),
            action: b.action, actor: actor)
        return .ok(.init(body: .json(.init(alert))))
    }
}

extension Components.Schemas.DeteriorationAlert {
    init(_ v: AlertView) {
        let a = v.alert
        self.init(
            id: a.id.rawValue, patientId: a.patientId.rawValue, patientName: a.patientName, zone: a.zoneCode,
            bed: a.bedCode, level: a.level.converted(), score: a.score, vitalSignsId: a.vitalSignsId.rawValue,
            addressedTo: a.addressedTo, raisedAt: a.raisedAt, acknowledgedAt: a.acknowledgedAt,
            acknowledgedBy: a.acknowledgedBy, actionTaken: a.actionTaken, escalated: v.escalated)
    }
}

extension Components.Schemas.VitalSigns {
    init(_ v: VitalSigns) {
        let d = v.values
        self.init(
            id: v.id.rawValue, patientId: v.patientId.rawValue, takenAt: d.takenAt, recordedAt: v.recordedAt,
            takenBy: v.takenBy, spo2Scale: v.scale == .two ? ._2 : ._1, respirationRate: d.respirationRate,
            spo2: d.spo2, onOxygen: d.onOxygen, systolic: d.systolic, pulse: d.pulse,
            consciousness: d.consciousness?.converted(), temperature: d.temperature,
            news2: v.score.map {
                .init(
                    total: $0.total, redScore: $0.hasRedScore, response: $0.response.converted(),
                    respiration: $0.respiration, spo2: $0.spo2, oxygen: $0.oxygen, systolic: $0.systolic,
                    pulse: $0.pulse, consciousness: $0.consciousness, temperature: $0.temperature)
            })
    }
}
