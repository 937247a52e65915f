/// The fields of a FHIR R4 result bundle Cordon reads, read in place by `JSONReader`: the rest
/// of each resource is checked as JSON and stepped over. Every field is read leniently: one of
/// the wrong type is absent (and then named as missing or unreadable), never a refusal of the
/// bundle. A list where FHIR has one value (or one where it has a list) is read either way.
struct FHIRDocument {
    var resourceType: String?
    var type: String?
    var entry: [Entry]?

    /// Reads a document; nil when it is JSON but not an object.
    init?(json: [UInt8]) throws(JSONReader.Malformed) {
        var reader = JSONReader(json)
        guard try reader.enterObject() else {
            try reader.finish()
            return nil
        }
        var first = true
        while let key = try reader.nextKey(&first) {
            switch key {
            case "resourceType": resourceType = try reader.string()
            case "type": type = try reader.string()
            case "entry": entry = try reader.list(Entry.init)?.map { $0 ?? Entry() }
            default: try reader.skipValue()
            }
        }
        try reader.finish()
    }

    struct Entry {
        var fullUrl: String?
        var resource: Resource?

        /// An entry that is not an object: one without a resource.
        init() {}

        init(_ reader: inout JSONReader) throws(JSONReader.Malformed) {
            try reader.members { (reader, key) throws(JSONReader.Malformed) in
                switch key {
                case "fullUrl": fullUrl = try reader.string()
                case "resource": resource = try reader.object(Resource.init)
                default: try reader.skipValue()
                }
            }
        }
    }

    struct Resource {
        var resourceType: String?
        var id: String?
        var identifier: [Identifier]?
        var accessionIdentifier: Identifier?
        var code: Concept?
        var valueCodeableConcept: Concept?
        var valueString: String?
        var valueQuantity: Quantity?
        var hasDataAbsentReason = false
        var effectiveDateTime: String?
        var issued: String?
        /// An Observation's one Specimen, or a DiagnosticReport's list.
        var specimen: [Reference]?
        var result: [Reference]?

        init(_ reader: inout JSONReader) throws(JSONReader.Malformed) {
            try reader.members { (reader, key) throws(JSONReader.Malformed) in
                switch key {
                case "resourceType": resourceType = try reader.string()
                case "id": id = try reader.string()
                case "identifier": identifier = try reader.oneOrList(Identifier.init)
                case "accessionIdentifier": accessionIdentifier = try reader.object(Identifier.init)
                case "code": code = try reader.object(Concept.init)
                case "valueCodeableConcept": valueCodeableConcept = try reader.object(Concept.init)
                case "valueString": valueString = try reader.string()
                case "valueQuantity": valueQuantity = try reader.object(Quantity.init)
                case "dataAbsentReason":
                    hasDataAbsentReason = true
                    try reader.skipValue()
                case "effectiveDateTime": effectiveDateTime = try reader.string()
                case "issued": issued = try reader.string()
                case "specimen": specimen = try reader.oneOrList(Reference.init)
                case "result": result = try reader.list(Reference.init)?.map { $0 ?? Reference() }
                default: try reader.skipValue()
                }
            }
        }
    }

    struct Identifier {
        var value: String?
        init(_ reader: inout JSONReader) throws(JSONReader.Malformed) {
            try reader.members { (reader, key) throws(JSONReader.Malformed) in
                if key == "value" { value = try reader.string() } else { try reader.skipValue() }
            }
        }
    }

    struct Coding {
        var system: String?
        var code: String?
        init(_ reader: inout JSONReader) throws(JSONReader.Malformed) {
            try reader.members { (reader, key) throws(JSONReader.Malformed) in
                switch key {
                case "system": system = try reader.string()
                case "code": code = try reader.string()
                default: try reader.skipValue()
                }
            }
        }
    }

    struct Concept {
        var coding: [Coding]?
        var text: String?
        init(_ reader: inout JSONReader) throws(JSONReader.Malformed) {
            try reader.members { (reader, key) throws(JSONReader.Malformed) in
                switch key {
                case "coding": coding = try reader.list(Coding.init)?.compactMap { $0 }
                case "text": text = try reader.string()
                default: try reader.skipValue()
                }
            }
        }
    }

    struct Quantity {
        /// The number; absent when the value is missing or not a JSON number (a string, true).
        var value: Double?
        var code: String?
        init(_ reader: inout JSONReader) throws(JSONReader.Malformed) {
            try reader.members { (reader, key) throws(JSONReader.Malformed) in
                switch key {
                case "value": value = try reader.number()
                case "code": code = try reader.string()
                default: try reader.skipValue()
                }
            }
        }
    }

    struct Reference {
        var reference: String?
        var identifier: Identifier?

        /// A reference that is not an object: one that names nothing.
        init() {}

        init(_ reader: inout JSONReader) throws(JSONReader.Malformed) {
            try reader.members { (reader, key) throws(JSONReader.Malformed) in
                switch key {
                case "reference": reference = try reader.string()
                case "identifier": identifier = try reader.object(Identifier.init)
                default: try reader.skipValue()
                }
            }
        }
    }
}

extension JSONReader {
    /// Calls `read` with the reader at each member's value of the object entered (the reader is
    /// at an object, as `object(_:)` checks).
    fileprivate mutating func members(
        _ read: (inout JSONReader, String) throws(Malformed) -> Void
    ) throws(Malformed) {
        var first = true
        while let key = try nextKey(&first) { try read(&self, key) }
    }

    /// The object at the reader read by `make`, or nil (the value skipped) when it is not one.
    fileprivate mutating func object<T>(_ make: (inout JSONReader) throws(Malformed) -> T) throws(Malformed) -> T? {
        guard try enterObject() else { return nil }
        return try make(&self)
    }

    /// The array of objects at the reader, with nil for an element that is not an object (so
    /// that the others keep their place); nil when the value is not an array.
    fileprivate mutating func list<T>(_ make: (inout JSONReader) throws(Malformed) -> T) throws(Malformed) -> [T?]? {
        guard try enterArray() else { return nil }
        var items: [T?] = []
        var first = true
        while try nextElement(&first) {
            items.append(try object(make))
        }
        return items
    }

    /// A list of objects (what is not an object left out), or one object read as a list of one.
    fileprivate mutating func oneOrList<T>(_ make: (inout JSONReader) throws(Malformed) -> T) throws(Malformed)
        -> [T]?
    {
        if isArray() { return try list(make)?.compactMap { $0 } }
        return try object(make).map { [$0] }
    }
}
