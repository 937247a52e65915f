import Services

/// The settings as people read them: `cordon --help`, `cordon settings` and the README's table
/// are all printed from `Setting.all`, so they cannot disagree with what the server reads.
public enum SettingsDocumentation {
    /// The README's table: variable, default, meaning.
    public static var markdownTable: String {
        var lines = ["| variable | default | meaning |", "| --- | --- | --- |"]
        for setting in Setting.all {
            let value = setting.defaultValue.isEmpty ? "(none)" : "`\(setting.defaultValue)`"
            lines.append("| `\(setting.name)` | \(value) | \(setting.meaning) |")
        }
        return lines.joined(separator: "\n")
    }

    /// One line per setting for `cordon --help`: its name and default (the meanings are in
    /// `cordon settings` and the README; help text is rewrapped at 80 columns).
    public static var helpText: String {
        let width = (Setting.all.map(\.name.count).max() ?? 0) + 2
        return Setting.all.map { setting in
            "  " + setting.name.padding(toLength: width, withPad: " ", startingAt: 0)
                + (setting.defaultValue.isEmpty ? "(no default)" : String(setting.defaultValue.prefix(78 - width)))
        }.joined(separator: "\n")
    }

    /// Each setting with the value in force (secrets hidden) and whether it is the default.
    public static func current(environment: [String: String]) -> [(setting: Setting, value: String, isSet: Bool)] {
        Setting.all.map { setting in
            guard let raw = environment[setting.name] else { return (setting, setting.defaultValue, false) }
            return (setting, setting.isSecret ? Redaction.hide(raw) : raw, true)
        }
    }
}

/// Hides the password of a URL setting, keeping where it points.
enum Redaction {
    static func hide(_ value: String) -> String {
        value.contains("://") ? SchemaService.redacted(value) : "(hidden)"
    }
}
