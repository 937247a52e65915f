import Domain
import Foundation

/// `cordon roster show`: one row per shift slot (zone, role, times), one column per day; each
/// cell is people on the shift against its minimum, marked `!` below it.
struct RosterGrid {
    var shifts: [Shift]
    var from: CalendarDate
    var through: CalendarDate
    var timeZone: TimeZone
    var names: Bool

    func render() -> String {
        var days: [CalendarDate] = []
        var day = from
        while day <= through {
            days.append(day)
            day = day.adding(days: 1)
        }
        struct Slot: Hashable, Comparable {
            var time: String, zone: String, role: String
            static func < (a: Slot, b: Slot) -> Bool { (a.time, a.zone, a.role) < (b.time, b.zone, b.role) }
        }
        var cells: [Slot: [CalendarDate: String]] = [:]
        for shift in shifts {
            let slot = Slot(
                time:
                    "\(LocalTime.format(shift.startsAt, in: timeZone))-\(LocalTime.format(shift.endsAt, in: timeZone))",
                zone: shift.zoneCode, role: shift.requires?.rawValue ?? "any")
            let count = shift.assignments.count
            var cell = "\(count)/\(shift.minStaff)\(count < shift.minStaff ? "!" : "")"
            if names { cell += " " + shift.assignments.map(\.staffCode).joined(separator: ",") }
            cells[slot, default: [:]][CalendarDate(shift.startsAt, in: timeZone)] = cell
        }
        var out = ""
        let headers = ["SHIFT", "ZONE", "ROLE"] + days.map { String($0.description.dropFirst(5)) }
        let rows = cells.keys.sorted().map { slot in
            [slot.time, slot.zone, slot.role] + days.map { cells[slot]?[$0] ?? "" }
        }
        let widths = headers.indices.map { i in ([headers[i]] + rows.map { $0[i] }).map(Output.displayWidth).max() ?? 0
        }
        func line(_ row: [String]) -> String {
            row.enumerated().map { i, c in c + String(repeating: " ", count: max(0, widths[i] - Output.displayWidth(c)))
            }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        out += line(headers) + "\n"
        for row in rows { out += line(row) + "\n" }
        if rows.isEmpty { out += "(no shifts)\n" }
        out += "cells: people assigned / minimum; ! below minimum"
        return out
    }
}
