import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Services

/// The site's temporary Party branch, for its secretary: officers and members, the patients
/// who checked in, the task board, and a fresh check-in poster to print.
struct BranchPages: Sendable {
    let visit: Visit
    let site: Site

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        @Sendable func branch(_ visit: Visit, _ context: Context) async throws -> BranchPages {
            BranchPages(visit: visit, site: try await visit.site(context))
        }
        router.get("/console/sites/:site/branch") { request, context in
            try await pages.signedIn(request) { visit in
                try await branch(visit, context).overview(notices: [], status: .ok)
            }
        }
        router.post("/console/sites/:site/branch/tasks/:task") { request, context in
            try await pages.signedInForm(request) { visit, form in
                try await branch(visit, context).moveTask(BranchTask.ID(try PathID.positive(context, "task")), form)
            }
        }
        router.post("/console/sites/:site/branch/posters") { request, context in
            try await pages.signedInForm(request) { visit, _ in try await branch(visit, context).issuePoster() }
        }
        router.get("/console/sites/:site/branch/posters/:code") { request, context in
            try await pages.signedIn(request) { visit in
                try await branch(visit, context).poster(try PathID.positive(context, "code"))
            }
        }
    }

    var base: String { "/console/sites/\(SitePages.pathCode(site))/branch" }
    var words: Catalogue { visit.words }

    func overview(notices: [String], status: HTTPResponse.Status) async throws -> Response {
        let services = visit.services
        let actor = visit.actor
        let branch = try await services.branch.activeBranch(siteId: site.id, actor: actor)
        let members = try await services.branch.members(siteId: site.id, actor: actor)
        let checkIns = try await services.branch.checkIns(siteId: site.id, actor: actor)
        let tasks = try await services.branch.tasks(siteId: site.id, actor: actor)
        let canManage = actor.holds(any: BranchService.managers, at: site.id)
        let tz = site.timeZone
        let model = BranchPage(
            base: base, name: branch.name, parent: branch.parentOrganisation,
            established: branch.establishedOn.description,
            officers: branch.officers.filter { $0.untilOn == nil }.map {
                .init(name: $0.staffName, office: words["office_\($0.office.rawValue)"], from: $0.fromOn.description)
            },
            members: members.map {
                .init(
                    name: $0.staffName, code: $0.staffCode, profession: words["profession_\($0.profession.rawValue)"],
                    joined: $0.joinedOn.description, role: words.word("branch_role", $0.role),
                    frontLine: $0.joinedFrontLine)
            },
            checkIns: checkIns.map {
                .init(
                    patient: $0.patientName, bed: $0.bedCode ?? "—", organisation: $0.homeOrganisation,
                    at: LocalTimeText.dayAndTime($0.checkedInAt, tz))
            },
            columns: BranchTaskStatus.allCases.map { column in
                .init(
                    label: words["task_\(column.rawValue)"],
                    tasks: tasks.filter { $0.status == column }.map { task in
                        .init(
                            id: task.id.rawValue, title: task.title, place: task.place, who: task.assigneeName ?? "—",
                            version: task.version,
                            when:
                                "\(LocalTimeText.dayAndTime(task.startsAt, tz))–\(LocalTime.format(task.endsAt, in: tz))",
                            moves: canManage
                                ? task.status.allowedNext.map {
                                    Choice(value: $0.rawValue, label: words["task_\($0.rawValue)"], selected: false)
                                } : [])
                    })
            },
            canManage: canManage, notices: notices, hasNotices: !notices.isEmpty)
        return try await visit.page("branch", title: "", named: branch.name, model: model, site: site, status: status)
    }

    func moveTask(_ id: BranchTask.ID, _ form: Form) async throws -> Response {
        try await visit.attempt {
            guard let to = form.text("to").flatMap(BranchTaskStatus.init) else {
                throw DomainError.invalid("to", "choose the task's next state")
            }
            _ = try await visit.services.branch.setTaskStatus(
                siteId: site.id, taskId: id, to: to, expectedVersion: form.text("version").flatMap(Int.init),
                actor: visit.actor)
            return WebConsole.redirect(to: base)
        } orShow: { issues, status in
            try await overview(notices: issues.map(\.detail), status: status)
        }
    }

    /// Issues a new check-in code and shows its poster, ready to print.
    func issuePoster() async throws -> Response {
        let code = try await visit.services.branch.issueCode(siteId: site.id, actor: visit.actor)
        return WebConsole.redirect(to: "\(base)/posters/\(code.codeId)")
    }

    func poster(_ codeId: Int64) async throws -> Response {
        let svg = try await visit.services.branch.poster(
            siteId: site.id, codeId: codeId, format: .svg, actor: visit.actor)
        var headers = HTTPFields()
        headers[.contentType] = "image/svg+xml"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: svg)))
    }
}

/// The site's Party branch: officers, members, check-ins and the task board.
struct BranchPage: PageModel {
    struct Officer: Sendable {
        var name: String
        var office: String
        var from: String
    }
    struct Member: Sendable {
        var name: String
        var code: String
        var profession: String
        var joined: String
        var role: String
        var frontLine: Bool
    }
    struct CheckIn: Sendable {
        var patient: String
        var bed: String
        var organisation: String
        var at: String
    }
    struct Column: Sendable {
        var label: String
        var tasks: [Task]
    }
    struct Task: Sendable {
        var id: Int64
        var title: String
        var place: String
        var who: String
        var version: Int
        var when: String
        /// The states a manager may move the task to.
        var moves: [Choice]
    }
    var base: String
    var name: String
    var parent: String
    var established: String
    var officers: [Officer]
    var members: [Member]
    var checkIns: [CheckIn]
    var columns: [Column]
    var canManage: Bool
    var notices: [String]
    var hasNotices: Bool
}
