import Domain
import Storage

/// Look-ups every use case starts with, answering 404 when the record is not there.
extension Transaction {
    /// The site `id`, optionally locked for the rest of the transaction.
    func site(_ id: Site.ID, lock: Bool = false) async throws -> Site {
        try await sites.get(id, lock: lock).orNotFound("site")
    }
}
