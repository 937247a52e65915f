import Domain
import Foundation
import Services

extension DemoSeed {
    /// Today's swab round at a site with patients, part of it walked: the first tubes of each
    /// zone taken, one patient asleep, so the round page and the scanning page have a morning
    /// in progress to show.
    func applySwabRound(_ services: CordonServices, site: Site, actor: Actor) async throws {
        guard !patients.isEmpty else { return }
        let made = try await services.swabs.makeRound(siteId: site.id, actor: actor)
        guard made.round.total.printed > 0 else { return }
        let tubes = try await services.swabs.tubes(
            siteId: site.id, day: made.round.date, page: PageRequest(limit: PageRequest.maximumLimit), actor: actor
        ).items
        let taken = tubes.prefix(tubes.count / 2)
        for tube in taken {
            guard let band = WristbandCode(patientId: tube.patientId) else { continue }
            _ = try await services.swabs.recordCollection(
                siteId: site.id, accession: tube.accession, .collected(wristband: band, at: Date()), actor: actor)
        }
        if let asleep = tubes.dropFirst(taken.count).first {
            _ = try await services.swabs.recordCollection(
                siteId: site.id, accession: asleep.accession, .notCollected(.asleep), actor: actor)
        }
        // The first box of the morning is on its way to the district's laboratory.
        var lab = try await services.laboratories.list(actor: actor).first
        if lab == nil {
            lab = try await services.laboratories.add(
                LaboratoryDraft(code: "JS-PCR1", name: "金山区方舱核酸检测实验室"), actor: actor)
        }
        let boxed = taken.prefix(max(1, taken.count / 2)).map(\.accession)
        if !boxed.isEmpty {
            _ = try await services.swabs.dispatch(
                siteId: site.id, laboratoryId: lab!.id, scanned: boxed.map(\.description), actor: actor)
            try await applyLabResults(
                services, site: site, laboratory: lab!, boxed: Array(taken.prefix(boxed.count)), actor: actor)
        }
    }

    /// The laboratory's first results, as its spreadsheet brings them: half the box back
    /// negative, one patient positive again after clear tests, and one row for a tube no site
    /// printed (the laboratory misread a label), waiting in the review queue.
    func applyLabResults(
        _ services: CordonServices, site: Site, laboratory: Laboratory, boxed: [Specimen], actor: Actor
    ) async throws {
        var rows: [String] = []
        var repositive: Specimen?
        for tube in boxed {
            let tests = try await services.patients.tests(siteId: site.id, patientId: tube.patientId, actor: actor)
            if repositive == nil, let last = tests.last, last.result == .negative {
                repositive = tube
                rows.append("\(tube.accession),24.1,25.3,positive")
            }
        }
        for tube in boxed.prefix(max(1, boxed.count / 2)) where tube.accession != repositive?.accession {
            rows.append("\(tube.accession),ND,ND,negative")
        }
        if let misread = AccessionNumber(sequence: AccessionNumber.largestSequence - 17) {
            rows.append("\(misread),37.2,38.0,negative")
        }
        _ = try await services.labResults.importCSV(
            "accession,n_gene_ct,orf1ab_ct,result\n" + rows.joined(separator: "\n") + "\n",
            laboratoryCode: laboratory.code, siteId: nil, actor: actor)
    }
}

extension DemoSeed {
    /// People ready to go: about half of those the release list finds clear signed off by a
    /// clinician, the others waiting for a sign-off; and two more already released (one
    /// certificate revoked, a bus home planned and its committee not yet answering).
    func applyRelease(_ services: CordonServices, site: Site, actor: Actor) async throws {
        let list = try await services.releases.list(siteId: site.id, zoneId: nil, actor: actor)
        let clear = list.candidates.filter { $0.awaitsSignOff(list.criteria) }
        let signing = clear.prefix(max(1, clear.count / 2)).map(\.patientId)
        guard !signing.isEmpty else { return }
        // Signed by one of the site's clinicians, as it would be.
        let signer = try await Self.clinician(services, site: site, actor: actor)
        _ = try await services.releases.signOff(
            siteId: site.id, patientIds: Array(signing), symptomsImproved: true, note: "症状消失，生命体征平稳",
            actor: signer)
        // Two more, from the end of the list, have gone home already with their certificates; the
        // first one's was revoked when the community's retest came back positive. Those under a
        // care plan or referred to a hospital stay: they are the demo's worklist and green channel.
        let referred = Set(
            try await services.referrals.list(siteId: site.id, page: PageRequest(limit: 500), actor: actor).items
                .map(\.patientId))
        var gone: [Patient.ID] = []
        for id in clear.map(\.patientId).reversed() where !signing.contains(id) && !referred.contains(id) {
            if try await services.care.plans(siteId: site.id, patientId: id, status: .active, actor: actor).isEmpty {
                gone.append(id)
            }
            if gone.count == 2 { break }
        }
        guard !gone.isEmpty else { return }
        _ = try await services.releases.signOff(
            siteId: site.id, patientIds: gone, symptomsImproved: true, note: "症状消失，生命体征平稳", actor: signer)
        _ = try await services.releases.release(siteId: site.id, patientIds: gone, actor: signer)
        _ = try await services.certificates.revoke(
            siteId: site.id, patientId: gone[0], reason: "出舱后社区复检阳性，已转定点医院", actor: signer)
        // The other one's bus home leaves in two hours; their committee has not answered yet.
        _ = try await services.buses.plan(
            siteId: site.id, seats: 40, departsAt: Date().addingTimeInterval(7200), actor: signer)
    }
}
