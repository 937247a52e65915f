import Storage

/// What a log line may say of an error that came up from the database: its kind and SQLSTATE,
/// never its message, detail or a statement's parameters (which may hold an ID number). For
/// front ends, which do not reach Storage.
public enum ErrorSummary {
    /// The database error's safe summary, or nil when `error` is not one.
    public static func database(_ error: any Error) -> String? { DatabaseErrorMapper.logSummary(error) }
}
