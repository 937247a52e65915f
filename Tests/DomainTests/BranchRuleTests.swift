import Domain
import Foundation
import Testing

@Suite("Party branch rules")
struct BranchRuleTests {
    @Test("a check-in names every field at fault")
    func submission() {
        let good = CheckInSubmission(
            code: "c.s", name: "何雅琴", idLast4: "123x", dateOfBirth: CalendarDate(year: 1971, month: 3, day: 8),
            homeOrganisation: "东林村党支部", phone: "139 0000 1003")
        #expect(throws: Never.self) { try good.validate() }
        var bad = good
        bad.idLast4 = "12X4"
        bad.phone = "call me"
        bad.name = " "
        #expect(
            throws: DomainError.invalid([
                FieldIssue(field: "name", detail: "must not be empty"),
                FieldIssue(
                    field: "idLast4", detail: "must be the last 4 characters of the ID number (digits, or X last)"),
                FieldIssue(
                    field: "phone", detail: "must be 5-20 digits, optionally with a leading +, spaces or dashes"),
            ])
        ) { try bad.validate() }
    }

    @Test("tasks: open -> in progress -> done, either may be cancelled; overdue when the window closed unfinished")
    func taskStatus() throws {
        try BranchTaskStatus.open.checkTransition(to: .inProgress)
        try BranchTaskStatus.inProgress.checkTransition(to: .done)
        try BranchTaskStatus.open.checkTransition(to: .cancelled)
        #expect(throws: DomainError.illegalTransition(from: "done", to: "in_progress", allowed: [])) {
            try BranchTaskStatus.done.checkTransition(to: .inProgress)
        }
        let now = Date()
        let task = BranchTask(
            id: 1, branchId: 1, title: "送餐", description: "", zoneId: nil, place: "",
            startsAt: now.addingTimeInterval(-7200),
            endsAt: now.addingTimeInterval(-3600), assigneeStaffId: nil, assigneeCheckInId: nil, assigneeName: nil,
            status: .open, version: 1)
        #expect(task.isOverdue(at: now))
        var done = task
        done.status = .done
        #expect(!done.isOverdue(at: now))
    }
}
