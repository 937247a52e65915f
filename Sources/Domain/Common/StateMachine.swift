/// A status with an explicit set of next states; a move elsewhere is an illegal transition
/// (409, naming the states allowed from here).
public protocol StateMachine: RawRepresentable where RawValue == String {
    /// The states reachable from this one.
    var allowedNext: [Self] { get }
}

extension StateMachine where Self: Equatable {
    public func checkTransition(to next: Self) throws {
        guard allowedNext.contains(next) else {
            throw DomainError.illegalTransition(from: rawValue, to: next.rawValue, allowed: allowedNext.map(\.rawValue))
        }
    }
}
