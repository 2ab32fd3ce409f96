#!/usr/bin/env python3
"""Extract Panther's labelled CloudTrail rule tests for the families AgentTrail covers.

Reads a checkout (or `git archive`) of panther-labs/panther-analysis and writes
Tests/AgentTrailTests/Fixtures/reallogs/panther-labelled-tests.json. Needs PyYAML (not stdlib: this script is
only run by hand to refresh the fixture). Nothing of Panther's code is copied: only the `Tests[]` of the rules
below (their Name, ExpectedResult, Mocks and Log), which are CloudTrail records, Apache-2.0.

    git --git-dir=PANTHER.git archive HEAD rules | tar -x -C /tmp/panther
    Scripts/extract_panther_tests.py /tmp/panther --commit SHA --date ISO8601

The reasons (`whyNot`) and scope notes below were written by reading each rule's `.py`.
"""
import argparse
import json
import os
import sys

import yaml

REPO = "panther-labs/panther-analysis"
OUT = "Tests/AgentTrailTests/Fixtures/reallogs/panther-labelled-tests.json"


class NoTimestampLoader(yaml.SafeLoader):
    """SafeLoader that keeps unquoted timestamps as the strings they are in the YAML (logs stay verbatim)."""


NoTimestampLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# AgentTrail detector id -> Panther rules (RuleID, file under rules/aws_cloudtrail_rules/, what the rule fires on,
# how it differs from the family or None when it matches it).
RULES = {
    "audit-tampering": [
        ("AWS.CloudTrail.Stopped", "aws_cloudtrail_stopped.yml",
         "successful DeleteTrail or StopLogging",
         "narrower: successful StopLogging/DeleteTrail only; audit-tampering also covers selector and UpdateTrail "
         "reductions and event data stores, and reports failed attempts one severity lower"),
        ("AWS.CloudTrail.Created", "aws_cloudtrail_created.yml",
         "successful CreateTrail, UpdateTrail or StartLogging",
         "other direction: Panther fires on any trail created, updated or started (coverage added or changed); "
         "audit-tampering alerts on UpdateTrail only when it reduces coverage (else info) and does not look at "
         "CreateTrail or StartLogging"),
        ("AWS.CloudTrail.EventSelectorsDisabled", "aws_cloudtrail_event_selectors_disabled.yml",
         "successful PutEventSelectors where some selector has includeManagementEvents false",
         "narrower and different: Panther fires when any selector excludes management events (audit-tampering: when "
         "none includes them); audit-tampering also counts ReadOnly/WriteOnly-only selectors, excluded sources, "
         "empty lists and advanced selectors as reductions"),
        ("AWS.CloudTrail.SecurityConfigurationChange", "aws_security_configuration_change.yml",
         "successful DeleteTrail, StopLogging and other account-wide security changes (Config recorder/delivery "
         "channel, GuardDuty detector, flow logs, EventBridge/Config rules, EBS default encryption, S3 account "
         "public access block, UpdateDetector enable=false), minus an ALLOW_LIST",
         "broader: only its CloudTrail events (DeleteTrail, StopLogging) belong to audit-tampering"),
    ],
    "root-activity": [
        ("AWS.Console.RootLogin", "aws_console_root_login.yml",
         "ConsoleLogin by Root with responseElements.ConsoleLogin Success",
         "narrower: successful root console sign-ins only; root-activity covers every root call and sign-in"),
        ("AWS.Console.RootLoginFailed", "aws_console_root_login_failed.yml",
         "ConsoleLogin by Root with responseElements.ConsoleLogin Failure",
         "narrower: failed root console sign-ins only (root-activity reports them, medium when only failures)"),
        ("AWS.CloudTrail.RootAccessKeyCreated", "aws_root_access_key_created.yml",
         "CreateAccessKey by Root for itself (no requestParameters)",
         "narrower: root creating its own access key only; root-activity reports every root credential change"),
        ("AWS.Root.Activity", "aws_root_activity.yml",
         "Root call that succeeded (no errorCode/errorMessage), not invokedBy a service, not AwsServiceEvent, not "
         "CreateServiceLinkedRole, not readOnly",
         "narrower: Panther ignores failed, readOnly, service-invoked (invokedBy) and AwsServiceEvent root calls and "
         "CreateServiceLinkedRole; root-activity reports all root calls (reads medium, failures one severity lower)"),
        ("AWS.CloudTrail.RootPasswordChanged", "aws_root_password_changed.yml",
         "PasswordUpdated by Root with responseElements.PasswordUpdated Success",
         "narrower: successful root password change only"),
        ("AWS.Console.LoginWithoutMFA", "aws_console_login_without_mfa.yml",
         "successful ConsoleLogin of any principal without MFA (additionalEventData.MFAUsed != Yes and session not "
         "mfaAuthenticated), except AWS SSO/SAML sign-ins and users/accounts under 3 days old (Panther cache state)",
         "broader and narrower: any principal type, so only its Root records are in root-activity's scope; for root, "
         "fires only without MFA (root-activity reports every root sign-in, critical without MFA from an untrusted IP)"),
    ],
    "bedrock-guardrail-or-logging-change": [
        ("AWS.Bedrock.DeleteModelInvocationLoggingConfiguration",
         "aws_bedrock_deletemodelinvocationloggingconfiguration.yml",
         "successful bedrock DeleteModelInvocationLoggingConfiguration",
         "narrower: deletes of invocation logging only; the family also covers Put...LoggingConfiguration, guardrail "
         "changes and denied attempts"),
        ("AWS.Bedrock.GuardrailUpdateDelete", "aws_bedrock_guardrail_update_delete.yml",
         "successful bedrock UpdateGuardrail or DeleteGuardrail",
         "narrower: successful guardrail update/delete only; the family also covers logging changes, enforced "
         "guardrail configuration and denied attempts"),
    ],
    "model-access-change": [],
    "denied-calls": [
        ("AWS.CloudTrail.UnauthorizedAPICall", "aws_unauthorized_api_call.yml",
         "errorCode AccessDenied from a literal IP source address (not an AWS service name), not an Amazon IP "
         "(MISP warning list enrichment), not DescribeEventAggregates/ListResourceTags; CreateAlert false (signal)",
         "narrower: errorCode AccessDenied only (denied-calls also counts AccessDeniedException, "
         "UnauthorizedOperation, VpceAccessDenied, ... and 'not authorized' messages) and only from IP addresses"),
    ],
}

# (rule, test name) -> why Panther's rule does not fire, from the rule's .py.
WHY_NOT = {
    ("AWS.CloudTrail.Stopped", "CloudTrail Was Started"):
        "StartLogging, not StopLogging/DeleteTrail (logging turned on)",
    ("AWS.CloudTrail.Stopped", "Error Stopping CloudTrail"):
        "failed call (errorCode InvalidTrailNameException); the rule needs success",
    ("AWS.CloudTrail.Created", "KMS Decrypt Event"):
        "not a CloudTrail create/update/start (kms Decrypt)",
    ("AWS.CloudTrail.Created", "Error Creating CloudTrail"):
        "failed call (errorCode CloudTrailInvalidClientTokenIdException); the rule needs success",
    ("AWS.CloudTrail.EventSelectorsDisabled", "Event Selector Enabled"):
        "every selector includes management events (includeManagementEvents true, readWriteType All)",
    ("AWS.CloudTrail.EventSelectorsDisabled", "Uninteresting Event Type"):
        "GetEventSelectors is a read, not PutEventSelectors",
    ("AWS.CloudTrail.SecurityConfigurationChange", "Security Configuration Not Changed"):
        "DescribeTrail is not in the rule's list of security changes (a read)",
    ("AWS.CloudTrail.SecurityConfigurationChange", "Non Security Configuration Change"):
        "iam PutPolicy is not in the rule's list of security changes",
    ("AWS.CloudTrail.SecurityConfigurationChange", "Security Configuration Not Changed - Error"):
        "failed call (errorCode ConflictException); the rule needs success",
    ("AWS.CloudTrail.SecurityConfigurationChange", "Security Configuration Changed - Allowlisted User"):
        "allow-listed: the test mocks ALLOW_LIST with sessionIssuer userName ExampleUser + DeleteRule (without the "
        "mock DeleteRule would fire)",
    ("AWS.Bedrock.DeleteModelInvocationLoggingConfiguration", "List Guardrails"):
        "ListGuardrails is a read, not DeleteModelInvocationLoggingConfiguration",
    ("AWS.Bedrock.GuardrailUpdateDelete", "List Guardrails"):
        "ListGuardrails is a read, not UpdateGuardrail/DeleteGuardrail",
    ("AWS.Console.RootLogin", "Non-Login Event"):
        "not a root ConsoleLogin (AssumedRole, dynamodb DescribeTable)",
    ("AWS.Console.RootLoginFailed", "Successful Login"):
        "the root console login succeeded (the rule is for failed logins)",
    ("AWS.Console.RootLoginFailed", "Non-Login Event"):
        "not a root ConsoleLogin (AssumedRole, dynamodb DescribeTable)",
    ("AWS.CloudTrail.RootAccessKeyCreated", "Root Created Access Key For User"):
        "root created an access key for an IAM user (requestParameters.userName example-user), not for itself",
    ("AWS.Root.Activity", "Root Activity - CreateServiceLinkedRole"):
        "CreateServiceLinkedRole is on the rule's allow list",
    ("AWS.Root.Activity", "IAMUser Activity"):
        "not Root (userIdentity.type IAMUser; also invokedBy signin.amazonaws.com)",
    ("AWS.Root.Activity", "Root User Failed Activity"):
        "failed: errorMessage set (ExternalIdPDirectoryLogin Failure; no errorCode)",
    ("AWS.Root.Activity", "Root Read-Only Enumeration"):
        "readOnly event (iam ListAccessKeys)",
    ("AWS.CloudTrail.RootPasswordChanged", "Root Password Change Failed"):
        "failed password change (responseElements.PasswordUpdated Failure; no errorCode)",
    ("AWS.Console.LoginWithoutMFA", "MFA Login - SAML"):
        "SAML federated sign-in (additionalEventData.SamlProviderArn set)",
    ("AWS.Console.LoginWithoutMFA", "MFA Login"):
        "console login with MFA (MFAUsed Yes)",
    ("AWS.Console.LoginWithoutMFA", "No MFA - Login Failed"):
        "failed login (ConsoleLogin Failure)",
    ("AWS.Console.LoginWithoutMFA", "No MFA - authenticated from session with MFA"):
        "no responseElements.ConsoleLogin Success in the record (partial record) and the session is "
        "MFA-authenticated (mfaAuthenticated true)",
    ("AWS.Console.LoginWithoutMFA", "No MFA Login - New User"):
        "new user: check_account_age mocked True (user or account under 3 days old, Panther cache state)",
    ("AWS.Console.LoginWithoutMFA", "AWS SSOv2 Login"):
        "AWS IAM Identity Center (SSO) sign-in (userIdentity.arn contains AWSReservedSSO)",
    ("AWS.Console.LoginWithoutMFA", "AssumeRole from MFA User Session"):
        "session MFA-authenticated (sessionContext.attributes.mfaAuthenticated true) although MFAUsed No",
    ("AWS.Console.LoginWithoutMFA", "No MFA - IAM Role and External IDP"):
        "configuration: ROLES_VIA_EXTERNAL_IDP mocked True, so AssumedRole sign-ins (external IdP) are ignored",
    ("AWS.CloudTrail.UnauthorizedAPICall", "Unauthorized API Call from Within AWS (FQDN)"):
        "sourceIPAddress is an AWS service name (sqs.amazonaws.com), not an IP address",
    ("AWS.CloudTrail.UnauthorizedAPICall", "Authorized API Call"):
        "no errorCode: the call succeeded",
}

# (rule, test name) -> why the record is outside the family whatever Panther expects, for records the generic
# checks below do not catch.
OUT_OF_FAMILY = {
    ("AWS.CloudTrail.SecurityConfigurationChange", "Security Configuration Changed - Allowlisted User"):
        "DeleteRule is not a CloudTrail API (EventBridge/Config); eventSource cloudtrail.amazonaws.com is a fixture "
        "artefact",
}


def out_of_family(family, rule, name, log):
    if (rule, name) in OUT_OF_FAMILY:
        return OUT_OF_FAMILY[(rule, name)]
    source = log.get("eventSource")
    if family == "audit-tampering" and source != "cloudtrail.amazonaws.com":
        return f"not a CloudTrail API call (eventSource {source})"
    if family == "bedrock-guardrail-or-logging-change" and source != "bedrock.amazonaws.com":
        return f"not a Bedrock call (eventSource {source})"
    if family == "root-activity":
        kind = (log.get("userIdentity") or {}).get("type")
        if kind != "Root":
            return f"not a Root record (userIdentity.type {kind})"
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("panther", help="directory holding panther-analysis rules/")
    ap.add_argument("--commit", required=True)
    ap.add_argument("--date", required=True, help="commit date, ISO 8601")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()

    families, tests, seen, used_why = {}, [], set(), set()
    rules_info = {}
    for family, rules in RULES.items():
        families[family] = [r[0] for r in rules]
        for rule_id, file, logic, note in rules:
            path = os.path.join(args.panther, "rules", "aws_cloudtrail_rules", file)
            with open(path, encoding="utf-8") as f:
                doc = yaml.load(f, Loader=NoTimestampLoader)
            assert doc["RuleID"] == rule_id, (path, doc["RuleID"])
            assert "AWS.CloudTrail" in doc["LogTypes"], path
            rules_info[rule_id] = {"family": family, "file": "rules/aws_cloudtrail_rules/" + file,
                                   "enabled": doc.get("Enabled"), "fires on": logic}
            if note:
                rules_info[rule_id]["note"] = note
            for t in doc.get("Tests") or []:
                key = (rule_id, t["Name"])
                if key in seen:
                    continue
                seen.add(key)
                expected = t["ExpectedResult"]
                assert isinstance(expected, bool), key
                entry = {"rule": rule_id, "family": family, "name": t["Name"], "expected": expected}
                if note:
                    entry["note"] = note
                if not expected:
                    if key not in WHY_NOT:
                        sys.exit(f"no whyNot for {key}")
                    entry["whyNot"] = WHY_NOT[key]
                    used_why.add(key)
                out = out_of_family(family, rule_id, t["Name"], t["Log"])
                if out:
                    entry["outOfFamily"] = out
                if t.get("Mocks"):
                    entry["mocks"] = t["Mocks"]
                entry["log"] = t["Log"]
                tests.append(entry)
    unused = set(WHY_NOT) - used_why
    if unused:
        sys.exit(f"whyNot for tests not found: {sorted(unused)}")

    doc = {
        "source": {"repo": REPO, "commit": args.commit, "date": args.date, "licence": "Apache-2.0",
                   "copyright": "Copyright 2023 Panther Labs, Inc.",
                   "files": "Tests[] (Name, ExpectedResult, Mocks, Log) of the rules listed under rules; no code"},
        "fields": {
            "expected": "Panther's ExpectedResult for its rule, not a verdict for the AgentTrail family",
            "whyNot": "for expected false: what in the record (or the test's mocks) makes Panther's rule not fire",
            "note": "how the Panther rule is narrower or broader than the AgentTrail family",
            "outOfFamily": "the record is not about the family's subject (e.g. not Root for root-activity), so the "
                           "family's detector has nothing to say about it whatever Panther expects",
            "mocks": "Panther test mocks (Panther-side state or configuration the rule consulted)",
        },
        "families": families,
        "familiesWithoutRules": {
            "model-access-change": "no Panther CloudTrail rule on PutUseCaseForModelAccess, "
                                   "PutFoundationModelEntitlement or CreateFoundationModelAgreement",
        },
        "rules": rules_info,
        "tests": tests,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"{len(tests)} tests -> {args.out}")


if __name__ == "__main__":
    main()
