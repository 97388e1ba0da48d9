// HTMLSanitizer+Configuration: the sanitizer's budgets (size, depth, tokens,
// attributes, time, inline image size). Past any of them the result is
// `.overBudget` and the web page shows the text part (madoguchi-security(7) A6, A7).

extension HTMLSanitizer {
    /// The limits of one sanitizer run.
    public struct Configuration: Sendable, Equatable {
        /// Largest input in UTF-8 bytes (default 2 MiB).
        public var maxInputBytes = 2 << 20
        /// Deepest nesting of kept elements (default 256).
        public var maxDepth = 256
        /// Most tokens read (default 500,000).
        public var maxTokens = 500_000
        /// Most attributes on one tag (default 128).
        public var maxAttributesPerTag = 128
        /// Wall-clock budget on the monotonic clock (default 250 ms).
        public var timeBudget: Duration = .milliseconds(250)
        /// Tokens between two looks at the clock (default 256).
        public var clockInterval = 256
        /// Largest `data:image/…;base64,` image kept, in characters (default 256 KiB).
        public var maxDataImageBytes = 256 << 10

        /// The defaults.
        public init() {}
    }

    /// Which budget a run exceeded.
    public enum Budget: String, Sendable, Equatable {
        /// `maxInputBytes`.
        case inputSize = "input size"
        /// `maxDepth`.
        case depth = "nesting depth"
        /// `maxTokens`.
        case tokens = "token count"
        /// `maxAttributesPerTag`.
        case attributes = "attributes per tag"
        /// `timeBudget`.
        case time = "time"
    }
}
