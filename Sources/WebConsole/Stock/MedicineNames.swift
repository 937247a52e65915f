import Domain

/// The catalogue's medicines by code, for pages whose records name a medicine by its code: staff
/// read the name, with the code beside it where they use it.
struct MedicineNames: Sendable {
    let byCode: [String: Medication]

    /// The catalogue, or none for a role that may not read it: its pages then show codes.
    static func read(_ visit: Visit) async throws -> MedicineNames {
        let medications: [Medication]
        do {
            medications = try await visit.services.stock.medications(actor: visit.actor)
        } catch DomainError.forbidden {
            medications = []
        }
        return MedicineNames(byCode: Dictionary(medications.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The generic name and strength, or the code when the catalogue has no such medicine.
    func name(_ code: String) -> String { byCode[code]?.displayName ?? code }
}
