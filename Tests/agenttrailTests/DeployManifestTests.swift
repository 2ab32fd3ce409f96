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
        for name in ["kubernetes/shards-indexed-job.yaml", "kubernetes/merge-job.yaml"] {
            let job = try #require(try Self.yamlDocuments(name).first)
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
}
