import Domain

/// Per-request values that OpenAPI handlers cannot receive as arguments.
enum RequestScope {
    /// The authenticated caller, set by `AuthMiddleware`.
    @TaskLocal static var actor: Actor?
    /// The request id, set by `RequestLogMiddleware`.
    @TaskLocal static var requestId: String = "-"
    /// The client's IP address, when the connection has one; set by `RequestLogMiddleware`.
    @TaskLocal static var clientAddress: String?
    /// What the request turned out to be (its API operation), for its log line and metrics.
    @TaskLocal static var facts: RequestFacts?

    /// The caller, or `unauthenticated` outside an authenticated request.
    static func currentActor() throws -> Actor {
        guard let actor else { throw DomainError.unauthenticated }
        return actor
    }
}
