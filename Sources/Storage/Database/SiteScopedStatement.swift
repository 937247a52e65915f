import Domain
import Foundation
import PostgresNIO

// Statements on the hot paths are prepared once per connection, so PostgreSQL parses and plans
// them once rather than on every call. Each lives beside the repository that runs it.

/// A statement whose one parameter is the site id.
protocol SiteScopedStatement: PostgresPreparedStatement {
    var siteId: Site.ID { get }
}

extension SiteScopedStatement {
    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(siteId)
        return bindings
    }
}
