import Domain
import Foundation
import Logging
import PostgresNIO

/// Secret calendar addresses of a site's roster or one person's.
public struct CalendarFeedRepository: Sendable {
    private let connection: SQLConnection
    let logger: Logger

    init(_ connection: SQLConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Stores a feed by the hash of its secret; returns its id.
    public func insert(siteId: Site.ID, staffId: StaffMember.ID?, tokenHash: String) async throws -> Int64 {
        try await connection.single(
            """
            INSERT INTO calendar_feeds (site_id, staff_id, token_hash) VALUES (\(siteId), \(staffId), \(tokenHash))
                RETURNING id
            """, as: Int64.self, logger: logger)
    }

    /// Revokes a live feed; false when there is none with that id.
    public func revoke(siteId: Site.ID, id: Int64) async throws -> Bool {
        try await connection.single(
            """
            WITH revoked AS (UPDATE calendar_feeds SET revoked_at = now()
                             WHERE site_id = \(siteId) AND id = \(id) AND revoked_at IS NULL RETURNING 1)
            SELECT count(*)::int FROM revoked
            """, as: Int.self, logger: logger) == 1
    }

    /// The site and person of a live feed.
    public func feed(tokenHash: String) async throws -> (siteId: Site.ID, staffId: StaffMember.ID?)? {
        for try await r in try await connection.query(
            """
            SELECT site_id, staff_id FROM calendar_feeds WHERE token_hash = \(tokenHash) AND revoked_at IS NULL
            """, logger: logger
        ).decode((Site.ID, StaffMember.ID?).self) {
            return (r.0, r.1)
        }
        return nil
    }
}
