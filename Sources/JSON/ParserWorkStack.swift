/// A growable stack of values in memory the parser manages itself, so that a finished
/// container's elements can be *moved* out into their exactly sized array in one block copy:
/// `Array(slice)` + `removeSubrange` on a normal array copied every element (retains, through
/// the runtime's generic tuple witnesses) and then destroyed the originals (releases).
///
/// Not a class: the parser owns its stacks and calls `release()` exactly once (in a `defer`),
/// which destroys whatever a failed parse left behind.
struct ParserWorkStack<Element> {
    private var base: UnsafeMutablePointer<Element>?
    private var capacity = 0
    private(set) var count = 0

    init() {}

    mutating func append(_ element: consuming Element) {
        if count == capacity { grow() }
        guard let base else { return }  // unreachable: grow() allocated
        (base + count).initialize(to: element)
        count += 1
    }

    /// The element at `index` (`0 <= index < count`, the parser's own bookkeeping).
    @inline(__always)
    func pointer(at index: Int) -> UnsafeMutablePointer<Element>? {
        guard let base, index >= 0, index < count else { return nil }
        return base + index
    }

    /// The elements from `start` to the top, moved (not copied) into a new exactly sized
    /// array, and removed from the stack.
    mutating func take(from start: Int) -> [Element] {
        let n = count - start
        guard n > 0, start >= 0, let base else { return [] }
        count = start
        let source = base + start
        let moved = [Element](MovingElements(base: source, count: n))
        if moved.count == n { return moved }
        // Only if the standard library ever filled the array without `_copyContents` (then it
        // got nothing and the elements are still here): copy them, then destroy the originals.
        let copied = [Element](UnsafeBufferPointer(start: source, count: n))
        source.deinitialize(count: n)
        return copied
    }

    /// Destroys the elements from `start` to the top.
    mutating func remove(from start: Int) {
        guard start >= 0, start < count, let base else { return }
        (base + start).deinitialize(count: count - start)
        count = start
    }

    /// Destroys the remaining elements and frees the memory; the stack is empty afterwards.
    mutating func release() {
        if let base {
            base.deinitialize(count: count)
            base.deallocate()
        }
        base = nil
        capacity = 0
        count = 0
    }

    private mutating func grow() {
        let newCapacity = capacity == 0 ? 32 : capacity * 2
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if let base {
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = newBase
        capacity = newCapacity
    }
}

/// Elements that a new array takes over by moving them (bitwise, no retain or release) when it
/// is created from this collection, leaving their memory uninitialized.
///
/// Why not `Array(unsafeUninitializedCapacity:)`: it allocates through an unspecialized
/// runtime function that looks up the storage class's generic metadata on every call, and for
/// the tuple `JSONObject.Member` copies and destroys go through the runtime's generic tuple
/// witnesses; `Array(_:)` of a collection allocates inline and lets the collection fill the
/// storage (`_copyContents`), which here is one `moveInitialize`.
///
/// Must be used exactly once, and only by `Array.init(_:)`; reading elements by subscript
/// or iteration is not supported (they would be copies of memory that the array then owns).
private struct MovingElements<Element>: Collection {
    let base: UnsafeMutablePointer<Element>
    let count: Int

    var startIndex: Int { 0 }
    var endIndex: Int { count }
    func index(after i: Int) -> Int { i + 1 }
    subscript(position: Int) -> Element { base[position] }

    struct Iterator: IteratorProtocol {
        mutating func next() -> Element? { nil }
    }

    /// Never yields: `_copyContents` is the only way elements leave.
    func makeIterator() -> Iterator { Iterator() }

    var underestimatedCount: Int { count }

    func _copyContents(initializing buffer: UnsafeMutableBufferPointer<Element>) -> (Iterator, Int) {
        guard let target = buffer.baseAddress, buffer.count >= count else {
            // Never the case for Array.init, which sizes the buffer by `count`: take nothing,
            // and `take` copies the elements the slow way.
            return (Iterator(), 0)
        }
        target.moveInitialize(from: base, count: count)
        return (Iterator(), count)
    }
}
