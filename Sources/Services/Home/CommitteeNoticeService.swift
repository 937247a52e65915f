import Domain
import Foundation
import Storage

/// A notice with its acknowledgement link, and whether it is overdue.
public struct IssuedNotice: Sendable, Equatable {
    public var notice: CommitteeNotice
    /// The public page where the committee reads the list and acknowledges it.
    public var link: String
    /// Not acknowledged within `COMMITTEE_ACK_HOURS`: escalated.
    public var isOverdue: Bool
}

/// Telling the residential committees who comes home: the notices made when buses are planned,
/// read by the site through its release page and by each committee through a signed, expiring
/// public link where it acknowledges that it will receive them. One not acknowledged within
/// `ackHours` is overdue, and the site's pages say so.
public struct CommitteeNoticeService: Sendable {
    let database: Database
    let links: CommitteeNoticeLinks

    /// Looks of one address at notice links in a minute.
    public static let viewLimit = 30

    /// The site's notices, latest first, with their links.
    public func notices(siteId: Site.ID, actor: Actor) async throws -> [IssuedNotice] {
        try actor.require(ReleaseService.carers, at: siteId)
        return try await database.transaction(actor) { tx in
            _ = try await tx.site(siteId)
            let key = try await tx.certificates.signingKey(siteId: siteId)
            return try await tx.committeeNotices.notices(siteId: siteId).map { links.issued($0, keyHex: key) }
        }
    }

    /// How many of the site's notices are overdue.
    public func overdueCount(siteId: Site.ID, actor: Actor) async throws -> Int {
        try actor.require(ReleaseService.carers, at: siteId)
        return try await database.read(actor) { tx in
            try await tx.committeeNotices.overdueCount(siteId: siteId, hours: links.ackHours)
        }
    }

    /// The notice a link's code opens, for the committee; counted per address first.
    public func view(code: String, origin: Origin) async throws -> IssuedNotice {
        try await admit(origin)
        return try await read(code: code, origin: origin)
    }

    /// The committee says it will receive them; the first acknowledgement stands.
    public func acknowledge(code: String, name: String, origin: Origin) async throws -> IssuedNotice {
        try await admit(origin)
        let name = name.trimmedOfWhitespace
        guard (1...100).contains(name.count) else {
            throw DomainError.invalid("name", "say who acknowledges, in 1 to 100 characters")
        }
        let notice = try await read(code: code, origin: origin).notice
        return try await database.transaction(Self.visitor(origin)) { tx in
            _ = try await tx.committeeNotices.acknowledge(siteId: notice.siteId, id: notice.id, by: name)
            let key = try await tx.certificates.signingKey(siteId: notice.siteId)
            let again = try await tx.committeeNotices.notices(siteId: notice.siteId, id: notice.id)[0]
            return links.issued(again, keyHex: key)
        }
    }

    private static func visitor(_ origin: Origin) -> Actor {
        Actor(userId: nil, username: "committee", grants: [], origin: origin)
    }

    private func admit(_ origin: Origin) async throws {
        let address = RateLimiter.address(of: origin)
        try await RateLimiter(database: database).admit(
            bucket: "committee-notice:\(address)", limit: Self.viewLimit, window: 60,
            what: "too many looks at committee notices from this address")
    }

    /// The notice a genuine, unexpired code names; any other code is not found.
    private func read(code: String, origin: Origin) async throws -> IssuedNotice {
        let unknown = DomainError.notFound("notice (this link is not one Cordon sent)")
        guard let claims = SignedLinkCodes.claims(of: code), claims.purpose == .committeeNotice else { throw unknown }
        let found = try await database.read(Self.visitor(origin)) { tx -> IssuedNotice in
            guard let key = try await tx.certificates.existingSigningKey(siteId: claims.siteId),
                SignedLinkCodes.isGenuine(code, keyHex: key),
                let notice = try await tx.committeeNotices.notices(
                    siteId: claims.siteId, id: CommitteeNotice.ID(claims.recordId)
                ).first
            else { throw unknown }
            return links.issued(notice, keyHex: key)
        }
        guard Date().timeIntervalSince(found.notice.sentAt) < CommitteeNotice.linkLifetime else {
            throw DomainError.expired("this link has expired; ask the site for the list")
        }
        return found
    }
}

/// The signed acknowledgement link of a notice, and what a committee's system is sent of it.
struct CommitteeNoticeLinks: Sendable {
    /// Cordon's public address, which the links start with.
    let baseURL: String
    /// Hours a committee has to acknowledge before the notice is overdue (`COMMITTEE_ACK_HOURS`).
    let ackHours: Int

    func issued(_ notice: CommitteeNotice, keyHex: String) -> IssuedNotice {
        let code = SignedLinkCodes.sign(
            .init(purpose: .committeeNotice, siteId: notice.siteId, recordId: notice.id.rawValue), keyHex: keyHex)
        return IssuedNotice(
            notice: notice, link: baseURL + "/committee-notice/" + code, isOverdue: notice.isOverdue(after: ackHours))
    }

    /// The webhook body for the notice's committee.
    func payload(_ notice: CommitteeNotice, keyHex: String) -> CommitteeArrivalsPayload {
        CommitteeArrivalsPayload(notice: notice, link: issued(notice, keyHex: keyHex).link, ackHours: ackHours)
    }
}
