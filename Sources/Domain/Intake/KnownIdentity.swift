/// Someone of the site that an ID number on a transfer list already belongs to.
public struct KnownIdentity: Sendable, Equatable {
    public enum Place: Sendable, Equatable {
        case admitted(Patient.ID)
        case expected(list: String)
    }
    /// The whole, normalised number.
    public var nationalId: String
    public var name: String
    public var place: Place

    public init(nationalId: String, name: String, place: Place) {
        self.nationalId = nationalId
        self.name = name
        self.place = place
    }

    /// Why the list's row with this number is refused.
    public var refusal: String {
        switch place {
        case .admitted(let id): "already admitted at this site, as patient \(id)"
        case .expected(let list): "already expected at this site, on list \(list)"
        }
    }

    /// How the people of a list who are already at the site are reported to a reader who sees
    /// `disclosure` of identities. Naming the row that matched would tell a reader without the
    /// whole number which of the numbers they tried is someone's: an oracle for numbers they
    /// may not see. Such a reader is told who is already here, as they may see them, on the
    /// list as a whole; a reader who sees whole numbers gets each row named.
    public static func issues(_ known: [KnownIdentity], disclosure: IdentityDisclosure) -> RefusalShape {
        if disclosure.showsFullNationalID {
            return .byRow(Dictionary(known.map { ($0.nationalId, $0.refusal) }) { first, _ in first })
        }
        guard !known.isEmpty else { return .byRow([:]) }
        let people = known.map { person in
            let seen = "\(person.name) (ID ending \(NationalID.lastFourOnly(person.nationalId).suffix(4))"
            return switch person.place {
            case .admitted(let id): "\(seen), patient \(id))"
            case .expected(let list): "\(seen), on list \(list))"
            }
        }
        let count = known.count == 1 ? "1 person" : "\(known.count) people"
        return .whole(
            FieldIssue(
                field: "persons",
                detail:
                    "\(count) on this list already admitted or expected at this site: \(people.joined(separator: "; ")). Take them off the list and send it again; the rows are named only to those who may see whole ID numbers"
            ))
    }

    /// Where refusals for known people go: on each row (by normalised number), or on the list.
    public enum RefusalShape: Sendable, Equatable {
        case byRow([String: String])
        case whole(FieldIssue)
    }
}
