//! Odd, broken, huge and hostile input: clear errors with their place, bounded time and memory.

use super::*;

#[test]
fn unknown_tags_and_functions_are_warnings() {
    let text = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Frobnicate assets\n      Tags:\n        - Key: team\n          Value: {'Fn::Bogus': [a, b]}\n";
    let imported = import_text("tags.yaml", text);
    assert_sound(&imported);
    let warnings = &imported.report.warnings;
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings[0].starts_with("5:19: unknown tag !Frobnicate"), "{warnings:#?}");
    assert!(warnings[1].contains("unknown intrinsic function Fn::Bogus"), "{warnings:#?}");
    assert!(imported.report.render().contains("Warnings:\n  - 5:19: unknown tag !Frobnicate"));
}

#[test]
fn parse_errors_name_the_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("broken.yaml");
    std::fs::write(&yaml, "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n   Properties: {\n").unwrap();
    let error = import::import_file(&yaml, Catalog::builtin()).unwrap_err();
    let ImportError::Syntax { location, .. } = &error else { panic!("{error}") };
    assert!(location.line >= 4, "{error}");
    let text = error.to_string();
    assert!(
        text.starts_with(&format!("{}:{}:{}: invalid YAML", yaml.display(), location.line, location.column)),
        "{text}"
    );

    let json = dir.path().join("broken.json");
    std::fs::write(
        &json,
        "{\n  \"Resources\": {\n    \"Bucket\": {\"Type\": \"AWS::S3::Bucket\",}\n  }\n}\n",
    )
    .unwrap();
    let error = import::import_file(&json, Catalog::builtin()).unwrap_err();
    let ImportError::Syntax { location, .. } = &error else { panic!("{error}") };
    assert_eq!((location.line, location.column), (3, 42), "{error}");
    assert!(error.to_string().starts_with(&format!("{}:3:42: invalid JSON", json.display())), "{error}");

    let binary = dir.path().join("binary.yaml");
    std::fs::write(&binary, b"Resources:\n  \xff\n").unwrap();
    let error = import::import_file(&binary, Catalog::builtin()).unwrap_err();
    assert!(error.to_string().ends_with("2:3: the file is not valid UTF-8 text"), "{error}");

    let missing = import::import_file(&dir.path().join("missing.yaml"), Catalog::builtin()).unwrap_err();
    assert!(matches!(missing, ImportError::Io { .. }), "{missing}");
}

#[test]
fn files_over_64_mib_are_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.json");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(whoowns::model::limits::MAX_SOURCE_SIZE + 1).unwrap();
    let error = import::import_file(&path, Catalog::builtin()).unwrap_err();
    assert!(matches!(error, ImportError::TooLarge { .. }), "{error}");
}

#[test]
fn odd_input_never_panics() {
    let inputs: Vec<String> = vec![
        String::new(),
        "{}".into(),
        "[]".into(),
        "Resources: 5".into(),
        "Resources: {}".into(),
        "AWSTemplateFormatVersion: '2010-09-09'".into(),
        "Resources:\n  A: 5\n  B: {Type: 7}\n  C: {Type: AWS::S3::Bucket, Properties: [1, 2]}\n".into(),
        "Resources:\n  A: {Type: AWS::S3::BucketPolicy, Properties: {Bucket: !Ref A}}\n".into(),
        "Resources:\n  A: {Type: AWS::EC2::SecurityGroupIngress, Properties: {GroupId: !Ref B, SourceSecurityGroupId: !Ref A, FromPort: x}}\n  B: {Type: AWS::EC2::SecurityGroupIngress, Properties: {GroupId: !Ref A}}\n".into(),
        "Resources:\n  A: {Type: AWS::Lambda::Function, DependsOn: [A, B, 5], Properties: {X: !GetAtt [], Y: !Sub [], Z: !Ref [x], W: {'Fn::GetAtt': 5}}}\n  B: {Type: AWS::Lambda::Function, DependsOn: A}\n".into(),
        "Resources:\n  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref S}}\n  G: {Type: AWS::EC2::SecurityGroup, Properties: {VpcId: !Ref S, SecurityGroupIngress: [{SourceSecurityGroupId: !Ref G, FromPort: 99999999999}]}}\n".into(),
        "Transform: AWS::Serverless-2016-10-31\nGlobals: 5\nResources:\n  F: {Type: AWS::Serverless::Function, Properties: {Events: {A: {Type: Api}, B: 5, C: {Type: SQS, Properties: 7}}}}\n".into(),
        "Resources:\n  F: {Type: 'Custom::Thing'}\n  'Fn::ForEach::Buckets': [x, [a], {}]\n".into(),
        "Resources:\n  'Fn::ForEach::A': [x, !Ref Nope, {a: 5}]\n  'Fn::ForEach::B': [x, [a, 5, {}], {'${x}': {Type: AWS::S3::Bucket}, 'Fn::ForEach::C': [y, [a], {'${x}': 7}]}]\n".into(),
        "a: &a [*a]\n".into(),
        format!("{}{}", "{\"a\":".repeat(200), "}".repeat(200)),
        r#"{"format_version": "1.0"}"#.into(),
        r#"{"format_version": "1.0", "values": {"root_module": 5}}"#.into(),
        r#"{"format_version": "1.0", "values": {"root_module": {"resources": 5, "child_modules": [5, {"resources": [5, {"address": 7}, {"address": "module.x.aws_s3_bucket.b[\"k\"]", "type": "aws_s3_bucket", "values": 5}]}]}}}"#.into(),
        r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "aws_s3_bucket.a", "type": "aws_s3_bucket"}]}}, "configuration": {"root_module": {"resources": [{"address": "aws_s3_bucket.a", "expressions": {"x": {"references": ["var.a", "module.m.o", "aws_s3_bucket.a", 5]}}}], "module_calls": {"m": {"expressions": {"a": {"references": ["module.m.o"]}}, "module": {"outputs": {"o": {"expression": {"references": ["var.a"]}}}}}}}}}"#.into(),
    ];
    for input in &inputs {
        match import::import_str("odd", input, Catalog::builtin()) {
            Ok(imported) => assert_sound(&imported),
            Err(error) => assert!(!error.to_string().is_empty()),
        }
    }
}

/// A template of about 20,000 resources shaped to hit every pass hard: thousands of functions
/// sharing one table, hundreds of security groups with rules, rule lists, referrers by the
/// thousand, and logical ids too long for an id that collide once cut.
fn large_template() -> String {
    use serde_json::{Map, Value, json};
    let mut resources = Map::new();
    let mut add = |id: String, body: Value| {
        resources.insert(id, body);
    };
    add("Vpc".into(), json!({"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/8"}}));
    for s in 0..50 {
        add(
            format!("Subnet{s}"),
            json!({"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "MapPublicIpOnLaunch": s % 2 == 0}}),
        );
    }
    let groups = 800;
    for g in 0..groups {
        // Every fourth group lets the next one in on PostgreSQL, in an inline rule list.
        let next = (g + 1) % groups;
        let mut rules = vec![json!({"CidrIp": "10.0.0.0/8", "FromPort": 443, "ToPort": 443})];
        if g % 4 == 0 {
            rules.push(json!({"SourceSecurityGroupId": {"Ref": format!("Group{next}")}, "FromPort": 5432, "ToPort": 5432}));
        }
        add(
            format!("Group{g}"),
            json!({"Type": "AWS::EC2::SecurityGroup", "Properties": {"VpcId": {"Ref": "Vpc"}, "SecurityGroupIngress": rules}}),
        );
    }
    // One group with thousands of inline rules, each naming another group.
    let big_rules: Vec<Value> = (0..20_000)
        .map(|r| json!({"SourceSecurityGroupId": {"Ref": format!("Group{}", r % groups)}, "FromPort": 3306, "ToPort": 3306}))
        .collect();
    add(
        "BigGroup".into(),
        json!({"Type": "AWS::EC2::SecurityGroup", "Properties": {"VpcId": {"Ref": "Vpc"}, "SecurityGroupIngress": big_rules}}),
    );
    add(
        "Database".into(),
        json!({"Type": "AWS::RDS::DBInstance", "Properties": {"VPCSecurityGroups": [{"Ref": "BigGroup"}]}}),
    );
    add("Table".into(), json!({"Type": "AWS::DynamoDB::Table"}));
    add("Role".into(), json!({"Type": "AWS::IAM::Role"}));
    for q in 0..2_000 {
        add(
            format!("Queue{q}"),
            json!({"Type": "AWS::SQS::Queue", "Properties": {"SqsManagedSseEnabled": true}}),
        );
    }
    for f in 0..5_000 {
        let group = f % groups;
        add(
            format!("Function{f}"),
            json!({"Type": "AWS::Lambda::Function", "Properties": {
                "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                "VpcConfig": {"SubnetIds": [{"Ref": format!("Subnet{}", f % 50)}, {"Ref": format!("Subnet{}", (f + 1) % 50)}],
                              "SecurityGroupIds": [{"Ref": format!("Group{group}")}]},
                "Environment": {"Variables": {"TABLE": {"Ref": "Table"}, "QUEUE": {"Ref": format!("Queue{}", f % 2_000)}}},
            }}),
        );
    }
    for i in 0..4_000 {
        add(
            format!("Instance{i}"),
            json!({"Type": "AWS::EC2::Instance", "Properties": {
                "SubnetId": {"Ref": format!("Subnet{}", i % 50)},
                "SecurityGroupIds": [{"Ref": format!("Group{}", i % groups)}],
                "BlockDeviceMappings": [{"Ebs": {"Encrypted": true}}],
            }}),
        );
    }
    for r in 0..400 {
        add(
            format!("Ingress{r}"),
            json!({"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
                "GroupId": {"Ref": format!("Group{}", r % groups)},
                "SourceSecurityGroupId": {"Ref": format!("Group{}", (r * 7) % groups)}, "FromPort": 6379, "ToPort": 6379}}),
        );
    }
    // Logical ids that share their first 60 characters: cut to an id, only a hash tells them apart.
    let long = "PlatformServicesPaymentsProcessingPipelineSettlementReconciliation";
    for b in 0..2_000 {
        add(format!("{long}Bucket{b}"), json!({"Type": "AWS::S3::Bucket"}));
        add(
            format!("{long}Policy{b}"),
            json!({"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": format!("{long}Bucket{b}")},
                "PolicyDocument": {"Statement": [{"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}}),
        );
    }
    json!({"Resources": resources}).to_string()
}

#[test]
fn twenty_thousand_resources_import() {
    let text = large_template();
    let imported = import_text("large.json", &text);
    assert_sound(&imported);
    let project = &imported.project;
    assert_eq!(project.nodes.len(), 13_003);
    assert_eq!(project.nodes.iter().filter(|n| n.service == "s3").count(), 2_000);
    let ids: std::collections::HashSet<&str> = project.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids.len(), project.nodes.len());
    assert!(project.flows.len() > 10_000, "{}", project.flows.len());
    // The group with 20,000 rules keeps the first 10,000 references, and says so.
    let warnings = &imported.report.warnings;
    assert!(warnings.iter().any(|w| w.starts_with("Resources.BigGroup.Properties: too many references")));
}

/// `terraform show -json` state of about 20,000 resources: counted instances, ids shared by many
/// resources, common words everywhere, long module paths.
fn large_state() -> String {
    use serde_json::{Value, json};
    fn add(resources: &mut Vec<Value>, address: String, resource_type: &str, values: Value) {
        let mut resource = serde_json::Map::new();
        resource.insert("address".into(), Value::String(address));
        resource.insert("mode".into(), "managed".into());
        resource.insert("type".into(), resource_type.into());
        resource.insert("values".into(), values);
        resources.push(Value::Object(resource));
    }
    let mut resources: Vec<Value> = Vec::new();
    let resources = &mut resources;
    add(
        resources,
        "aws_vpc.main".into(),
        "aws_vpc",
        json!({"id": "vpc-0a1b2c3d4e5f60718", "instance_tenancy": "default"}),
    );
    add(
        resources,
        "aws_config_configuration_recorder.default".into(),
        "aws_config_configuration_recorder",
        json!({"id": "default", "name": "default"}),
    );
    for s in 0..50 {
        add(
            resources,
            format!("aws_subnet.private[{s}]"),
            "aws_subnet",
            json!({"id": format!("subnet-{s:017x}"), "vpc_id": "vpc-0a1b2c3d4e5f60718", "tenancy": "default"}),
        );
    }
    for g in 0..400 {
        add(
            resources,
            format!("aws_security_group.app[{g}]"),
            "aws_security_group",
            json!({"id": format!("sg-{g:017x}"), "vpc_id": "vpc-0a1b2c3d4e5f60718", "ingress": [
                {"from_port": 5432, "to_port": 5432, "security_groups": [format!("sg-{:017x}", (g + 1) % 400)]}]}),
        );
    }
    for i in 0..5_000 {
        add(
            resources,
            format!("aws_instance.web[{i}]"),
            "aws_instance",
            json!({"id": format!("i-{i:017x}"), "subnet_id": format!("subnet-{:017x}", i % 50),
                   "vpc_security_group_ids": [format!("sg-{:017x}", i % 400)], "tenancy": "default",
                   "root_block_device": [{"encrypted": true}], "ebs_block_device": []}),
        );
    }
    for q in 0..3_000 {
        add(
            resources,
            format!("aws_sqs_queue.jobs[{q}]"),
            "aws_sqs_queue",
            json!({"id": format!("https://sqs.eu-west-1.amazonaws.com/111122223333/jobs-{q}"),
                   "arn": format!("arn:aws:sqs:eu-west-1:111122223333:jobs-{q}")}),
        );
    }
    let module = "module.platform.module.services.module.payments_processing_pipeline";
    for f in 0..3_000 {
        add(
            resources,
            format!("{module}.aws_lambda_function.settlement_reconciliation[{f}]"),
            "aws_lambda_function",
            json!({"id": format!("fn-{f}"), "environment": [{"variables": {
                "QUEUE": format!("arn:aws:sqs:eu-west-1:111122223333:jobs-{}", f % 3_000), "MODE": "default"}}]}),
        );
        // A state records dependencies by resource, for every instance: thousands here.
        if let Some(last) = resources.last_mut() {
            last["depends_on"] = json!(["aws_sqs_queue.jobs", "aws_s3_bucket.data", "aws_instance.web"]);
        }
    }
    for b in 0..2_000 {
        // Every bucket's configuration resources share its id.
        add(
            resources,
            format!("aws_s3_bucket.data[{b}]"),
            "aws_s3_bucket",
            json!({"id": format!("data-{b}"), "bucket": format!("data-{b}")}),
        );
        add(
            resources,
            format!("aws_s3_bucket_versioning.data[{b}]"),
            "aws_s3_bucket_versioning",
            json!({"id": format!("data-{b}"), "bucket": format!("data-{b}"), "versioning_configuration": [{"status": "Enabled"}]}),
        );
    }
    // Many resources share one id: it names none of them.
    for t in 0..500 {
        add(
            resources,
            format!("aws_cloudwatch_log_group.shared[{t}]"),
            "aws_cloudwatch_log_group",
            json!({"id": "shared", "name": "shared"}),
        );
    }
    json!({"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {"resources": std::mem::take(resources)}}})
        .to_string()
}

#[test]
fn twenty_thousand_terraform_resources_import() {
    let text = large_state();
    let imported = import_text("large-state.json", &text);
    assert_sound(&imported);
    let project = &imported.project;
    assert!(project.nodes.len() > 13_000, "{}", project.nodes.len());
    // Instances sit in their own subnet, not in every subnet.
    let in_subnets: usize =
        project.boundaries.iter().filter(|b| b.kind == BoundaryKind::Subnet).map(|b| b.members.len()).sum();
    assert_eq!(in_subnets, 5_000);
    assert!(!has_flow(project, "aws_instance.web[0]", "aws_config_configuration_recorder.default"));
    assert!(has_flow(
        project,
        "module.platform.module.services.module.payments_processing_pipeline.aws_lambda_function.settlement_reconciliation[7]",
        "aws_sqs_queue.jobs[7]"
    ));
}

#[test]
fn references_and_warnings_stay_bounded() {
    // 200,000 references at the bottom of a path 100 keys deep: paths are kept short, so they
    // collapse into one; and 20,000 distinct references: the resource keeps 10,000.
    let refs: Vec<serde_json::Value> = (0..200_000).map(|_| serde_json::json!({"Ref": "Bucket"})).collect();
    let mut deep = serde_json::Value::Array(refs);
    for level in 0..100 {
        // Moved, not copied: `json!` would serialize the whole value at every level.
        let mut map = serde_json::Map::new();
        map.insert(format!("Level{level}"), deep);
        deep = serde_json::Value::Object(map);
    }
    let wide: serde_json::Map<String, serde_json::Value> =
        (0..20_000).map(|i| (format!("VAR{i}"), serde_json::json!({"Ref": "Bucket"}))).collect();
    let template = serde_json::json!({"Resources": {
        "Bucket": {"Type": "AWS::S3::Bucket"},
        "Deep": {"Type": "AWS::Lambda::Function", "Properties": {"Environment": deep}},
        "Wide": {"Type": "AWS::Lambda::Function", "Properties": {"Environment": {"Variables": wide}}},
    }});
    let imported = import_text("deep.json", &template.to_string());
    assert_sound(&imported);
    let warnings = &imported.report.warnings;
    assert!(
        warnings.iter().any(|w| w.starts_with("Resources.Wide.Properties: too many references")),
        "{warnings:#?}"
    );
    assert!(!warnings.iter().any(|w| w.starts_with("Resources.Deep")), "{warnings:#?}");
    assert!(has_flow(&imported.project, "Deep", "Bucket") && has_flow(&imported.project, "Wide", "Bucket"));
    // Hundreds of odd things: the first 100 are kept, the rest counted.
    let mut text = String::from("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n");
    for i in 0..300 {
        text.push_str(&format!("      Tag{i}: !Frobnicate x\n"));
    }
    let imported = import_text("odd.yaml", &text);
    assert_eq!(imported.report.warnings.len(), import::MAX_WARNINGS);
    assert_eq!(imported.report.omitted_warnings, 200);
    assert!(imported.report.summary().contains("300 warning(s)"));
    assert!(imported.report.summary().ends_with("; and 200 more"));
}

#[test]
fn more_than_a_project_holds_is_an_error() {
    let mut resources = serde_json::Map::new();
    for s in 0..20_001 {
        resources.insert(format!("Subnet{s}"), serde_json::json!({"Type": "AWS::EC2::Subnet"}));
    }
    let text = serde_json::json!({"Resources": resources}).to_string();
    let error = import::import_str("subnets.json", &text, Catalog::builtin()).unwrap_err();
    assert!(matches!(error, ImportError::TooMany { excess: 2, .. }), "{error}");
    assert!(error.to_string().contains("20002 boundaries, 2 more than the 20000"), "{error}");
}

#[test]
fn a_long_text_copied_thousands_of_times_is_refused_or_left_in_place() {
    // One 8 MB scalar aliased 4,000 times asks for 32 GB once expanded: refused before copying.
    let mut yaml = format!(
        "Parameters:\n  Big:\n    Type: String\n    Default: &big {}\nResources:\n",
        "x".repeat(8 << 20)
    );
    for i in 0..4_000 {
        yaml.push_str(&format!("  B{i}:\n    Type: AWS::S3::Bucket\n    Properties: {{BucketName: *big}}\n"));
    }
    let error = import::import_str("aliases.yaml", &yaml, Catalog::builtin()).unwrap_err().to_string();
    assert!(error.contains("MiB of text once aliases are expanded"), "{error}");

    // The same through a parameter's default, which each Ref reads: copies stop at the budget.
    let mut json = format!(
        "{{\"Parameters\": {{\"Big\": {{\"Type\": \"String\", \"Default\": \"{}\"}}}}, \"Resources\": {{",
        "x".repeat(8 << 20)
    );
    for i in 0..4_000 {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&format!("\"B{i}\": {{\"Type\": \"AWS::S3::Bucket\", \"Properties\": {{\"BucketName\": {{\"Ref\": \"Big\"}}}}}}"));
    }
    json.push_str("}}");
    let imported = import_text("defaults.json", &json);
    assert_eq!(imported.project.nodes.len(), 4_000);
    assert!(
        imported
            .report
            .warnings
            .iter()
            .any(|w| w.starts_with("parameter defaults and SAM globals are copied")),
        "{:#?}",
        imported.report.warnings
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// The YAML reader's budget, as the fuzz target `import_yaml` checks it: whatever parses holds
    /// no more than was counted, and what was counted stays within the limits. Documents are
    /// made of anchors and aliases of long texts and of each other, the shapes that multiply.
    #[test]
    fn what_yaml_builds_stays_within_what_it_counts(
        lengths in proptest::collection::vec(0usize..200_000, 1..4),
        aliases in proptest::collection::vec((0usize..4, 1usize..200), 1..6),
    ) {
        let mut text = String::new();
        for (i, length) in lengths.iter().enumerate() {
            text.push_str(&format!("a{i}: &a{i} {}\n", "y".repeat(*length)));
        }
        for (n, (target, times)) in aliases.iter().enumerate() {
            let target = target % lengths.len();
            text.push_str(&format!("l{n}: &l{n} ["));
            for k in 0..*times {
                let alias = if n > 0 && k % 2 == 1 { format!("l{}", n - 1) } else { format!("a{target}") };
                text.push_str(&format!("*{alias}, "));
            }
            text.push_str("x]\n");
        }
        if let Ok((value, counted)) = import::parse_yaml("prop.yaml", &text) {
            proptest::prop_assert!(counted.values <= import::MAX_YAML_VALUES);
            proptest::prop_assert!(counted.bytes <= import::MAX_YAML_TEXT_BYTES);
            let held = import::yaml_cost(&value);
            proptest::prop_assert!(held.values <= counted.values && held.bytes <= counted.bytes);
        }
    }
}
