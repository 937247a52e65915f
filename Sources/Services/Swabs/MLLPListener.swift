import Domain
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Listens for laboratories' HL7 v2 results over MLLP (`LAB_MLLP_PORT`): each framed message
/// (0x0B, the message, 0x1C 0x0D) is taken as `POST /lab/hl7v2` takes it, and answered with its
/// framed ACK on the same connection. A connection that stalls in the middle of a message is
/// closed after `stallSeconds` with nothing of that message taken; a frame over `maximumBytes`
/// is refused and the connection closed.
public struct MLLPListener: Service {
    let host: String
    let port: Int
    let results: LabResultService
    let logger: Logger
    let stallSeconds: Int64
    let maximumBytes: Int

    /// A listener on `host`:`port`; a connection quiet for `stallSeconds` in the middle of a
    /// message is closed, and a message may be at most `maximumBytes`.
    public init(
        host: String, port: Int, results: LabResultService, stallSeconds: Int, maximumBytes: Int, logger: Logger
    ) {
        self.host = host
        self.port = port
        self.results = results
        self.stallSeconds = Int64(stallSeconds)
        self.maximumBytes = maximumBytes
        self.logger = logger
    }

    public func run() async throws {
        let (stall, maximum) = (stallSeconds, maximumBytes)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(readTimeout: .seconds(stall)))
                    try pipeline.addHandler(CloseWhenStalled())
                    try pipeline.addHandler(ByteToMessageHandler(MLLPFrameDecoder(maximumBytes: maximum)))
                    return try NIOAsyncChannel<MLLPFrame, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        logger.info(
            "laboratory MLLP listening", metadata: ["port": "\(server.channel.localAddress?.port ?? port)"])
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    private func serve(_ connection: NIOAsyncChannel<MLLPFrame, ByteBuffer>) async {
        let address = connection.channel.remoteAddress?.ipAddress
        do {
            try await connection.executeThenClose { inbound, outbound in
                var linked: LabResultService.LinkedLaboratory?
                for try await frame in inbound {
                    let ack: String
                    switch frame {
                    case .message(let text):
                        do {
                            (ack, linked) = try await results.takeHL7(text, from: address, linked: linked)
                        } catch {
                            // AR with 207: the laboratory's system sends the message again later.
                            logger.warning(
                                "MLLP message not taken", metadata: ["error_type": "\(type(of: error))"])
                            ack = HL7Acknowledgement.make(
                                .rejected, answering: try? HL7Message(text),
                                errors: [
                                    HL7Error(
                                        segment: "MSH", sequence: 1, field: 0, code: 207,
                                        detail:
                                            "Cordon could not take the message now; nothing was taken; send it again")
                                ])
                        }
                    case .broken(let why):
                        ack = HL7Acknowledgement.make(
                            .rejected, answering: nil,
                            errors: [HL7Error(segment: "MSH", sequence: 1, field: 0, code: 100, detail: why)])
                    }
                    try await outbound.write(MLLPFrame.framed(ack))
                }
            }
        } catch {
            logger.debug("MLLP connection ended", metadata: ["error_type": "\(type(of: error))"])
        }
    }
}

/// What arrives on an MLLP connection: a whole message, or bytes that are not one.
enum MLLPFrame: Sendable {
    case message(String)
    case broken(String)

    static let start: UInt8 = 0x0B
    static let end: UInt8 = 0x1C
    static let carriageReturn: UInt8 = 0x0D

    /// `text` in its MLLP frame.
    static func framed(_ text: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(start)
        buffer.writeString(text)
        buffer.writeInteger(end)
        buffer.writeInteger(carriageReturn)
        return buffer
    }
}

/// Splits the bytes of a connection into MLLP frames. Bytes outside a frame (other than line
/// breaks between frames) come out as one `broken` each run; a frame larger than
/// `maximumBytes` comes out `broken` and closes the connection.
struct MLLPFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = MLLPFrame
    let maximumBytes: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let first = buffer.readableBytesView.first else { return .needMoreData }
        if first != MLLPFrame.start {
            let skipped = buffer.readableBytesView.prefix { $0 != MLLPFrame.start }
            buffer.moveReaderIndex(forwardBy: skipped.count)
            if skipped.contains(where: { $0 != 0x0A && $0 != 0x0D && $0 != 0x20 }) {
                context.fireChannelRead(
                    wrapInboundOut(.broken("bytes outside an MLLP frame: a message starts with 0x0B")))
            }
            return .continue
        }
        let view = buffer.readableBytesView
        guard let end = view.firstIndex(of: MLLPFrame.end) else {
            if view.count > maximumBytes + 3 {
                context.fireChannelRead(wrapInboundOut(.broken("a message over \(maximumBytes) bytes")))
                context.close(promise: nil)
                buffer.moveReaderIndex(forwardBy: view.count)
            }
            return .needMoreData
        }
        let afterEnd = view.index(after: end)
        guard afterEnd < view.endIndex else { return .needMoreData }
        let body = view[view.index(after: view.startIndex)..<end]
        let text = String(decoding: body, as: UTF8.self)
        buffer.moveReaderIndex(forwardBy: view.distance(from: view.startIndex, to: afterEnd) + 1)
        if view[afterEnd] != MLLPFrame.carriageReturn {
            context.fireChannelRead(wrapInboundOut(.broken("an MLLP frame ends with 0x1C 0x0D")))
        } else if body.contains(MLLPFrame.start) {
            context.fireChannelRead(wrapInboundOut(.broken("a frame started inside another (0x0B before 0x1C)")))
        } else {
            context.fireChannelRead(wrapInboundOut(.message(text)))
        }
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        // A half message when the peer goes: nothing of it is taken.
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        return .needMoreData
    }
}

/// Closes a connection that has sent nothing for the idle handler's time.
final class CloseWhenStalled: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
