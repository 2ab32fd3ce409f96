import AgentTrail
import AgentTrailTestSupport
import ArgumentParser
import Foundation
import Testing
import Yams
@testable import agenttrail

/// The engines' files under `deploy/` (no cluster here): they parse, their structure holds the sharding contract
/// (one shard per index, the count where the engine needs it, partials where the merge reads them), and every
/// `agenttrail` command line in them is one the CLI accepts.
@Suite struct DeployManifestTests {
    static let root = TestPaths.packageRoot + "/deploy"

    static func yamlDocuments(_ name: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: root + "/" + name, encoding: .utf8)
        return try Yams.load_all(yaml: text).compactMap { $0 as? [String: Any] }
    }

    static func json(_ name: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root + "/" + name))) as? [String: Any])
    }

    /// Parses `args` (after `agenttrail`) as the CLI would; returns the command.
    static func parse(_ args: [String]) throws -> ParsableCommand {
        try AgentTrailCommand.parseAsRoot(args)
    }

    static func container(_ job: [String: Any]) throws -> [String: Any] {
        let spec = try #require(job["spec"] as? [String: Any])
        let template = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        let containers = try #require(template["containers"] as? [[String: Any]])
        #expect(containers.count == 1)
        let c = containers[0]
        // Every mount names a volume of the pod.
        let volumes = Set((template["volumes"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        for m in c["volumeMounts"] as? [[String: Any]] ?? [] {
            #expect(volumes.contains(m["name"] as? String ?? ""), "mount \(m) names no volume")
        }
        #expect(template["restartPolicy"] as? String == "Never")
        return c
    }

    @Test func kubernetesIndexedJobRunsOneShardPerIndex() throws {
        let docs = try Self.yamlDocuments("kubernetes/shards-indexed-job.yaml")
        #expect(docs.count == 1)
        let job = docs[0]
        #expect(job["apiVersion"] as? String == "batch/v1" && job["kind"] as? String == "Job")
        let spec = try #require(job["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed")
        let completions = try #require(spec["completions"] as? Int)
        #expect(spec["parallelism"] as? Int == completions)
        let c = try Self.container(job)
        let env = Dictionary(uniqueKeysWithValues: (c["env"] as? [[String: Any]] ?? []).compactMap { e in
            (e["name"] as? String).map { ($0, e["value"] as? String ?? "") }
        })
        #expect(env["SHARDS"] == String(completions), "SHARDS must equal completions")
        #expect(c["command"] as? [String] == ["agenttrail"])
        // Kubernetes expands $(VAR) from the container's environment.
        let args = try #require(c["args"] as? [String]).map { a in env.reduce(a) { $0.replacingOccurrences(of: "$(\($1.key))", with: $1.value) } }
        let scan = try #require(try Self.parse(args) as? ScanCommand)
        #expect(scan.sharding.shard == "auto" && scan.sharding.shards == completions)
        #expect(scan.sharding.partialOut?.contains("{shard}") == true)
        let spec0 = try ShardSpec.parse("auto", count: scan.sharding.shards, environment: ["JOB_COMPLETION_INDEX": "3"])
        #expect(spec0.index == 3 && spec0.count == completions)
    }

    /// The `agenttrail` command of a `sh -c` line: its words up to a redirection, the glob of partials made two files.
    static func shellCommand(_ line: String) throws -> [String] {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        let start = try #require(words.firstIndex(of: "agenttrail"))
        let end = words[start...].firstIndex(where: { $0.hasPrefix(">") }) ?? words.endIndex
        return words[(start + 1)..<end].flatMap { $0.contains("*") ? [$0.replacingOccurrences(of: "*", with: "a"),
                                                                           $0.replacingOccurrences(of: "*", with: "b")] : [$0] }
    }

    @Test func kubernetesMergeJobMergesWhatTheShardsWrite() throws {
        let job = try #require(try Self.yamlDocuments("kubernetes/merge-job.yaml").first)
        let c = try Self.container(job)
        let line = try #require((c["args"] as? [String])?.first)
        let merge = try #require(try Self.parse(try Self.shellCommand(line)) as? MergeCommand)
        #expect(merge.parts.allSatisfy { $0.hasPrefix("/results/partials/") && $0.hasSuffix(".part") })
        let shardJob = try #require(try Self.yamlDocuments("kubernetes/shards-indexed-job.yaml").first)
        let shardArgs = (try Self.container(shardJob)["args"] as? [String] ?? []).map { $0 == "$(SHARDS)" ? "8" : $0 }
        let shards = try #require(try Self.parse(shardArgs) as? ScanCommand)
        #expect(shards.analysis.config == merge.analysis.config && shards.analysis.policies == merge.analysis.policies,
                "the merge must be given the shards' config and policies")
    }

    @Test func kubernetesVolumesAreClaimed() throws {
        let storage = try Self.yamlDocuments("kubernetes/storage.yaml")
        let claims = Set(storage.filter { $0["kind"] as? String == "PersistentVolumeClaim" }
            .compactMap { ($0["metadata"] as? [String: Any])?["name"] as? String })
        let nightly = try Self.yamlDocuments("kubernetes/nightly-cronjob.yaml").map { try Self.jobOfCronJob($0) }
        let jobs = try ["kubernetes/shards-indexed-job.yaml", "kubernetes/merge-job.yaml"].map { name in
            (name, try #require(try Self.yamlDocuments(name).first))
        } + nightly.map { ("kubernetes/nightly-cronjob.yaml", $0) }
        for (name, job) in jobs {
            let template = try #require(((job["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
            for v in template["volumes"] as? [[String: Any]] ?? [] {
                if let claim = (v["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String {
                    #expect(claims.contains(claim), "\(name): claim \(claim) is not in storage.yaml")
                }
            }
        }
        for pv in storage where pv["kind"] as? String == "PersistentVolume" {
            let csi = try #require((pv["spec"] as? [String: Any])?["csi"] as? [String: Any])
            #expect(csi["driver"] as? String == "s3.csi.aws.com")
        }
    }

    @Test func awsBatchArrayJobRunsOneShardPerChild() throws {
        let def = try Self.json("aws-batch/job-definition.json")
        #expect(def["type"] as? String == "container")
        let params = def["parameters"] as? [String: String] ?? [:]
        let props = try #require(def["containerProperties"] as? [String: Any])
        var command = try #require(props["command"] as? [String])
        #expect(command.first == "agenttrail")
        command = command.dropFirst().map { a in params.reduce(a) { $0.replacingOccurrences(of: "Ref::\($1.key)", with: $1.value) } }
        #expect(!command.contains { $0.hasPrefix("Ref::") }, "every Ref:: has a default parameter")
        let scan = try #require(try Self.parse(command) as? ScanCommand)
        #expect(scan.sharding.shard == "auto" && scan.sharding.shards == nil, "the array size comes from AWS_BATCH_JOB_ARRAY_SIZE")
        #expect(scan.sharding.partialPath(shard: 5) == "/results/partials/shard-5.part")
        let volumes = Set((props["volumes"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        for m in props["mountPoints"] as? [[String: Any]] ?? [] { #expect(volumes.contains(m["sourceVolume"] as? String ?? "")) }

        let submit = try Self.json("aws-batch/submit-shards.json")
        #expect(submit["jobDefinition"] as? String == def["jobDefinitionName"] as? String)
        let size = try #require((submit["arrayProperties"] as? [String: Any])?["size"] as? Int)
        #expect(size >= 2 && size <= 10_000)  // (AWS Batch's array size limits)
        let spec = try ShardSpec.parse("auto", environment: ["AWS_BATCH_JOB_ARRAY_INDEX": "7", "AWS_BATCH_JOB_ARRAY_SIZE": String(size)])
        #expect(spec.index == 7 && spec.count == size)
    }

    @Test func awsBatchMergeDependsOnTheArray() throws {
        let def = try Self.json("aws-batch/merge-job-definition.json")
        let command = try #require((def["containerProperties"] as? [String: Any])?["command"] as? [String])
        #expect(command.prefix(2) == ["/bin/sh", "-c"])
        let merge = try #require(try Self.parse(try Self.shellCommand(command[2])) as? MergeCommand)
        let shardDef = try Self.json("aws-batch/job-definition.json")
        let shardCommand = (shardDef["containerProperties"] as? [String: Any])?["command"] as? [String] ?? []
        let shard = try #require(try Self.parse(Array(shardCommand.dropFirst())) as? ScanCommand)
        #expect(shard.analysis.config == merge.analysis.config && shard.analysis.policies == merge.analysis.policies)
        let submit = try Self.json("aws-batch/submit-merge.json")
        #expect(submit["jobDefinition"] as? String == def["jobDefinitionName"] as? String)
        #expect((submit["dependsOn"] as? [[String: Any]])?.isEmpty == false)
    }

    /// The Job a CronJob makes (`spec.jobTemplate`), as a Job document.
    static func jobOfCronJob(_ cron: [String: Any]) throws -> [String: Any] {
        #expect(cron["apiVersion"] as? String == "batch/v1" && cron["kind"] as? String == "CronJob")
        let template = try #require((cron["spec"] as? [String: Any])?["jobTemplate"] as? [String: Any])
        return ["spec": try #require(template["spec"] as? [String: Any])]
    }

    /// `line` (a `sh -c` script) with the shell's `$night` and `$SHARDS` given values and Kubernetes' `$$` made `$`.
    static func nightlyCommand(_ line: String, shards: Int) throws -> [String] {
        #expect(line.contains("night=$$(date -u +%F)"), "the night's folder is the UTC date")
        let script = line.replacingOccurrences(of: "$$", with: "$").replacingOccurrences(of: "$night", with: "2026-12-03")
            .replacingOccurrences(of: "$SHARDS", with: String(shards))
        return try shellCommand(script)
    }

    /// Nightly at scale: a CronJob of an Indexed Job whose pod K runs shard K of N by account against its own state
    /// file on a volume kept between nights, writing tonight's partial; a merge CronJob later the same UTC day merges
    /// tonight's partials with the shards' config and policies and fails when one is missing.
    @Test func kubernetesNightlyCronJobsShardByAccountWithAStateFilePerShard() throws {
        let docs = try Self.yamlDocuments("kubernetes/nightly-cronjob.yaml")
        #expect(docs.count == 2)
        let (shardCron, mergeCron) = (docs[0], docs[1])
        for cron in docs {
            let spec = try #require(cron["spec"] as? [String: Any])
            #expect(spec["concurrencyPolicy"] as? String == "Forbid", "one night at a time: a state file has one writer")
            #expect(spec["timeZone"] as? String == "Etc/UTC")
        }
        func hour(_ cron: [String: Any]) throws -> Int {
            let schedule = try #require((cron["spec"] as? [String: Any])?["schedule"] as? String)
            return try #require(Int(schedule.split(separator: " ")[1]))
        }
        #expect(try hour(shardCron) < hour(mergeCron), "the merge runs after the shards, the same UTC day")

        let shardJob = try Self.jobOfCronJob(shardCron)
        let spec = try #require(shardJob["spec"] as? [String: Any])
        #expect(spec["completionMode"] as? String == "Indexed" && spec["podReplacementPolicy"] as? String == "Failed")
        let completions = try #require(spec["completions"] as? Int)
        #expect(spec["parallelism"] as? Int == completions)
        let c = try Self.container(shardJob)
        let env = Dictionary(uniqueKeysWithValues: (c["env"] as? [[String: Any]] ?? []).compactMap { e in
            (e["name"] as? String).map { ($0, e["value"] as? String ?? "") }
        })
        #expect(env["SHARDS"] == String(completions), "SHARDS must equal completions")
        #expect((c["command"] as? [String])?.prefix(2) == ["/bin/sh", "-c"])
        let line = try #require((c["args"] as? [String])?.first)
        let scan = try #require(try Self.parse(try Self.nightlyCommand(line, shards: completions)) as? ScanCommand)
        #expect(scan.sharding.shard == "auto" && scan.sharding.shards == completions)
        #expect(scan.sharding.shardBy == nil || scan.sharding.shardBy == .account, "nightly shards are by account")
        let state = try #require(scan.state.state)
        #expect(state.contains("{shard}"), "one state file per shard")
        #expect(scan.sharding.partialPath(shard: 2) == "/results/nightly/2026-12-03/shard-2.part")
        // The state files are on a volume that is claimed (kept between nights), not on the S3 results bucket.
        let mounts = (c["volumeMounts"] as? [[String: Any]] ?? []).compactMap { m -> (String, String)? in
            guard let n = m["name"] as? String, let p = m["mountPath"] as? String else { return nil }
            return (p, n)
        }
        let stateVolume = try #require(mounts.first { state.hasPrefix($0.0 + "/") }?.1)
        let template = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        let volume = try #require((template["volumes"] as? [[String: Any]])?.first { $0["name"] as? String == stateVolume })
        let claim = try #require((volume["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String)
        let storage = try Self.yamlDocuments("kubernetes/storage.yaml")
        let pvc = try #require(storage.first { ($0["metadata"] as? [String: Any])?["name"] as? String == claim })
        #expect((pvc["spec"] as? [String: Any])?["storageClassName"] as? String != "", "state files need a volume that updates in place (not the S3 Mountpoint)")
        let sample = try ShardSpec.parse("auto", count: scan.sharding.shards, environment: ["JOB_COMPLETION_INDEX": "3"])
        #expect(sample.index == 3 && sample.count == completions)

        let mergeJob = try Self.jobOfCronJob(mergeCron)
        let mc = try Self.container(mergeJob)
        let mergeLine = try #require((mc["args"] as? [String])?.first)
        let merge = try #require(try Self.parse(try Self.nightlyCommand(mergeLine, shards: completions)) as? MergeCommand)
        #expect(merge.parts.allSatisfy { $0.hasPrefix("/results/nightly/2026-12-03/shard-") && $0.hasSuffix(".part") })
        #expect(!merge.allowMissingShards, "a missing shard must fail the merge")
        #expect(scan.analysis.config == merge.analysis.config && scan.analysis.policies == merge.analysis.policies,
                "the merge must be given the shards' config and policies")
    }
}
