import Quantity

/// The new limit for a new request (spec §2.2.6), in exact integer arithmetic.
enum ProportionalLimits {
    struct Result: Sendable, Equatable {
        /// nil: no limit is set.
        var limit: Quantity?
        /// Set when the exact limit exceeded 2^63−1 units and was capped.
        var note: String?
    }

    /// - original limit (or LimitRange default) absent or 0, or new request 0 → no limit;
    /// - original request absent/0, or equal to the limit (in milli-units) → the new request;
    /// - else originalLimit × newRequest ÷ originalRequest, rounded down, capped at 2^63−1 units.
    static func limit(_ resource: String, originalLimit: Quantity?, originalRequest: Quantity?,
                      newRequest: Quantity) -> Result {
        guard let limit = originalLimit, !limit.isZero, !newRequest.isZero else { return Result() }
        guard let request = originalRequest, !request.isZero, request.milliValue != limit.milliValue else {
            return Result(limit: newRequest)
        }
        let (scaled, overflowed) = ResourceMath.scale(limit, by: Int128(ResourceMath.units(newRequest, resource)),
                                                      over: Int128(ResourceMath.units(request, resource)),
                                                      resource, roundingUp: false)
        return Result(limit: scaled,
                      note: overflowed ? "\(resource): failed to keep limit to request ratio; capping limit to int64" : nil)
    }
}
