import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension APIImplementation {
    func listCarePlans(_ input: Operations.ListCarePlans.Input) async throws -> Operations.ListCarePlans.Output {
        let plans = try await services.care.plans(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: input.query.patientId.map(Patient.ID.init(rawValue:)),
            status: input.query.status?.converted(), actor: actor)
        return .ok(.init(body: .json(.init(items: plans.map { .init($0) }))))
    }

    func createCarePlan(_ input: Operations.CreateCarePlan.Input) async throws -> Operations.CreateCarePlan.Output {
        let b = try input.body.payload
        let plan = try await services.care.createPlan(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            patientId: try Parse.id(input.path.patientId, "patientId"),
            try b.draft(), actor: actor)
        return .created(
            .init(headers: .init(eTag: ETag.header(plan.version)), body: .json(.init(plan))))
    }

    func getCarePlan(_ input: Operations.GetCarePlan.Input) async throws -> Operations.GetCarePlan.Output {
        let plan = try await services.care.plan(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            planId: try Parse.id(input.path.planId, "planId"), actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(plan.version)), body: .json(.init(plan))))
    }

    func updateCarePlan(_ input: Operations.UpdateCarePlan.Input) async throws -> Operations.UpdateCarePlan.Output {
        let b = try input.body.payload
        let plan = try await services.care.updatePlan(
            siteId: try Parse.id(input.path.siteId, "siteId"), planId: try Parse.id(input.path.planId, "planId"),
            try b.draft(),
            expectedVersion: ETag.version(ifMatch: input.headers.ifMatch), actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(plan.version)), body: .json(.init(plan))))
    }

    func setCarePlanStatus(_ input: Operations.SetCarePlanStatus.Input) async throws
        -> Operations.SetCarePlanStatus.Output
    {
        let b = try input.body.payload
        let plan = try await services.care.setStatus(
            siteId: try Parse.id(input.path.siteId, "siteId"), planId: try Parse.id(input.path.planId, "planId"),
            to: b.status.converted(),
            expectedVersion: ETag.version(ifMatch: input.headers.ifMatch), actor: actor)
        return .ok(.init(headers: .init(eTag: ETag.header(plan.version)), body: .json(.init(plan))))
    }

    func addCareActivity(_ input: Operations.AddCareActivity.Input) async throws -> Operations.AddCareActivity.Output {
        let b = try input.body.payload
        guard let startsOn = try Parse.date(b.startsOn, "startsOn") else {
            throw DomainError.invalid("startsOn", "is required")
        }
        let draft = CareActivityDraft(
            kind: b.kind.converted(), description: b.description ?? "",
            medicationId: b.medicationId.map(Medication.ID.init(rawValue:)), doseUnits: b.doseUnits, route: b.route,
            timesOfDay: b.timesOfDay ?? [], measure: b.measure?.converted(), instrument: b.instrument?.converted(),
            startsOn: startsOn, endsOn: try Parse.date(b.endsOn, "endsOn"))
        let plan = try await services.care.addActivity(
            siteId: try Parse.id(input.path.siteId, "siteId"), planId: try Parse.id(input.path.planId, "planId"), draft,
            actor: actor)
        return .created(
            .init(headers: .init(eTag: ETag.header(plan.version)), body: .json(.init(plan))))
    }

    func listObservations(_ input: Operations.ListObservations.Input) async throws -> Operations.ListObservations.Output
    {
        let items = try await services.care.observations(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            planId: try Parse.id(input.path.planId, "planId"), actor: actor)
        return .ok(.init(body: .json(.init(items: items.map { .init($0) }))))
    }

    func recordObservation(_ input: Operations.RecordObservation.Input) async throws
        -> Operations.RecordObservation.Output
    {
        let b = try input.body.payload
        let observation = try await services.care.recordObservation(
            siteId: try Parse.id(input.path.siteId, "siteId"), planId: try Parse.id(input.path.planId, "planId"),
            ObservationEntry(
                activityId: b.activityId.map(CareActivity.ID.init(rawValue:)), measure: b.measure?.converted(),
                observedAt: b.observedAt, systolic: b.systolic,
                diastolic: b.diastolic, value: b.value, instrument: b.instrument?.converted(), score: b.score,
                note: b.note),
            actor: actor)
        return .created(.init(body: .json(.init(observation))))
    }

    func dispenseDose(_ input: Operations.DispenseDose.Input) async throws -> Operations.DispenseDose.Output {
        let b = try input.body.payload
        let movement = try await services.care.dispenseDose(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            activityId: try Parse.id(input.path.activityId, "activityId"),
            locationId: StockLocation.ID(rawValue: b.locationId), overrideReason: b.overrideReason,
            occurredAt: b.occurredAt, actor: actor,
            idempotencyKey: try Parse.key(input.headers.idempotencyKey))
        return .created(try movementResponse(movement))
    }

    func getDoseList(_ input: Operations.GetDoseList.Input) async throws -> Operations.GetDoseList.Output {
        let doses = try await services.care.doseList(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            date: try Parse.queryDate(input.query.date, "date"),
            zoneId: input.query.zoneId.map(Zone.ID.init(rawValue:)), actor: actor)
        return .ok(.init(body: .json(.init(items: doses.map { .init($0) }))))
    }

    func recordDoseNotGiven(_ input: Operations.RecordDoseNotGiven.Input) async throws
        -> Operations.RecordDoseNotGiven.Output
    {
        let b = try input.body.payload
        guard let date = try Parse.date(b.date, "date") else { throw DomainError.invalid("date", "is required") }
        let dose = try await services.care.recordNotGiven(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            DoseOmission(
                activityId: CareActivity.ID(rawValue: b.activityId), date: date, time: b.time, reason: b.reason),
            actor: actor)
        return .created(.init(body: .json(.init(dose))))
    }

    func getWorklist(_ input: Operations.GetWorklist.Input) async throws -> Operations.GetWorklist.Output {
        let worklist = try await services.care.worklist(
            siteId: try Parse.id(input.path.siteId, "siteId"),
            date: try Parse.queryDate(input.query.date, "date"), actor: actor)
        return .ok(.init(body: .json(.init(worklist))))
    }
}

extension Components.Schemas.CarePlanInput {
    func draft() throws -> CarePlanDraft {
        guard let reviewOn = try Parse.date(reviewOn, "reviewOn") else {
            throw DomainError.invalid("reviewOn", "is required")
        }
        return CarePlanDraft(conditions: conditions.map { $0.converted() }, goals: goals ?? "", reviewOn: reviewOn)
    }
}
