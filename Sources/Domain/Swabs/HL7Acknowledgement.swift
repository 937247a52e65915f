import Foundation

/// The ACK that answers an ORU^R01: AA when every result was recorded (or already was), AE when
/// some wait for review (an ERR for each, naming the segment and field), AR when the message
/// could not be read and nothing was taken.
public enum HL7Acknowledgement {
    public enum Code: String, Sendable {
        case accepted = "AA"
        case error = "AE"
        case rejected = "AR"
    }

    /// The ACK text, segments separated by carriage returns. `received` is the message answered,
    /// when its MSH could be read.
    public static func make(
        _ code: Code, answering received: HL7Message?, errors: [HL7Error], now: Date = Date()
    ) -> String {
        let controlId = received?.value("MSH", 10) ?? ""
        // HL7's DTM is iCalendar's UTC DATE-TIME without its T and Z.
        let stamp = ICalendar.utc(now).filter { $0.isNumber }
        let header = [
            "MSH", "^~\\&", "CORDON", "CORDON", escape(received?.value("MSH", 3) ?? ""),
            escape(received?.value("MSH", 4) ?? ""), stamp + "+0000", "", "ACK^R01^ACK",
            escape(String((controlId.isEmpty ? "UNKNOWN" : controlId).prefix(190))) + "-ACK", "P", "2.5.1",
        ].joined(separator: "|")
        var segments = [header, "MSA|\(code.rawValue)|\(escape(controlId))"]
        for error in errors.prefix(1000) {
            let location = "\(error.segment)^\(error.sequence)" + (error.field > 0 ? "^\(error.field)" : "")
            segments.append(
                "ERR||\(location)|\(error.code)^\(name(error.code))^HL70357|E||||\(escape(String(error.detail.prefix(400))))"
            )
        }
        return segments.joined(separator: "\r") + "\r"
    }

    /// HL7 table 0357's words for the codes Cordon sends.
    static func name(_ code: Int) -> String {
        switch code {
        case 100: "Segment sequence error"
        case 101: "Required field missing"
        case 102: "Data type error"
        case 103: "Table value not found"
        case 200: "Unsupported message type"
        case 201: "Unsupported event code"
        case 203: "Unsupported version id"
        case 204: "Unknown key identifier"
        case 205: "Duplicate key identifier"
        default: "Application internal error"
        }
    }

    /// Text made safe inside a field: the delimiters escaped, line breaks gone.
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\": out += "\\E\\"
            case "|": out += "\\F\\"
            case "^": out += "\\S\\"
            case "&": out += "\\T\\"
            case "~": out += "\\R\\"
            case "\r", "\n": out += " "
            default: out.append(c)
            }
        }
        return out
    }

    /// The ERR of a result that waits for review, at its OBR.
    public static func error(for receipt: ResultReceipt, unreadable: [HL7Error]) -> [HL7Error] {
        guard case .held(let reason, let detail) = receipt.outcome else { return [] }
        if reason == .invalid, !unreadable.isEmpty { return unreadable }
        let sequence = Int(receipt.place.split(separator: " ").last ?? "") ?? 1
        let code =
            switch reason {
            case .unknownAccession: 204
            case .contradicts: 205
            case .invalid: 102
            default: 207
            }
        return [HL7Error(segment: "OBR", sequence: sequence, field: 2, code: code, detail: detail)]
    }
}
