/// Buffers lent by a `WholeFileBudget` for reading one file whole: one for the compressed bytes, one for the
/// inflated bytes. Used by one reader at a time, between `acquire` and `release`.
final class WholeFileLease {
    let input: RawBuffer
    let output: RawBuffer
    /// Larger than the budget: read alone, freed on release instead of kept idle.
    var exclusive: Bool

    init(input: RawBuffer, output: RawBuffer, exclusive: Bool) {
        self.input = input
        self.output = output
        self.exclusive = exclusive
    }
}
