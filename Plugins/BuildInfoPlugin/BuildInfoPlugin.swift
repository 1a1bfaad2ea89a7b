import Foundation
import PackagePlugin

/// Stamps the target it is applied to with the git commit it is built from, as
/// `BuildInfo.commit`, so `understudy --version` says which source a binary came from without a
/// generated file in the repository or a step before `swift build`.
///
/// A build command whose inputs are what git rewrites whenever HEAD moves, so the build system
/// reruns it after a commit, a checkout, a reset or a pull, and skips it otherwise. Not a
/// prebuild command, though those are meant to run at every build: SwiftPM runs them only when
/// it replans the build (after a manifest change), so an incremental build would keep the old
/// commit (swiftlang/swift-package-manager#5476). The command is one `git rev-parse`, and the
/// file is rewritten only when the commit changed, so nothing recompiles needlessly.
///
/// Outside a git checkout (a source archive, or git not installed) the commit is `unknown` and
/// the build goes on; inside someone else's repository (this package vendored in a subdirectory)
/// it is `unknown` too, rather than that repository's commit.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let package = context.package.directoryURL
        let work = context.pluginWorkDirectoryURL
        let output = work.appending(path: "BuildInfo.swift")
        return [
            .buildCommand(
                displayName: "Stamping \(target.name) with its git commit",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", Self.script, "stamp", package.path, output.path, work.appending(path: "BuildInfo.swift.next").path],
                inputFiles: Self.headInputs(package: package),
                outputFiles: [output])
        ]
    }

    /// What changes when HEAD moves: `HEAD` itself (a checkout), its reflog (every move, unless
    /// reflogs are off), and the git directories, whose modification time changes whenever git
    /// renames a file into them (`HEAD`, the index, `packed-refs`, a reftable's list), which
    /// covers commits with reflogs off. Only paths git never deletes are listed: a listed input
    /// that disappears fails the build, which is why the branch's own ref file (removed by
    /// `git pack-refs`, run by `git gc --auto`) is not among them. Outside a checkout there are
    /// none, and the command runs once. A worktree's `.git` is a file naming its own git
    /// directory, which names the shared one in `commondir`.
    static func headInputs(package: URL) -> [URL] {
        let files = FileManager.default
        let dotGit = package.appending(path: ".git")
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: dotGit.path, isDirectory: &isDirectory) else { return [] }
        var gitDirectory = dotGit
        if !isDirectory.boolValue {
            guard let text = try? String(contentsOf: dotGit, encoding: .utf8),
                let line = text.split(whereSeparator: \.isNewline).first, line.hasPrefix("gitdir:")
            else { return [] }
            gitDirectory = resolve(line.dropFirst("gitdir:".count), against: package)
        }
        let common = (try? String(contentsOf: gitDirectory.appending(path: "commondir"), encoding: .utf8))
            .map { resolve(Substring($0), against: gitDirectory) } ?? gitDirectory
        let candidates = [
            gitDirectory.appending(path: "HEAD"), gitDirectory.appending(path: "logs/HEAD"), gitDirectory, common, common.appending(path: "reftable"),
        ]
        var seen = Set<String>()
        return candidates.filter { files.fileExists(atPath: $0.path) && seen.insert($0.standardizedFileURL.path).inserted }
    }

    private static func resolve(_ path: Substring, against base: URL) -> URL {
        let trimmed = path.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.hasPrefix("/") ? URL(fileURLWithPath: trimmed) : base.appending(path: trimmed)
    }

    /// `$1` the package directory, `$2` the file to write, `$3` a scratch file beside it. The
    /// commit counts only if the package directory is the top of the checkout.
    static let script = #"""
        set -u
        PATH="${PATH:-}:/usr/bin:/bin:/usr/local/bin:/opt/homebrew/bin"
        commit=unknown
        if top=$(git -C "$1" rev-parse --show-toplevel 2>/dev/null) \
            && [ "$(cd "$top" && pwd -P)" = "$(cd "$1" && pwd -P)" ] \
            && head=$(git -C "$1" rev-parse --short HEAD 2>/dev/null); then
            case "$head" in
                *[!0-9a-f]* | "") ;;
                *) commit=$head ;;
            esac
        fi
        cat > "$3" <<SWIFT
        // Written by the BuildInfo plugin when HEAD moves; not part of the repository.
        enum BuildInfo {
            /// \`git rev-parse --short HEAD\` of the checkout this was built from, or "unknown".
            static let commit = "$commit"
        }
        SWIFT
        if cmp -s "$3" "$2"; then rm -f "$3"; else mv -f "$3" "$2"; fi
        """#
}
