import Domain
import OpenAPIRuntime
import Services

/// What the request log says of an error: its kind and, for the generated server's errors, the
/// operation it happened in. Never the request (its headers hold the bearer token), its body
/// (an ID number, a phone) or a statement's parameters.
struct LogSafeError {
    var operation: String?
    var kind: String

    init(_ error: any Error) {
        if let server = error as? ServerError {
            let inner = LogSafeError(server.underlyingError)
            self.operation = server.operationID
            self.kind = inner.kind
            return
        }
        operation = nil
        if let database = ErrorSummary.database(error) {
            kind = database
        } else if let domain = error as? DomainError {
            // The case's name only: its payload may quote what the client sent.
            kind = "DomainError." + (Mirror(reflecting: domain).children.first?.label ?? "\(domain)")
        } else {
            kind = String(describing: type(of: error))
        }
    }
}
