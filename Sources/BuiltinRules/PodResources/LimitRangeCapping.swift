import MPA
import Quantity

/// Container LimitRange capping (spec §2.2.2): Min/Max turned into request bounds that keep
/// the container's limit:request ratio.
enum LimitRangeCapping {
    /// The request that keeps `originalRequest:originalLimit` when the limit is `boundary`.
    /// No original limit (nor default): 0, meaning "no bound". No request, or request equal
    /// to the limit: the boundary itself. Otherwise boundary × request ÷ limit, rounded down.
    static func boundaryRequest(_ resource: String, boundary: Quantity, originalRequest: Quantity?,
                                originalLimit: Quantity?) -> Quantity {
        guard let limit = originalLimit else { return .zero }
        guard let request = originalRequest, request.milliValue != limit.milliValue else { return boundary }
        return ResourceMath.scale(boundary, by: Int128(ResourceMath.units(request, resource)),
                                  over: Int128(ResourceMath.units(limit, resource)), resource, roundingUp: false).0
    }

    /// Applies the container item's Min and Max to `value`, appending notes.
    static func cap(_ value: Quantity, _ resource: String, item: LimitRangeBounds, originalRequest: Quantity?,
                    originalLimit: Quantity?, notes: inout [String]) -> Quantity {
        var v = value
        if let minimum = item.min.nonZero(resource) {
            var low = boundaryRequest(resource, boundary: minimum, originalRequest: originalRequest, originalLimit: originalLimit)
            // The request itself must also be at least the LimitRange Min.
            if minimum > low { low = minimum }
            if v < low {
                v = low
                notes.append("\(resource) capped to fit Min in container LimitRange")
            }
        }
        if let maximum = item.max.nonZero(resource) {
            let high = boundaryRequest(resource, boundary: maximum, originalRequest: originalRequest, originalLimit: originalLimit)
            if !high.isZero, v > high {
                v = high
                notes.append("\(resource) capped to fit Max in container LimitRange")
            }
        }
        return v
    }
}
