// Part of Domain's public API: every module that uses a record uses its id.
@_exported import Tagged

// Each record's id is typed by the record it names, so that a site's id is never taken for a
// patient's. On the wire and in SQL it is the plain number.

extension Site { public typealias ID = Tagged<Site, Int64> }
extension District { public typealias ID = Tagged<District, Int64> }
extension Zone { public typealias ID = Tagged<Zone, Int64> }
extension Bed { public typealias ID = Tagged<Bed, Int64> }
extension Patient { public typealias ID = Tagged<Patient, Int64> }
extension StaffMember { public typealias ID = Tagged<StaffMember, Int64> }
extension Team { public typealias ID = Tagged<Team, Int64> }
extension Medication { public typealias ID = Tagged<Medication, Int64> }
extension StockLocation { public typealias ID = Tagged<StockLocation, Int64> }
extension Hospital { public typealias ID = Tagged<Hospital, Int64> }
extension Hospital.Department { public typealias ID = Tagged<Hospital.Department, Int64> }
extension Referral { public typealias ID = Tagged<Referral, Int64> }
extension CarePlan { public typealias ID = Tagged<CarePlan, Int64> }
extension CareActivity { public typealias ID = Tagged<CareActivity, Int64> }
extension Branch { public typealias ID = Tagged<Branch, Int64> }
extension Shift { public typealias ID = Tagged<Shift, Int64> }
extension ShiftTemplate { public typealias ID = Tagged<ShiftTemplate, Int64> }
extension Assignment { public typealias ID = Tagged<Assignment, Int64> }
extension BranchTask { public typealias ID = Tagged<BranchTask, Int64> }
extension CheckIn { public typealias ID = Tagged<CheckIn, Int64> }
extension Observation { public typealias ID = Tagged<Observation, Int64> }
extension IntakeBatch { public typealias ID = Tagged<IntakeBatch, Int64> }
extension IntakePerson { public typealias ID = Tagged<IntakePerson, Int64> }
extension Laboratory { public typealias ID = Tagged<Laboratory, Int64> }
extension SpecimenBox { public typealias ID = Tagged<SpecimenBox, Int64> }
extension ResultReview { public typealias ID = Tagged<ResultReview, Int64> }
