import CordonAPI
import Domain

/// A request body the spec declares as JSON only: the generated enum's one case, `json`. The
/// handlers read it with one call, `try input.body.payload`; the generated server refuses a body
/// of another content type before a handler runs, so the error below is for a case that cannot
/// come.
protocol JSONRequestBody {
    associatedtype Payload
    /// The generated case, as a constructor; naming it ties `Payload` to the case's value.
    static func json(_ payload: Payload) -> Self
}

extension JSONRequestBody {
    /// The body's JSON value.
    var payload: Payload {
        get throws {
            guard let value = Mirror(reflecting: self).children.first?.value as? Payload else {
                throw DomainError.invalid("body", "must be JSON")
            }
            return value
        }
    }
}

// The operations whose body is JSON.
extension Operations.AcknowledgeDeteriorationAlert.Input.Body: JSONRequestBody {}
extension Operations.AddBranchMember.Input.Body: JSONRequestBody {}
extension Operations.AddCareActivity.Input.Body: JSONRequestBody {}
extension Operations.AddLaboratory.Input.Body: JSONRequestBody {}
extension Operations.AddReferralNote.Input.Body: JSONRequestBody {}
extension Operations.AddTestResult.Input.Body: JSONRequestBody {}
extension Operations.AddTraining.Input.Body: JSONRequestBody {}
extension Operations.AdmitIntakeBatch.Input.Body: JSONRequestBody {}
extension Operations.AdmitPatient.Input.Body: JSONRequestBody {}
extension Operations.AdviseNextBus.Input.Body: JSONRequestBody {}
extension Operations.AppointOfficer.Input.Body: JSONRequestBody {}
extension Operations.AssignStaff.Input.Body: JSONRequestBody {}
extension Operations.CheckIn.Input.Body: JSONRequestBody {}
extension Operations.ChooseIntakeBed.Input.Body: JSONRequestBody {}
extension Operations.CountStock.Input.Body: JSONRequestBody {}
extension Operations.CreateBed.Input.Body: JSONRequestBody {}
extension Operations.CreateBedRange.Input.Body: JSONRequestBody {}
extension Operations.CreateBranch.Input.Body: JSONRequestBody {}
extension Operations.CreateBranchTask.Input.Body: JSONRequestBody {}
extension Operations.CreateCarePlan.Input.Body: JSONRequestBody {}
extension Operations.CreateHospital.Input.Body: JSONRequestBody {}
extension Operations.CreateMedication.Input.Body: JSONRequestBody {}
extension Operations.CreateReferral.Input.Body: JSONRequestBody {}
extension Operations.CreateResidentialCommittee.Input.Body: JSONRequestBody {}
extension Operations.CreateShift.Input.Body: JSONRequestBody {}
extension Operations.CreateShiftTemplate.Input.Body: JSONRequestBody {}
extension Operations.CreateSite.Input.Body: JSONRequestBody {}
extension Operations.CreateStaff.Input.Body: JSONRequestBody {}
extension Operations.CreateStockLocation.Input.Body: JSONRequestBody {}
extension Operations.CreateTeam.Input.Body: JSONRequestBody {}
extension Operations.CreateZone.Input.Body: JSONRequestBody {}
extension Operations.DischargePatient.Input.Body: JSONRequestBody {}
extension Operations.DispenseDose.Input.Body: JSONRequestBody {}
extension Operations.DispenseStock.Input.Body: JSONRequestBody {}
extension Operations.DissolveBranch.Input.Body: JSONRequestBody {}
extension Operations.GenerateShifts.Input.Body: JSONRequestBody {}
extension Operations.ImportTransferList.Input.Body: JSONRequestBody {}
extension Operations.IssueCalendarFeed.Input.Body: JSONRequestBody {}
extension Operations.IssueCheckInCode.Input.Body: JSONRequestBody {}
extension Operations.LinkStaffAccount.Input.Body: JSONRequestBody {}
extension Operations.MakeSwabRound.Input.Body: JSONRequestBody {}
extension Operations.MatchResultReview.Input.Body: JSONRequestBody {}
extension Operations.MovePatient.Input.Body: JSONRequestBody {}
extension Operations.PlanReleaseBuses.Input.Body: JSONRequestBody {}
extension Operations.PrintReleaseCertificates.Input.Body: JSONRequestBody {}
extension Operations.PublishRoster.Input.Body: JSONRequestBody {}
extension Operations.ReceiveStock.Input.Body: JSONRequestBody {}
extension Operations.RecordDoseNotGiven.Input.Body: JSONRequestBody {}
extension Operations.RecordObservation.Input.Body: JSONRequestBody {}
extension Operations.RecordSpecimenCollection.Input.Body: JSONRequestBody {}
extension Operations.RecordVitalSigns.Input.Body: JSONRequestBody {}
extension Operations.RejectResultReview.Input.Body: JSONRequestBody {}
extension Operations.ReleasePatients.Input.Body: JSONRequestBody {}
extension Operations.ReplaceAssignment.Input.Body: JSONRequestBody {}
extension Operations.RevokeReleaseCertificate.Input.Body: JSONRequestBody {}
extension Operations.SendSpecimenBox.Input.Body: JSONRequestBody {}
extension Operations.SetBedAttributes.Input.Body: JSONRequestBody {}
extension Operations.SetBranchTaskStatus.Input.Body: JSONRequestBody {}
extension Operations.SetCarePlanStatus.Input.Body: JSONRequestBody {}
extension Operations.SetCommitteeWebhook.Input.Body: JSONRequestBody {}
extension Operations.SetHospitalWebhook.Input.Body: JSONRequestBody {}
extension Operations.SetReleaseCriteria.Input.Body: JSONRequestBody {}
extension Operations.SetRosterRules.Input.Body: JSONRequestBody {}
extension Operations.SetSpO2Scale.Input.Body: JSONRequestBody {}
extension Operations.SetStockLevel.Input.Body: JSONRequestBody {}
extension Operations.SetSwabSchedule.Input.Body: JSONRequestBody {}
extension Operations.SignOffRelease.Input.Body: JSONRequestBody {}
extension Operations.SwapAssignments.Input.Body: JSONRequestBody {}
extension Operations.TransferStock.Input.Body: JSONRequestBody {}
extension Operations.TransitionHospitalReferral.Input.Body: JSONRequestBody {}
extension Operations.TransitionSiteReferral.Input.Body: JSONRequestBody {}
extension Operations.UpdateBedStatus.Input.Body: JSONRequestBody {}
extension Operations.UpdateCarePlan.Input.Body: JSONRequestBody {}
extension Operations.UpdatePatient.Input.Body: JSONRequestBody {}
extension Operations.UpdateSite.Input.Body: JSONRequestBody {}
extension Operations.UpdateStaff.Input.Body: JSONRequestBody {}
extension Operations.UpdateTeam.Input.Body: JSONRequestBody {}
extension Operations.WithdrawReleaseSignOff.Input.Body: JSONRequestBody {}
extension Operations.WriteOffStock.Input.Body: JSONRequestBody {}
