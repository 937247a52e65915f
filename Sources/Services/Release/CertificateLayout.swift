import Domain
import Foundation
import LabelPDF

/// What a printed certificate says, in Chinese and English on the same page: a certificate is
/// read by a residential committee in Shanghai and by whoever else the person shows it to.
enum CertificateLayout {
    static func page(_ issued: IssuedCertificate) -> LabelPDF.CertificatePage {
        let c = issued.certificate
        var rows: [(label: String, value: String)] = [
            ("证明编号 Certificate no.", c.number),
            ("姓名 Name", c.name),
            ("证件号码 ID number", c.maskedNationalId),
            ("入舱日期 Admitted", c.admittedOn.description),
            ("出舱日期 Released", c.releasedOn.description),
        ]
        for (index, test) in c.qualifyingTests.enumerated() {
            rows.append(("核酸检测 \(index + 1) Test \(index + 1)", testLine(test, in: c.timeZone)))
        }
        return LabelPDF.CertificatePage(
            headings: [c.siteName, "解除隔离证明", "Certificate of release from isolation"], rows: rows,
            qrText: issued.verifyURL,
            qrCaption: [
                "扫码核验本证明的真伪与状态。", "Scan to check that this certificate is genuine and still valid.",
                "居家健康监测 7 天。", "Seven days of health monitoring at home follow release.",
            ],
            stamp: c.isRevoked ? "已撤销 REVOKED" : nil)
    }

    /// A test as one line: the day sampled, the result and both Ct values.
    static func testLine(_ test: NucleicAcidTest, in timeZone: TimeZone) -> String {
        let result = test.result == .negative ? "阴性 negative" : "阳性 positive"
        let ct = { (value: Double?) in value.map { String(format: "%.1f", $0) } ?? "-" }
        return
            "\(CalendarDate(test.sampledAt, in: timeZone)) · \(result) · N \(ct(test.nGeneCt)) · ORF1ab \(ct(test.orf1abCt))"
    }
}
