import CordonAPI
import Domain
import Foundation
import Services

extension Components.Schemas.Hospital {
    init(_ v: Hospital) {
        self.init(
            id: wire(v.id),
            code: v.code,
            name: v.name,
            contactName: v.contactName,
            contactPhone: v.contactPhone,
            webhookUrl: v.webhookUrl,
            departments: v.departments.map { .init($0) },
            version: v.version)
    }
}

extension Components.Schemas.Department {
    init(_ v: Hospital.Department) {
        self.init(
            id: wire(v.id),
            code: v.code,
            name: v.name,
            services: v.services.map { $0.converted() })
    }
}

extension Components.Schemas.RegisteredHospital {
    init(_ v: HospitalService.Registered) {
        self.init(
            hospital: .init(v.hospital),
            webhookSecret: v.webhookSecret,
            integrationUser: v.integrationUser)
    }
}

extension Components.Schemas.Referral {
    init(_ v: Referral) {
        self.init(
            id: wire(v.id),
            siteId: wire(v.siteId),
            patientId: wire(v.patientId),
            patientName: v.patientName,
            patient: v.patient.map { .init($0) },
            hospitalId: wire(v.hospitalId),
            departmentId: v.departmentId.map(wire),
            reason: v.reason,
            clinicalSummary: v.clinicalSummary,
            services: v.services.map { $0.converted() },
            urgency: v.urgency.converted(),
            fastLane: v.fastLane,
            committeeContact: v.committeeContact,
            requestedBy: v.requestedBy,
            status: v.status.converted(),
            appointmentAt: v.appointmentAt,
            outcome: v.outcome?.converted(),
            createdAt: v.createdAt,
            updatedAt: v.updatedAt,
            version: v.version,
            events: v.events.map { .init($0) })
    }
}

extension Components.Schemas.ReferralEvent {
    init(_ v: ReferralEvent) {
        self.init(
            id: wire(v.id),
            fromStatus: v.fromStatus?.converted(),
            toStatus: v.toStatus?.converted(),
            actorName: v.actorName,
            role: v.role,
            note: v.note,
            at: v.at)
    }
}

extension Components.Schemas.PersonIdentity {
    init(_ v: PersonIdentity) {
        self.init(
            name: v.name,
            sex: v.sex.converted(),
            nationalId: v.nationalId,
            nationalIdMasked: v.nationalIdMasked,
            dateOfBirth: v.dateOfBirth?.description,
            ageYears: v.ageYears,
            phone: v.phone)
    }
}

extension Components.Schemas.OverdueReferral {
    init(_ v: OverdueReferral) {
        self.init(
            referralId: wire(v.referralId),
            siteId: wire(v.siteId),
            hospitalId: wire(v.hospitalId),
            patientName: v.patientName,
            urgency: v.urgency.converted(),
            status: v.status.converted(),
            step: v.step.converted(),
            dueAt: v.dueAt,
            minutesLate: v.minutesLate)
    }
}
