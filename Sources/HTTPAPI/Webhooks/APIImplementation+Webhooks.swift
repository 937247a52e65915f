import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension APIImplementation {
    func setHospitalWebhook(_ input: Operations.SetHospitalWebhook.Input) async throws
        -> Operations.SetHospitalWebhook.Output
    {
        let b = try input.body.payload
        let registered = try await services.hospitals.setWebhook(
            hospitalId: try Parse.id(input.path.hospitalId, "hospitalId"), url: b.url, actor: actor)
        return .ok(.init(body: .json(.init(registered))))
    }

    func removeHospitalWebhook(_ input: Operations.RemoveHospitalWebhook.Input) async throws
        -> Operations.RemoveHospitalWebhook.Output
    {
        let registered = try await services.hospitals.setWebhook(
            hospitalId: try Parse.id(input.path.hospitalId, "hospitalId"), url: nil, actor: actor)
        return .ok(.init(body: .json(.init(registered))))
    }

    func listWebhookEvents(_ input: Operations.ListWebhookEvents.Input) async throws
        -> Operations.ListWebhookEvents.Output
    {
        let hospitalId = try input.query.hospitalId.map { id -> Hospital.ID in try Parse.id(id, "hospitalId") }
        let page = try await services.webhooks.events(
            status: input.query.status?.converted(), hospitalId: hospitalId,
            page: try Parse.page(input.query.cursor, input.query.limit), actor: actor)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: page.items.map { .init($0) },
                        next: Parse.nextLink(
                            "/webhook-events",
                            [
                                ("status", input.query.status?.rawValue), ("hospitalId", hospitalId.map(String.init)),
                                ("limit", input.query.limit.map(String.init)),
                            ], cursor: page.nextCursor)))))
    }

    func getWebhookEvent(_ input: Operations.GetWebhookEvent.Input) async throws -> Operations.GetWebhookEvent.Output {
        let event = try await services.webhooks.event(id: try Parse.uuid(input.path.eventId, "eventId"), actor: actor)
        return .ok(.init(body: .json(.init(event))))
    }

    func retryWebhookEvent(_ input: Operations.RetryWebhookEvent.Input) async throws
        -> Operations.RetryWebhookEvent.Output
    {
        let event = try await services.webhooks.retry(id: try Parse.uuid(input.path.eventId, "eventId"), actor: actor)
        return .ok(.init(body: .json(.init(event))))
    }
}
