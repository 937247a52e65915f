import CordonAPI
import Domain
import Foundation
import Services

extension Components.Schemas.CarePlan {
    init(_ v: CarePlan) {
        self.init(
            id: wire(v.id),
            siteId: wire(v.siteId),
            patientId: wire(v.patientId),
            status: v.status.converted(),
            conditions: v.conditions.map { $0.converted() },
            goals: v.goals,
            reviewOn: v.reviewOn.description,
            authorName: v.authorName,
            version: v.version,
            activities: v.activities.map { .init($0) })
    }
}

extension Components.Schemas.CareActivity {
    init(_ v: CareActivity) {
        self.init(
            id: wire(v.id),
            kind: v.kind.converted(),
            description: v.description,
            medicationId: v.medicationId.map(wire),
            doseUnits: v.doseUnits,
            route: v.route,
            timesOfDay: v.timesOfDay,
            measure: v.measure?.converted(),
            instrument: v.instrument?.converted(),
            startsOn: v.startsOn.description,
            endsOn: v.endsOn?.description)
    }
}

extension Components.Schemas.Observation {
    init(_ v: Observation) {
        self.init(
            id: wire(v.id),
            planId: wire(v.planId),
            activityId: v.activityId.map(wire),
            measure: v.measure,
            observedAt: v.observedAt,
            systolic: v.systolic,
            diastolic: v.diastolic,
            value: v.value,
            instrument: v.instrument?.converted(),
            score: v.score,
            note: v.note,
            flag: v.flag,
            recordedBy: v.recordedBy)
    }
}

extension Components.Schemas.DoseDue {
    init(_ v: DoseDue) {
        self.init(
            patientId: wire(v.patientId),
            patientName: v.patientName,
            bedCode: v.bedCode,
            zoneId: v.zoneId.map(wire),
            activityId: wire(v.activityId),
            medicationCode: v.medicationCode,
            doseUnits: v.doseUnits,
            route: v.route,
            time: v.time,
            given: v.given,
            notGivenReason: v.notGivenReason)
    }
}

extension Components.Schemas.Worklist {
    init(_ v: Worklist) {
        self.init(
            siteId: wire(v.siteId),
            date: v.date.description,
            dosesDue: v.dosesDue.map { .init($0) },
            overdueObservations: v.overdueObservations.map {
                .init(
                    patientId: wire($0.patientId), patientName: $0.patientName, bedCode: $0.bedCode,
                    activityId: wire($0.activityId), measure: $0.measure.converted(), lastObservedAt: $0.lastObservedAt,
                    detail: $0.detail)
            },
            plansDueForReview: v.plansDueForReview.map {
                .init(
                    planId: wire($0.planId), patientId: wire($0.patientId), patientName: $0.patientName,
                    reviewOn: $0.reviewOn.description)
            },
            flaggedObservations: v.flaggedObservations.map {
                .init(
                    observationId: wire($0.observationId), patientId: wire($0.patientId), patientName: $0.patientName,
                    observedAt: $0.observedAt, flag: $0.flag)
            },
            stockAlerts: v.stockAlerts.map { .init($0) })
    }
}
