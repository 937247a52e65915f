import ArgumentParser
import Domain
import Foundation
import Services

extension BranchCommand {
    struct TaskCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "task", abstract: "Tasks and pioneer posts.",
            subcommands: [Add.self, List.self, Start.self, Done.self, Cancel.self])

        struct Add: OneSiteCommand {
            static let configuration = CommandConfiguration(
                abstract: "Add a task, optionally assigned to staff or a checked-in patient.")
            @Argument(help: "Site code.") var site: String
            @Option var title: String
            @Option var description: String = ""
            @Option(help: "Zone code.") var zone: String?
            @Option var place: String = ""
            @Option(help: "Start, YYYY-MM-DDTHH:MM where the site is.") var start: String
            @Option(help: "End, YYYY-MM-DDTHH:MM where the site is.") var end: String
            @Option(help: "Work number of the staff assignee.") var staff: String?
            @Option(help: "Check-in id of the patient assignee.") var checkIn: CheckIn.ID?

            var siteCode: String { site }

            func run(_ cli: CLI, site: Site) async throws {
                let draft = BranchTaskDraft(
                    title: title, description: description,
                    zoneId: try await zone.asyncMap { try await zoneId($0, site: site, cli.services, cli.actor) },
                    place: place, startsAt: try parseTime(start, "--start", zone: site.timeZone),
                    endsAt: try parseTime(end, "--end", zone: site.timeZone),
                    assigneeStaffId: try await staff.asyncMap {
                        try await cli.services.staff.member(siteId: site.id, code: $0, actor: cli.actor).id
                    },
                    assigneeCheckInId: checkIn)
                let task = try await cli.services.branch.createTask(siteId: site.id, draft, actor: cli.actor)
                print("task \(task.id): \(task.title) (\(task.status.rawValue))")
            }
        }

        struct List: OneSiteCommand {
            static let configuration = CommandConfiguration(abstract: "List the branch's tasks.")
            @Argument(help: "Site code.") var site: String
            @Option(help: "open, in_progress, done or cancelled.") var status: String?
            @OptionGroup var output: OutputOptions

            var siteCode: String { site }

            func run(_ cli: CLI, site: Site) async throws {
                let status: BranchTaskStatus? = try status.map { try parseChoice($0, "--status") }
                let tasks = try await cli.services.branch.tasks(siteId: site.id, status: status, actor: cli.actor)
                if output.json { return try Output.json(tasks) }
                let now = Date()
                Output.table(
                    ["ID", "TITLE", "PLACE", "FROM", "UNTIL", "ASSIGNEE", "STATUS"],
                    tasks.map {
                        [
                            String($0.id), $0.title, $0.place, Output.time($0.startsAt, zone: site.timeZone),
                            Output.time($0.endsAt, zone: site.timeZone),
                            $0.assigneeName ?? "", $0.status.rawValue + ($0.isOverdue(at: now) ? " (overdue)" : ""),
                        ]
                    })
            }
        }

        struct Start: TaskStatusCommand {
            static let configuration = CommandConfiguration(abstract: "Mark a task in progress.")
            @Argument(help: "Site code.") var site: String
            @Argument(help: "Task id.") var task: BranchTask.ID
            static let status = BranchTaskStatus.inProgress
            var siteCode: String { site }
        }

        struct Done: TaskStatusCommand {
            static let configuration = CommandConfiguration(abstract: "Mark a task done.")
            @Argument(help: "Site code.") var site: String
            @Argument(help: "Task id.") var task: BranchTask.ID
            static let status = BranchTaskStatus.done
            var siteCode: String { site }
        }

        struct Cancel: TaskStatusCommand {
            static let configuration = CommandConfiguration(abstract: "Cancel a task.")
            @Argument(help: "Site code.") var site: String
            @Argument(help: "Task id.") var task: BranchTask.ID
            static let status = BranchTaskStatus.cancelled
            var siteCode: String { site }
        }
    }
}

/// A command that moves one branch task to `status`.
protocol TaskStatusCommand: OneSiteCommand {
    static var status: BranchTaskStatus { get }
    var task: BranchTask.ID { get }
}

extension TaskStatusCommand {
    func run(_ cli: CLI, site: Site) async throws {
        let task = try await cli.services.branch.setTaskStatus(
            siteId: site.id, taskId: task, to: Self.status, expectedVersion: nil, actor: cli.actor)
        print("task \(task.id): \(task.status.rawValue)")
    }
}
