import Domain
import Foundation
import HTTPTypes
import Hummingbird
import QRCodeImage
import Services

/// The two public pages of a release certificate, without sign-in: `/verify/CODE`, which the
/// printed QR code opens (valid or revoked, the masked identity and the dates), and
/// `/certificate/CODE`, the holder's own phone view of the whole certificate with the
/// verification QR code to show. Both are rate-limited per address by the service.
struct CertificatePages: Sendable {
    let console: WebConsole
    let origin: @Sendable () -> Origin

    static func register<Context: RequestContext>(on router: Router<Context>, _ pages: ConsolePages) {
        let certificatePages = CertificatePages(console: pages.console, origin: pages.origin)
        router.get("/verify/:code") { request, context in
            try await certificatePages.verify(request, code: context.parameters.get("code") ?? "")
        }
        router.get("/certificate/:code") { request, context in
            try await certificatePages.holder(request, code: context.parameters.get("code") ?? "")
        }
    }

    var services: CordonServices { console.services }

    func verify(_ request: Request, code: String) async throws -> Response {
        let words = console.renderer.words(ConsolePages.language(request))
        do {
            let check = try await services.certificates.verify(code: code, origin: origin())
            let model = CertificateCheckPage(
                valid: check.isValid,
                verdict: check.revokedOn.map {
                    words["verify_revoked"].replacingOccurrences(of: "{date}", with: $0.description)
                } ?? words["verify_valid"],
                number: check.number, siteName: check.siteName, name: check.maskedName,
                nationalId: check.maskedNationalId, admittedOn: check.admittedOn.description,
                releasedOn: check.releasedOn.description)
            return try console.anonymousPage(
                request, "certificate-check", titleKey: "verify_title", model: model, status: .ok)
        } catch let error as DomainError {
            return try refusal(request, error, titleKey: "verify_title")
        }
    }

    func holder(_ request: Request, code: String) async throws -> Response {
        let words = console.renderer.words(ConsolePages.language(request))
        do {
            let issued = try await services.certificates.holderView(code: code, origin: origin())
            let c = issued.certificate
            let qr = try QRCodeImage(issued.verifyURL).svg(caption: c.number, moduleSize: 6)
            let model = CertificateHolderPage(
                revoked: c.isRevoked,
                revokedText: c.revocation.map {
                    words["verify_revoked"].replacingOccurrences(
                        of: "{date}", with: CalendarDate($0.at, in: c.timeZone).description)
                } ?? "",
                number: c.number, siteName: c.siteName, name: c.name, nationalId: c.maskedNationalId,
                admittedOn: c.admittedOn.description, releasedOn: c.releasedOn.description,
                tests: c.qualifyingTests.map { test in
                    CertificateHolderPage.Test(
                        day: CalendarDate(test.sampledAt, in: c.timeZone).description,
                        result: words[test.result == .negative ? "certificate_negative" : "certificate_positive"],
                        ct: "N \(Self.ct(test.nGeneCt)) · ORF1ab \(Self.ct(test.orf1abCt))")
                },
                qrSVG: Self.inline(qr))
            return try console.anonymousPage(
                request, "certificate", titleKey: "certificate_title", model: model, status: .ok)
        } catch let error as DomainError {
            return try refusal(request, error, titleKey: "certificate_title")
        }
    }

    static func ct(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "-" }

    /// The SVG without its XML declaration, to sit inside the page.
    static func inline(_ svg: String) -> String {
        guard let start = svg.range(of: "<svg") else { return "" }
        return String(svg[start.lowerBound...])
    }

    /// A code that is not genuine, or too many checks from one address: said plainly.
    private func refusal(_ request: Request, _ error: DomainError, titleKey: String) throws -> Response {
        let words = console.renderer.words(ConsolePages.language(request))
        switch error {
        case .tooManyAttempts(_, let retryAfter):
            var response = try console.anonymousPage(
                request, "certificate-check", titleKey: titleKey,
                model: CertificateCheckPage(refusal: words["verify_too_many"]), status: .tooManyRequests)
            response.headers[.retryAfter] = String(retryAfter)
            return response
        default:
            return try console.anonymousPage(
                request, "certificate-check", titleKey: titleKey,
                model: CertificateCheckPage(refusal: words["verify_unknown"]), status: .notFound)
        }
    }
}

/// The verification page: the verdict, then what the certificate may show in public.
struct CertificateCheckPage: PageModel {
    var valid = false
    var verdict = ""
    var refusal: String?
    var number = ""
    var siteName = ""
    var name = ""
    var nationalId = ""
    var admittedOn = ""
    var releasedOn = ""
    /// False when the code named no certificate or was refused: only `refusal` shows.
    var found = true

    init(
        valid: Bool, verdict: String, number: String, siteName: String, name: String, nationalId: String,
        admittedOn: String, releasedOn: String
    ) {
        self.valid = valid
        self.verdict = verdict
        self.number = number
        self.siteName = siteName
        self.name = name
        self.nationalId = nationalId
        self.admittedOn = admittedOn
        self.releasedOn = releasedOn
    }

    init(refusal: String) {
        self.refusal = refusal
        found = false
    }
}

/// The holder's view: the whole certificate, sized for a phone, with the QR code to show.
struct CertificateHolderPage: PageModel {
    struct Test: Sendable {
        var day: String
        var result: String
        var ct: String
    }
    var revoked: Bool
    var revokedText: String
    var number: String
    var siteName: String
    var name: String
    var nationalId: String
    var admittedOn: String
    var releasedOn: String
    var tests: [Test]
    /// The verification QR code as inline SVG, made by Cordon from its own URL.
    var qrSVG: String
}
