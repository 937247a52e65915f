import AsyncHTTPClient
import Logging
import Synchronization

/// The dispatcher's HTTP clients. A host named by an address is reached through one shared
/// client; a host named by a name through a client pinned to the address the endpoint check
/// approved (`dnsOverride`: the certificate is still checked against the name), so the
/// connection never makes a second lookup that could answer differently. A pinned client is
/// kept per host and replaced when the host's address changes.
final class WebhookClients: Sendable {
    private let configuration: HTTPClient.Configuration
    private let direct: HTTPClient
    private struct Pinned {
        var address: String
        var client: HTTPClient
    }
    private let pinned = Mutex<[String: Pinned]>([:])
    /// Clients replaced while a delivery might still use them; shut down when the dispatcher stops.
    private let retired = Mutex<[HTTPClient]>([])

    init(configuration: HTTPClient.Configuration) {
        self.configuration = configuration
        direct = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The client for `host`: pinned to `address`, or the shared one when `host` is itself an address.
    func client(host: String, pinnedTo address: String?) -> HTTPClient {
        guard let address else { return direct }
        return pinned.withLock { byHost in
            if let current = byHost[host], current.address == address { return current.client }
            var configuration = configuration
            configuration.dnsOverride = [host: address]
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            if let earlier = byHost[host] { retired.withLock { $0.append(earlier.client) } }
            byHost[host] = Pinned(address: address, client: client)
            return client
        }
    }

    /// Shuts every client down; call once no delivery runs.
    func shutdown(logger: Logger) async {
        let all = [direct] + pinned.withLock { $0.values.map(\.client) } + retired.withLock { $0 }
        for client in all {
            do { try await client.shutdown() } catch {
                logger.debug("webhook client did not shut down cleanly", metadata: ["error": "\(error)"])
            }
        }
    }
}
