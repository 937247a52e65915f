import ArgumentParser
import Foundation
import Settings

struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "List every setting with the value in force, and check them all (exits 1 naming a bad one).")

    @Flag(help: "Print the README's table of settings instead.") var markdown = false

    func run() throws {
        if markdown { return print(SettingsDocumentation.markdownTable) }
        let environment = ProcessInfo.processInfo.environment
        for (setting, value, isSet) in SettingsDocumentation.current(environment: environment) {
            print("\(setting.name)=\(value)\(isSet ? "" : "    (default)")")
        }
        _ = try CordonConfiguration.load(environment: environment)
    }
}
