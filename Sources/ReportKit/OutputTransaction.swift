import FileIO
import Foundation

/// The output folder as one transaction. A run reads and writes only a staging folder, which
/// starts as a hard-link clone of the previous output folder (so the model cache and the analyses
/// read back what it holds, and files the run does not rewrite stay), and becomes the output
/// folder in one step at the end. Whatever stops a run before that step leaves the previous
/// folder untouched; the next run removes a staging folder left behind before anything else.
///
/// The step: beside the output folder (`.NAME.report-staging`), after `syncfs`, renameat2's
/// RENAME_EXCHANGE swaps the two folders atomically, even across a power cut; where the file system
/// cannot exchange, the old folder is renamed aside (`.NAME.report-previous`) and the new one into
/// place, and a run stopped between the two renames is rolled back by the next. Where the output
/// folder cannot be swapped (a mount point, or a parent this process cannot write), staging
/// happens inside it (`.report-staging`) and the step moves its entries in one by one after
/// writing a journal: every file is whole at every moment, but a run stopped during the moves
/// leaves a mix, which the next run completes first, before anything else.
final class OutputTransaction: @unchecked Sendable {
    enum Layout { case beside, inside }
    private enum State { case staging, committed, abandoned }

    /// The output folder as the user named it, for messages.
    let output: String
    /// Where this run reads and writes.
    let folder: String
    let layout: Layout
    /// The output folder, resolved.
    private let target: String
    /// Guards `state`: the interrupt handler's thread must not remove a folder being swapped.
    private let lock = NSLock()
    private var state = State.staging
    /// Holds the staging folder's flock, which tells another run that it is in use.
    private let lockDescriptor: Int32

    static let stagingSuffix = ".report-staging", previousSuffix = ".report-previous"
    static let inner = ".report-staging", journal = ".report-commit", old = ".report-old"

    nonisolated(unsafe) private static var current: OutputTransaction?

    private init(output: String, target: String, folder: String, layout: Layout, lockDescriptor: Int32) {
        (self.output, self.target, self.folder, self.layout, self.lockDescriptor) = (output, target, folder, layout, lockDescriptor)
    }

    /// Finishes or undoes what an earlier run left, then makes the staging folder.
    static func begin(_ output: String) throws(ReportError) -> OutputTransaction {
        do {
            let target = try resolve(output)
            try recover(target, output: output)
            let exists = FileSystem.isFolder(target)
            var layout = exists && (TestHook.has("in-place") || FileSystem.isMountPoint(target)) ? Layout.inside : .beside
            var folder = layout == .inside ? target.appending(path: inner) : besideNames(target).staging
            if mkdir(folder, 0o755) != 0 {
                let code = errno
                guard layout == .beside, exists, [EACCES, EPERM, EROFS].contains(code) else {
                    throw FileError(path: folder, errno: code, writing: true)
                }
                // Nothing can be created beside it: stage inside.
                (layout, folder) = (.inside, target.appending(path: inner))
                guard mkdir(folder, 0o755) == 0 else { throw FileError(path: folder, errno: errno, writing: true) }
            }
            let descriptor = try lockFolder(folder, output: output) ?? -1
            let transaction = OutputTransaction(output: output, target: target, folder: folder, layout: layout, lockDescriptor: descriptor)
            current = transaction
            do {
                if exists { try FileSystem.cloneContents(of: target, into: folder, skipping: [inner]) }
                try TestHook.moment("staged")
            } catch {
                transaction.abandon()
                throw error
            }
            return transaction
        } catch let error as ReportError {
            throw error
        } catch {
            throw ReportError("cannot stage the new \(output)/: \(error); \(output)/ is as it was")
        }
    }

    /// Makes the staging folder the output folder, in one step where the file system allows.
    func commit() throws(ReportError) {
        do {
            try TestHook.moment("commit")
            lock.lock()
            defer { lock.unlock() }
            // An interrupt may have removed the staging folder meanwhile.
            guard state == .staging else { throw ReportError("interrupted; \(output)/ is as it was") }
            try FileSystem.syncFileSystem(of: folder)
            switch layout {
            case .beside: try swapBeside()
            case .inside: try commitInside()
            }
        } catch let error as ReportError {
            throw error
        } catch {
            let committed = lock.withLock { state == .committed }
            abandon()
            throw ReportError("cannot put the new \(output)/ in place: \(error); "
                + (committed ? "the next run completes the move" : "\(output)/ is as it was"))
        }
    }

    /// Removes the staging folder, unless the swap has happened.
    func abandon() {
        lock.withLock { removeStaging() }
    }

    /// `abandon`, with the lock held.
    private func removeStaging() {
        guard state == .staging else { return }
        // The run's own thread may still be creating a folder in it as it goes: try again.
        for _ in 0..<5 where FileSystem.exists(folder) { try? FileSystem.removeTree(folder) }
        state = .abandoned
    }

    /// For the interrupt handler: waits for a commit under way to end; then, holding its lock so
    /// that none begins, calls `stopWrites` (which lets no write begin) and removes the staging
    /// folder unless the swap has happened; says what the output folder holds. In this order
    /// because a commit writes too (the journal): with writes stopped first, it would wait for the
    /// handler while the handler waited for it.
    static func interrupted(stoppingWrites stopWrites: () -> Void) -> String {
        guard let transaction = current else {
            stopWrites()
            return "nothing was written"
        }
        return transaction.lock.withLock {
            stopWrites()
            transaction.removeStaging()
            return transaction.state == .committed ? "\(transaction.output)/ already holds the new report, complete"
                : "\(transaction.output)/ is as it was"
        }
    }

    private func swapBeside() throws {
        let parent = (target as NSString).deletingLastPathComponent
        guard FileSystem.exists(target) else {
            try FileSystem.move(folder, to: target)
            state = .committed
            FileSystem.syncFolder(parent)
            return
        }
        if !TestHook.has("no-exchange"), try FileSystem.exchange(folder, target) {
            state = .committed
            FileSystem.syncFolder(parent)
            try TestHook.moment("swapped")
            try? FileSystem.removeTree(folder)   // the previous report
            return
        }
        let previous = Self.besideNames(target).previous
        try FileSystem.move(target, to: previous)
        FileSystem.syncFolder(parent)
        do {
            try TestHook.moment("set-aside")
            try FileSystem.move(folder, to: target)
        } catch {
            try? FileSystem.move(previous, to: target)
            throw error
        }
        state = .committed
        FileSystem.syncFolder(parent)
        try TestHook.moment("swapped")
        try? FileSystem.removeTree(previous)
    }

    private func commitInside() throws {
        let names = (FileSystem.contents(ofFolder: folder) ?? []).filter { $0 != Self.journal && $0 != Self.old }.sorted()
        try FileSystem.write(Data(names.map { $0 + "\n" }.joined().utf8), to: folder.appending(path: Self.journal))
        try FileSystem.syncFileSystem(of: folder)
        state = .committed   // from here on, the next run completes the moves
        try TestHook.moment("journal")
        try Self.rollForward(target)
        try TestHook.moment("swapped")
        try? FileSystem.removeTree(folder)
    }

    /// Moves the entries the journal names from the inner staging folder into `target`, the old
    /// ones into `.report-old`; what the journal does not name goes too. Run again after an
    /// interruption, it finishes the job.
    private static func rollForward(_ target: String) throws {
        let staging = target.appending(path: inner), old = staging.appending(path: Self.old)
        let names = try FileSystem.readText(staging.appending(path: journal)).split(separator: "\n").map(String.init)
        try FileSystem.createFolder(old)
        var first = true
        for name in names where FileSystem.exists(staging.appending(path: name)) {
            let destination = target.appending(path: name)
            if FileSystem.exists(destination) {
                try FileSystem.removeTree(old.appending(path: name))
                try FileSystem.move(destination, to: old.appending(path: name))
            }
            try FileSystem.move(staging.appending(path: name), to: destination)
            if first { try TestHook.moment("moved-first") }
            first = false
        }
        let kept = Set(names + [inner])
        for name in FileSystem.contents(ofFolder: target) ?? [] where !kept.contains(name) {
            try FileSystem.move(target.appending(path: name), to: old.appending(path: name))
        }
        FileSystem.syncFolder(target)
    }

    /// What an earlier run left: a set-aside previous folder is put back (or removed, when the
    /// new one made it into place), a staging folder removed, a journalled commit completed.
    private static func recover(_ target: String, output: String) throws {
        let (staging, previous) = besideNames(target)
        if FileSystem.exists(previous) {
            if FileSystem.exists(target) { try FileSystem.removeTree(previous) } else { try FileSystem.move(previous, to: target) }
        }
        if FileSystem.exists(staging) {
            let descriptor = try lockFolder(staging, output: output)
            try FileSystem.removeTree(staging)
            if let descriptor { close(descriptor) }
        }
        let inside = target.appending(path: inner)
        if FileSystem.exists(inside) {
            let descriptor = try lockFolder(inside, output: output)
            if FileSystem.exists(inside.appending(path: journal)) {
                print("    completing the previous run's move into \(output)/")
                try rollForward(target)
            }
            try FileSystem.removeTree(inside)
            if let descriptor { close(descriptor) }
        }
    }

    /// An exclusive flock on `folder`, held until the process ends; throws when another run holds
    /// it. nil where the file system has no locks.
    private static func lockFolder(_ folder: String, output: String) throws(ReportError) -> Int32? {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK { throw ReportError("another report run is writing \(output)/ (it holds \(folder))") }
            return nil
        }
        return descriptor
    }

    static func besideNames(_ target: String) -> (staging: String, previous: String) {
        let parent = (target as NSString).deletingLastPathComponent, name = (target as NSString).lastPathComponent
        return (parent.appending(path: "." + name + stagingSuffix), parent.appending(path: "." + name + previousSuffix))
    }

    /// The output folder's absolute path without symbolic links (the link's folder is the one
    /// swapped), creating the folders above it.
    private static func resolve(_ output: String) throws -> String {
        if let real = realpath(output, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let url = URL(fileURLWithPath: output).standardizedFileURL
        let parent = url.deletingLastPathComponent().path
        try FileSystem.createFolder(parent)
        guard let real = realpath(parent, nil) else { throw FileError(path: parent, errno: errno, writing: true) }
        defer { free(real) }
        return String(cString: real).appending(path: url.lastPathComponent)
    }
}
