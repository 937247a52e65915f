import CordonAPI
import Domain
import Foundation
import OpenAPIRuntime
import Services

extension APIImplementation {
    func listDistricts(_ input: Operations.ListDistricts.Input) async throws -> Operations.ListDistricts.Output {
        let districts = try await services.districts.districts(actor: actor)
        return .ok(.init(body: .json(.init(items: districts.map { .init(id: $0.id.rawValue, name: $0.name) }))))
    }

    func getDistrictBoard(_ input: Operations.GetDistrictBoard.Input) async throws -> Operations.GetDistrictBoard.Output
    {
        let board = try await services.districts.board(
            districtId: try Parse.id(input.path.districtId, "districtId"), actor: actor)
        return .ok(.init(body: .json(.init(board))))
    }

    func adviseNextBus(_ input: Operations.AdviseNextBus.Input) async throws -> Operations.AdviseNextBus.Output {
        let body = try input.body.payload
        let districtId: District.ID = try Parse.id(input.path.districtId, "districtId")
        let advice: NextBusAdvice
        switch (body.counts, body.persons) {
        case (let counts?, nil):
            let demand = BusDemand(
                women: counts.women, men: counts.men, nearStation: counts.nearStation ?? 0,
                accessible: counts.accessible ?? 0)
            advice = try await services.districts.nextBus(districtId: districtId, demand: demand, actor: actor)
        case (nil, let persons?):
            let list = try Components.Schemas.TransferListInput(reference: "next bus", persons: persons).transferList()
            advice = try await services.districts.nextBus(districtId: districtId, persons: list.persons, actor: actor)
        default:
            throw DomainError.invalid("counts", "give the bus as counts or as persons, one of the two")
        }
        return .ok(.init(body: .json(.init(advice))))
    }
}
