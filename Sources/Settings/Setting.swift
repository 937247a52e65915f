import Configuration
import Domain

/// One setting of Cordon: the environment variable that sets it, its default and what it means.
/// The list of them (`Setting.all`) is what `cordon settings`, `cordon --help` and the README's
/// table show, and what `CordonConfiguration.load` reads: one list, so none can be forgotten.
public struct Setting: Sendable, Hashable {
    /// The environment variable, e.g. `DATABASE_POOL_SIZE`.
    public let name: String
    /// The value used when the variable is unset, as a person would type it; empty when there is none.
    public let defaultValue: String
    /// What it means, in one line.
    public let meaning: String
    /// Never echoed back: a value that holds a password.
    public let isSecret: Bool

    init(_ name: String, _ defaultValue: String, _ meaning: String, secret: Bool = false) {
        self.name = name
        self.defaultValue = defaultValue
        self.meaning = meaning
        self.isSecret = secret
    }

    /// The key swift-configuration maps to this variable (`DATABASE_POOL_SIZE` is `database.pool.size`).
    var key: ConfigKey { ConfigKey(name.lowercased().replacingOccurrences(of: "_", with: ".")) }
}

/// Reads settings from a swift-configuration reader and refuses, by name, any value it cannot use:
/// a setting is either what the operator meant or the server does not start.
struct SettingsReader {
    let reader: ConfigReader

    /// The raw text set for `setting`, or its default.
    func text(_ setting: Setting) -> String {
        reader.string(forKey: setting.key, isSecret: setting.isSecret) ?? setting.defaultValue
    }

    /// The text when the variable is set, nil otherwise (settings without a default).
    func optionalText(_ setting: Setting) -> String? {
        reader.string(forKey: setting.key, isSecret: setting.isSecret)
    }

    func int(_ setting: Setting, _ range: ClosedRange<Int>, _ unit: String) throws -> Int {
        let raw = text(setting)
        guard let value = Int(raw.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw refused(
                setting, "must be a whole number of \(unit) between \(range.lowerBound) and \(range.upperBound)", raw)
        }
        return value
    }

    func double(_ setting: Setting, _ range: ClosedRange<Double>, _ unit: String) throws -> Double {
        let raw = text(setting)
        guard let value = Double(raw.trimmingCharacters(in: .whitespaces)), value.isFinite, range.contains(value) else {
            throw refused(
                setting,
                "must be a number of \(unit) between \(range.lowerBound.formatted()) and \(range.upperBound.formatted())",
                raw)
        }
        return value
    }

    func bool(_ setting: Setting) throws -> Bool {
        let raw = text(setting)
        switch raw.lowercased() {
        case "true", "yes", "1", "on": return true
        case "false", "no", "0", "off": return false
        default: throw refused(setting, "must be true or false", raw)
        }
    }

    /// The refusal of `raw` for `setting`, which never repeats a secret.
    func refused(_ setting: Setting, _ rule: String, _ raw: String) -> ConfigurationError {
        ConfigurationError("\(setting.name) \(rule), got \(setting.isSecret ? "(hidden)" : "'\(raw)'")")
    }
}

extension Double {
    fileprivate func formatted() -> String {
        self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self)
    }
}
