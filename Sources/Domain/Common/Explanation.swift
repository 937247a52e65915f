import Foundation

/// A sentence a rule says, kept as a key and its values so that each reader words it in its own
/// language: the API and the CLI read `english`, the console fills its own catalogue's template.
public struct Explanation: Sendable, Hashable, Codable {
    /// What goes into a template's `{name}`: text as it is (a name, a date, a number), another
    /// explanation, or several joined by the language's "and".
    public enum Value: Sendable, Hashable, Codable {
        case text(String)
        case said(Explanation)
        case all([Explanation])
        /// A catalogue word by `key` (a unit, a route, a role), or `fallback` as written when the
        /// catalogue has no such word: data a person typed need not be in any catalogue.
        case word(key: String, fallback: String)
        /// An instant: RFC 3339 in UTC for the API, the site's local time on a page.
        case time(Date)
    }

    public var key: String
    public var values: [String: Value]

    public init(_ key: String, _ values: [String: Value] = [:]) {
        self.key = key
        self.values = values
    }

    /// Fills `template(key)` with the values, depth first, in one pass over the template, so a
    /// value that itself contains `{name}` is shown as written. A missing template falls back to
    /// the English one, so a catalogue without a key still says something true.
    public func worded(by template: (String) -> String?) -> String {
        worded(by: template, wording: { String($0) }, data: { $0 }, time: { $0.formatted(.iso8601) })
    }

    /// The same, with the template's own words passed through `wording` and each text value
    /// (a name, a date, a number) through `data`: how a page escapes the one and marks the other.
    /// An instant is written by `time`.
    public func worded(
        by template: (String) -> String?, wording: (Substring) -> String, data: (String) -> String,
        time: (Date) -> String
    ) -> String {
        let text = template(key) ?? Self.english[key] ?? key
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += wording(rest[..<open])
            let name = String(rest[rest.index(after: open)..<close])
            if let value = values[name] {
                out += word(value, by: template, wording: wording, data: data, time: time)
            } else {
                out += wording(rest[open...close])
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + wording(rest)
    }

    private func word(
        _ value: Value, by template: (String) -> String?, wording: (Substring) -> String, data: (String) -> String,
        time: (Date) -> String
    ) -> String {
        switch value {
        case .text(let raw): return data(raw)
        case .time(let instant): return time(instant)
        case .said(let inner): return inner.worded(by: template, wording: wording, data: data, time: time)
        case .all(let parts):
            // A loop, not `map`: the closures are passed on, not captured.
            var worded: [String] = []
            for part in parts { worded.append(part.worded(by: template, wording: wording, data: data, time: time)) }
            return worded.joined(separator: wording(Substring(template("and") ?? Self.english["and"]!)))
        case .word(let key, let fallback):
            if let word = template(key) { return wording(Substring(word)) }
            return data(fallback)
        }
    }

    /// The English wording, as the API and the CLI give it.
    public var english: String { worded { Self.english[$0] } }

    /// The English template of every key a rule in Domain says. A translation keeps the `{names}`.
    public static let english: [String: String] = Dictionary(
        uniqueKeysWithValues: Profession.allCases.map { ("profession_\($0.rawValue)", $0.rawValue) }
    ).merging(RosterRule.allCases.map { ("rule_\($0.rawValue)", $0.rawValue) }) { first, _ in first }
        .merging(sentences) { _, sentence in sentence }

    private static let sentences: [String: String] = [
        "and": " and ",
        "hours": "{h} h",
        "hours_minutes": "{h} h {m} min",
        "profession_any": "any",
        "roster.shift": "{zone} {profession} {day} {time}",
        "roster.refusal": "{rule}: {reason}",
        "roster.refusal_on": "{rule}: {reason} [{shift}]",
        "roster.over_staffed": "{count} people on a shift for at most {max}",
        "roster.under_staffed": "{count} of at least {min} people; {missing} more needed",
        "roster.profession_mismatch": "{name} is a {profession}; the shift needs a {needed}",
        "roster.off_duty": "{name} is off duty",
        "roster.departed": "{name} is departed",
        "roster.team_away": "{name}'s team {team} is on site {stay}; the shift is on {day}",
        "roster.stay": "{from} to {to}",
        "roster.stay_open": "{from} to open end",
        "roster.ppe_none":
            "{name} has no PPE donning and doffing certification; the contaminated-zone shift is on {day}",
        "roster.ppe_expired":
            // The shift may be weeks ahead: the certificate lapses before it, whether or not it has yet.
            "{name}'s PPE certification is valid only until {expired}; the contaminated-zone shift is on {day}",
        "roster.ppe_not_yet": "{name}'s PPE certification is not yet valid; the contaminated-zone shift is on {day}",
        "roster.overlap": "{name} is already on {previous}, which overlaps",
        "roster.minimum_rest": "{name} rests {rest} after {previous}; the site's minimum is {minimum}",
        "roster.contaminated_cap":
            "{name} would be {continuous} in the contaminated zone without a break (from {since}); the cap is {cap}",
        "roster.consecutive_days": "{name} is on duty {days} days in a row (since {since}); more than {max} is warned",
        "stock.expired":
            "lot {lot} ({quantity} {unit}, {place}) expired {date}; remove it from the shelf and write it off",
        "stock.expiring": "lot {lot} ({quantity} {unit}, {place}) expires {date}, within {days} days",
        "stock.below_minimum": "{usable} {unit} usable, below the minimum of {level}",
        "stock.below_reorder": "{usable} {unit} usable, below the reorder level of {level}",
        "stock.low_cover": "{usable} {unit} cover {days} days of current orders ({daily} a day); below {limit} days",
        "board.strip_referral": "Referral overdue: {patient}, {step}, {minutes} min late",
        "board.strip_stock": "{count} stock alerts",
        "board.strip_bus": "Bus {bus}: {count} people expected at {time}",
        "board.strip_unplaced": "{count} people on bus {bus} have no bed yet",
        "flag.reading": "{measure} {value} {unit} ({limit})",
        "flag.severe_score": "{instrument} {score} (severe, {limit})",
        "worklist.last_measured": "last {measure} at {time}",
        "worklist.never_measured": "never measured",
        "release.no_test": "no nucleic-acid test recorded",
        "release.latest_fails": "latest test (sampled {sampled}) does not qualify: {why}",
        "release.test_fails": "test sampled {sampled} does not qualify: {why}",
        "release.below": "{values} below {threshold}",
        "release.n_gene_ct": "N-gene Ct {ct}",
        "release.orf1ab_ct": "ORF1ab Ct {ct}",
        "release.ct_missing": "a missing Ct value",
        "release.one_test":
            "only one qualifying test since the last positive one; a second, at least {hours} h later, is needed",
        "release.short_span": "qualifying tests span only {span} h; they must be at least {hours} h apart",
        "release.next_test": "next qualifying test may be sampled from {from}",
        "release.tests_not_met": "the tests do not yet meet the release rule",
        "release.fever": "a temperature of {value} °C at {at}: a fever within {hours} h",
        "release.not_signed_off": "no clinician has signed off yet",
        "release.news2_high": "NEWS2 {score} at {at}: it must be 2 or less",
        "release.news2_rising": "NEWS2 is rising ({previous}, then {score})",
        "release.news2_missing": "no complete set of vital signs has been scored yet",
        "release.symptoms_not_improved": "signed off without judging the symptoms improved, which this site asks for",
        "release.withdrawn_positive": "the sign-off was withdrawn at {at}: a positive result came after it",
        "release.withdrawn_tests":
            "the sign-off was withdrawn at {at}: a later result no longer meets the release rule",
        "release.withdrawn_fever": "the sign-off was withdrawn at {at}: a temperature of {value} °C was taken after it",
        "release.withdrawn_clinician": "the sign-off was withdrawn at {at} by a clinician: {why}",
        "intake.together": "with household {household} ({count} people) in {place}",
        "intake.near_station": "near the nurses' station: {why}",
        "intake.aged": "aged {age}",
        "intake.pregnancy": "pregnant",
        "intake.dialysis": "on dialysis",
        "intake.cancer_treatment": "in cancer treatment",
        "intake.chronic_disease": "a chronic disease",
        "intake.accessible": "an accessible bed: a disability",
        "intake.carer_missing": "needs a carer, and none travels with them: arrange one on arrival",
        "intake.kept_for": "{place} is kept for {sex}",
        "intake.female_plural": "women",
        "intake.male_plural": "men",
        "intake.opens": "opens {place}",
        "intake.joins": "joins {place}, already in use",
        "intake.no_guardian": "a child under {age} goes only with an adult of their household, and none is on the list",
        "intake.no_bed": "no free bed that keeps the rules: {needs}",
        "intake.no_beds_together": "no room or run of {count} adjacent free beds that keeps the rules: {needs}",
        "intake.for_female": "for a woman or women",
        "intake.for_male": "for a man or men",
        "intake.for_mixed": "for a household of women and men, in a room of its own or an open bay",
        "intake.need_near_station": "{count} near the nurses' station",
        "intake.need_accessible": "{count} accessible",
        "intake.bed_taken": "bed {bed} was taken meanwhile; a new bed is proposed",
        "intake.chosen": "chosen by staff",
        "intake.place_room": "room {room}",
        "intake.place_bay": "bay {bay}",
        "intake.place_ward": "zone {zone}",
        "swab.wrong_patient":
            "tube {accession} is {name}'s, in bed {bed}; the wristband scanned is another patient's. Nothing was recorded: take the tube printed for this patient",
        "box.scanned_twice": "tube {tube} is scanned twice",
        "box.not_this_site": "tube {tube} is not a tube of this site",
        "box.not_taken": "tube {tube} has not been taken",
        "box.already_sent": "tube {tube} is already sent",
        "box.cancelled": "tube {tube} was cancelled",
        "swab.other_day":
            "tube {accession} was printed for the round of {day}, not today's ({today}); use a tube of today's round",
    ]

    /// A length of time in whole minutes, as hours and minutes.
    public static func duration(seconds: Double) -> Explanation {
        let minutes = Int(seconds / 60)
        return minutes % 60 == 0
            ? Explanation("hours", ["h": .text(String(minutes / 60))])
            : Explanation("hours_minutes", ["h": .text(String(minutes / 60)), "m": .text(String(minutes % 60))])
    }
}

extension Profession {
    /// The profession as a value of an explanation: a catalogue word, `profession_nurse`, whose
    /// English is the raw value.
    var explained: Explanation.Value { .said(Explanation("profession_\(rawValue)")) }
}
