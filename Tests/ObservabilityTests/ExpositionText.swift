/// Test helper: the value of one series line (`name{labels} value`) in an exposition, by exact prefix.
func sampleValue(_ exposition: String, _ series: String) -> String? {
    for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
        return String(line.dropFirst(series.count + 1))
    }
    return nil
}
