// ZipBomb: the decompression bombs of madoguchi-security(7) A22 as mail attachments
// (and EICAR hidden behind padding, which uses the same MaxFileSize cut), one case per
// kind, with the verdicts clamd gives them under the settings of scan-and-file(8)
// "Required clamd settings" and the one setting without which each is reported clean.

/// A decompression bomb attached to an inquiry mail.
public enum ZipBomb: String, CaseIterable, Sendable {
    /// 42.zip-style: 5 levels of 16 nested zips, 1 TiB of zeros from about 30 KB.
    case recursive
    /// 20 zips nested one in another (beyond MaxRecursion 17).
    case nested
    /// Fifield's overlapping entries: 250 files sharing one kernel, 5.2 GB from 45 KB.
    case overlapping
    /// A gzip of 1 GiB of zeros (about 1 MB).
    case gzip
    /// A zip with a single member of 1 GiB of zeros (about 1 MB).
    case zipMember
    /// Not a bomb but its trick: EICAR behind 101 MiB of zeros in one zip member (100 KB).
    case paddedEICAR

    /// The archive bytes.
    /// - Throws: `ClamdHarnessError` when libarchive fails.
    public func archive() throws -> [UInt8] {
        switch self {
        case .recursive: try ClamdSamples.recursiveZip()
        case .nested: try ClamdSamples.nestedZip()
        case .overlapping: ClamdSamples.overlappingZip()
        case .gzip: ClamdSamples.gzipOfZeros()
        case .zipMember: ClamdSamples.zipOfZeros()
        case .paddedEICAR: ClamdSamples.zipOfPaddedEICAR()
        }
    }

    /// The inquiry mail carrying it as a base64 attachment.
    /// - Throws: `ClamdHarnessError` when libarchive fails.
    public func message() throws -> [UInt8] {
        let name = self == .gzip ? "売上.csv.gz" : "見積書.zip"
        let type = self == .gzip ? "application/gzip" : "application/zip"
        return ClamdSamples.attachment(try archive(), filename: name, contentType: type)
    }

    /// Whether `signature` is a verdict clamd may give this bomb under the documented
    /// settings: the limit it reaches first can depend on the machine's speed (MaxScanTime
    /// under heavy load instead of MaxScanSize), the heuristic cannot.
    public func isExpected(_ signature: String) -> Bool {
        switch self {
        case .recursive, .gzip, .zipMember: signature.hasPrefix("Heuristics.Limits.Exceeded.")
        // The scan stops at MaxScanSize before the end of the member, where EICAR is.
        case .paddedEICAR:
            signature.hasPrefix("Heuristics.Limits.Exceeded.") || signature == ClamdServer.eicarSignature
        case .nested: signature == "Heuristics.Limits.Exceeded.MaxRecursion"
        case .overlapping: signature == "Heuristics.Zip.OverlappingFiles"
        }
    }

    /// The clamd.conf line that, replacing the documented one, lets this bomb through as
    /// clean (checked by ClamdBombTests): why scan-and-file(8) requires that setting.
    public var weakeningSetting: String {
        switch self {
        // Identical copies are scanned once and cached, so MaxScanSize is never reached.
        case .recursive: "DisableCache no"
        // Without AlertExceedsMax, reaching MaxRecursion or MaxScanSize just ends the scan: OK.
        case .nested, .gzip: "AlertExceedsMax no"
        // Overlapping entries are a heuristic.
        case .overlapping: "HeuristicAlerts no"
        // A member beyond MaxFileSize is cut to MaxFileSize and the rest never scanned.
        case .zipMember, .paddedEICAR: "MaxFileSize 30M"
        }
    }
}
