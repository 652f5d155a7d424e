//! Importing CloudFormation, SAM and Terraform: the fixtures under `tests/fixtures/import/` and
//! small sources written inline.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use std::path::{Path, PathBuf};

use whoowns::catalog::Catalog;
use whoowns::checklist;
use whoowns::import::{self, ImportError, Imported, SourceFormat};
use whoowns::model::{BoundaryKind, Flow, Node, Project, TaskStatus, is_valid_id};

const FIXTURES: [&str; 4] =
    ["multi-tier-web.yaml", "serverless-api.yaml", "eks-cluster.json", "terraform-plan.json"];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

fn import_fixture(name: &str) -> Imported {
    import::import_file(&fixture(name), Catalog::builtin()).unwrap_or_else(|error| panic!("{error}"))
}

fn import_text(name: &str, text: &str) -> Imported {
    import::import_str(name, text, Catalog::builtin()).unwrap_or_else(|error| panic!("{error}"))
}

/// The node labelled `label` (the logical id or Terraform address).
fn node<'a>(project: &'a Project, label: &str) -> &'a Node {
    project.nodes.iter().find(|n| n.label == label).unwrap_or_else(|| {
        let labels: Vec<&str> = project.nodes.iter().map(|n| n.label.as_str()).collect();
        panic!("no node labelled {label:?}; there are {labels:?}")
    })
}

fn flow<'a>(project: &'a Project, from: &str, to: &str) -> &'a Flow {
    let (from, to) = (&node(project, from).id, &node(project, to).id);
    project.flows.iter().find(|f| &f.from == from && &f.to == to).unwrap_or_else(|| {
        let flows: Vec<String> = project.flows.iter().map(|f| format!("{} -> {}", f.from, f.to)).collect();
        panic!("no flow {from} -> {to}; there are {flows:#?}")
    })
}

fn has_flow(project: &Project, from: &str, to: &str) -> bool {
    let (from, to) = (&node(project, from).id, &node(project, to).id);
    project.flows.iter().any(|f| &f.from == from && &f.to == to)
}

/// The labels of the members of the boundary labelled `label` (labels start with the logical id).
fn members(project: &Project, label: &str) -> Vec<String> {
    let boundary = project
        .boundaries
        .iter()
        .find(|b| b.label == label || b.label.starts_with(&format!("{label} ")))
        .unwrap_or_else(|| panic!("no boundary labelled {label:?}"));
    let mut labels: Vec<String> =
        boundary.members.iter().map(|m| project.node(m).unwrap().label.clone()).collect();
    labels.sort();
    labels
}

fn boundary_parent_label(project: &Project, label: &str) -> Option<String> {
    let boundary = project.boundaries.iter().find(|b| b.label.split(' ').next() == Some(label))?;
    let parent = boundary.parent.as_deref()?;
    Some(project.boundary(parent)?.label.clone())
}

fn done_note(project: &Project, node_label: &str, task: &str) -> String {
    let key = format!("{}/{task}", node(project, node_label).id);
    let state = project.tasks.get(&key).unwrap_or_else(|| {
        panic!("task {key} is not marked; marked: {:#?}", project.tasks.keys().collect::<Vec<_>>())
    });
    assert_eq!(state.status, TaskStatus::Done, "{key}");
    assert_eq!(state.updated, None, "{key}");
    state.note.clone()
}

fn folded(imported: &Imported, line: &str) -> bool {
    imported.report.folded.iter().any(|f| f == line)
}

/// What every import must give: a valid project, laid out by nobody yet, whose done tasks are all
/// real tasks of the derived checklist.
fn assert_sound(imported: &Imported) {
    let catalog = Catalog::builtin();
    let project = &imported.project;
    let problems = whoowns::io::validate(project, catalog, "");
    assert!(problems.is_empty(), "{problems:#?}");
    for node in &project.nodes {
        assert!(is_valid_id(&node.id).is_ok(), "{}", node.id);
        assert!(node.position.is_none(), "{}", node.id);
        assert!(!node.label.is_empty(), "{}", node.id);
    }
    for boundary in &project.boundaries {
        assert!(boundary.rect.is_none(), "{}", boundary.id);
    }
    let derivation = checklist::derive(project, catalog);
    assert!(derivation.orphaned.is_empty(), "orphaned: {:?}", derivation.orphaned);
    let derived: std::collections::HashSet<&str> = derivation.tasks.iter().map(|t| t.key.as_str()).collect();
    for (key, state) in &project.tasks {
        assert!(derived.contains(key.as_str()), "{key} is not a task of the derived checklist");
        assert_eq!(state.status, TaskStatus::Done);
        assert!(state.note.starts_with("set in "), "{key}: {}", state.note);
    }
    assert_eq!(imported.report.satisfied.len(), project.tasks.len());
    assert_eq!(imported.report.nodes, project.nodes.len());
    assert_eq!(imported.report.flows, project.flows.len());
    assert_eq!(imported.report.boundaries, project.boundaries.len());
    // The file whoowns writes for it loads back as it was.
    let text = whoowns::io::to_ron_string(project).unwrap();
    let loaded = whoowns::io::parse(Path::new("imported.ron"), text.as_bytes(), catalog).unwrap();
    let mut expected = project.clone();
    expected.normalize();
    assert_eq!(loaded.project, expected);
}

#[test]
fn every_fixture_imports_and_validates() {
    for name in FIXTURES {
        let imported = import_fixture(name);
        assert_sound(&imported);
        let accounts = imported.project.boundaries.iter().filter(|b| b.kind == BoundaryKind::Account).count();
        assert_eq!(accounts, 1, "{name}");
        assert!(imported.project.description.contains(&format!("Imported from {name}")), "{name}");
        assert!(!imported.report.render().is_empty());
    }
}

#[test]
fn multi_tier_web_application() {
    let imported = import_fixture("multi-tier-web.yaml");
    let project = &imported.project;
    assert_eq!(imported.report.format, SourceFormat::CloudFormation);
    assert_eq!(project.name, "multi-tier-web");

    // Nodes and their services.
    let mut services: Vec<(&str, &str)> =
        project.nodes.iter().map(|n| (n.label.as_str(), n.service.as_str())).collect();
    services.sort_unstable();
    assert_eq!(
        services,
        vec![
            ("AlertTopic", "sns"),
            ("AppLogGroup", "cloudwatch"),
            ("AssetsBucket", "s3"),
            ("DataKey", "kms"),
            ("Database", "rds"),
            ("DatabaseSecret", "secrets_manager"),
            ("LoadBalancer", "elb"),
            ("LogsBucket", "s3"),
            ("WebCpuAlarm", "cloudwatch"),
            ("WebRole", "iam"),
            ("WebServerGroup", "ec2"),
        ]
    );
    assert_eq!(node(project, "AssetsBucket").id, "assets-bucket");
    assert!(node(project, "LoadBalancer").internet_facing);
    assert!(!node(project, "WebServerGroup").internet_facing, "private subnets, no public address");
    assert!(!node(project, "Database").internet_facing);

    // Boundaries: one VPC in the account, subnets and security groups in the VPC.
    let kinds = |kind| project.boundaries.iter().filter(|b| b.kind == kind).count();
    assert_eq!(kinds(BoundaryKind::Vpc), 1);
    assert_eq!(kinds(BoundaryKind::Subnet), 6);
    assert_eq!(kinds(BoundaryKind::SecurityGroup), 3);
    assert_eq!(boundary_parent_label(project, "Vpc").as_deref(), Some("multi-tier-web.yaml"));
    for label in ["PublicSubnetA", "AppSubnetB", "DataSubnetA", "WebSecurityGroup"] {
        assert_eq!(boundary_parent_label(project, label).as_deref(), Some("Vpc 10.0.0.0/16"), "{label}");
    }
    assert_eq!(members(project, "PublicSubnetA"), vec!["LoadBalancer"]);
    assert_eq!(members(project, "PublicSubnetB"), vec!["LoadBalancer"]);
    assert_eq!(members(project, "AppSubnetA"), vec!["WebServerGroup"]);
    assert_eq!(members(project, "DataSubnetB"), vec!["Database"], "through its DB subnet group");
    assert_eq!(members(project, "WebSecurityGroup"), vec!["WebServerGroup"], "through its launch template");
    assert_eq!(members(project, "DatabaseSecurityGroup"), vec!["Database"]);
    assert_eq!(members(project, "AlbSecurityGroup"), vec!["LoadBalancer"]);
    assert!(members(project, "Vpc").is_empty(), "nodes sit in the innermost boundary");
    assert!(members(project, "multi-tier-web.yaml").contains(&"AssetsBucket".to_owned()));

    // Flows: the load balancer forwards plain HTTP to the web servers (target group on port 80,
    // and the web security group lets the load balancer's in on port 80).
    let web = flow(project, "LoadBalancer", "WebServerGroup");
    assert_eq!(web.protocol, "HTTP");
    assert_eq!(web.encrypted_in_transit, Some(false));
    let db = flow(project, "WebServerGroup", "Database");
    assert_eq!(db.protocol, "PostgreSQL");
    assert_eq!(db.encrypted_in_transit, Some(true));
    assert_eq!(flow(project, "WebServerGroup", "AssetsBucket").protocol, "HTTPS");
    assert_eq!(flow(project, "AssetsBucket", "LogsBucket").label, "DestinationBucketName");
    assert!(has_flow(project, "Database", "DatabaseSecret"));
    assert!(has_flow(project, "WebCpuAlarm", "AlertTopic"));
    assert!(!has_flow(project, "WebCpuAlarm", "WebServerGroup"), "alarm dimensions are no flow");
    assert!(!has_flow(project, "Database", "DataKey"), "keys are used, not talked to");
    assert!(!has_flow(project, "WebRole", "AssetsBucket"), "policies grant, they do not connect");
    assert_eq!(project.flows.len(), 6, "{:#?}", project.flows);
    let ids: std::collections::HashSet<&str> = project.flows.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids.len(), project.flows.len());

    // Folded configuration.
    for line in [
        "BucketPolicy AssetsBucketPolicy folded into AssetsBucket",
        "Listener HttpsListener folded into LoadBalancer",
        "TargetGroup WebTargetGroup folded into LoadBalancer",
        "LaunchTemplate WebLaunchTemplate folded into WebServerGroup",
        "DBSubnetGroup DatabaseSubnetGroup folded into Database",
        "DBParameterGroup DatabaseParameters folded into Database",
        "Alias DataKeyAlias folded into DataKey",
        "Policy WebRolePolicy folded into WebRole",
        "SecurityGroupIngress DatabaseIngressFromWeb folded into DatabaseSecurityGroup",
        "NatGateway NatGateway folded into PublicSubnetA",
        "RouteTable PublicRouteTable folded into Vpc",
    ] {
        assert!(folded(&imported, line), "{line}\n{:#?}", imported.report.folded);
    }

    // Tasks the template satisfies, with where.
    assert_eq!(
        done_note(project, "AssetsBucket", "s3.kms_encryption"),
        "set in template: Resources.AssetsBucket.Properties.BucketEncryption"
    );
    assert_eq!(
        done_note(project, "AssetsBucket", "s3.require_tls"),
        "set in template: Resources.AssetsBucketPolicy.Properties.PolicyDocument"
    );
    for task in ["s3.bucket_block_public", "s3.versioning", "s3.access_logging"] {
        done_note(project, "AssetsBucket", task);
    }
    assert_eq!(
        done_note(project, "WebServerGroup", "ec2.imdsv2"),
        "set in template: Resources.WebLaunchTemplate.Properties.LaunchTemplateData.MetadataOptions"
    );
    assert_eq!(
        done_note(project, "Database", "rds.resilience"),
        "set in template: Resources.Database.Properties.MultiAZ, Resources.Database.Properties.DeletionProtection, \
         Resources.Database.Properties.BackupRetentionPeriod"
    );
    for task in ["rds.encrypt_at_rest", "rds.no_public_access", "rds.enforce_tls"] {
        done_note(project, "Database", task);
    }
    done_note(project, "DataKey", "kms.rotation");
    done_note(project, "LoadBalancer", "elb.https_redirect");
    done_note(project, "LoadBalancer", "elb.deletion_protection");
    done_note(project, "AlertTopic", "sns.kms_encryption");
    assert!(!project.tasks.keys().any(|k| k.starts_with("logs-bucket/")), "AES256 is not SSE-KMS");
    assert!(!project.tasks.contains_key("web-server-group/ec2.no_public_ip"));

    // The resource the catalog does not know is listed, in the report and in the project.
    assert_eq!(imported.report.unknown.len(), 1);
    assert_eq!(imported.report.unknown[0].id, "FeatureFlags");
    assert_eq!(imported.report.unknown[0].resource_type, "AWS::AppConfig::Application");
    assert!(project.description.contains("Not imported: FeatureFlags (AWS::AppConfig::Application)."));
    assert!(project.description.starts_with("Storefront web tier"));
    assert!(imported.report.warnings.is_empty(), "{:#?}", imported.report.warnings);
}

#[test]
fn sam_serverless_api() {
    let imported = import_fixture("serverless-api.yaml");
    let project = &imported.project;

    // Functions and their deployment variants.
    let variant = |label| node(project, label).variant.as_deref().unwrap_or("");
    assert_eq!(variant("CreateOrderFunction"), "zip_auto_updates");
    assert_eq!(variant("GetOrderFunction"), "zip_manual_updates");
    assert_eq!(variant("FulfilmentFunction"), "container_image");
    assert_eq!(node(project, "OrdersTable").service, "dynamodb");
    assert_eq!(node(project, "OrderQueue").service, "sqs");

    // The API is public; the implicit API and the schedule SAM creates are nodes too.
    assert!(node(project, "OrdersApi").internet_facing);
    let implicit = node(project, "ServerlessRestApi");
    assert_eq!(implicit.service, "api_gateway");
    assert!(implicit.internet_facing);
    assert_eq!(node(project, "FulfilmentFunctionNightly").service, "eventbridge");
    assert_eq!(project.nodes.len(), 14);

    // Event sources are flows into the function; references are flows out of it.
    assert_eq!(flow(project, "OrdersApi", "CreateOrderFunction").label, "CreateOrder event");
    assert_eq!(flow(project, "OrdersApi", "GetOrderFunction").protocol, "HTTPS");
    assert!(has_flow(project, "ServerlessRestApi", "HealthFunction"));
    assert_eq!(flow(project, "OrderQueue", "FulfilmentFunction").label, "NewOrders event");
    assert!(has_flow(project, "FulfilmentFunctionNightly", "FulfilmentFunction"));
    assert!(!has_flow(project, "FulfilmentFunction", "OrderQueue"));
    assert_eq!(flow(project, "CreateOrderFunction", "OrderQueue").label, "QUEUE_URL");
    for function in ["CreateOrderFunction", "GetOrderFunction", "FulfilmentFunction", "HealthFunction"] {
        assert!(
            has_flow(project, function, "OrdersTable"),
            "{function}: Globals give every function the table"
        );
    }
    assert!(has_flow(project, "FulfilmentFunction", "ReceiptsBucket"));
    assert!(has_flow(project, "OrderQueue", "OrderDeadLetterQueue"));
    assert!(has_flow(project, "CreateOrderFunction", "CreateOrderLogs"), "a log group named after it");
    assert!(has_flow(project, "OrdersApi", "OrdersUserPool"));

    // Tasks.
    assert_eq!(
        done_note(project, "OrdersApi", "api_gateway.tracing"),
        "set in template: Resources.OrdersApi.Properties.TracingEnabled"
    );
    done_note(project, "OrdersApi", "api_gateway.logging");
    done_note(project, "OrdersApi", "api_gateway.authorization");
    done_note(project, "OrderQueue", "sqs.encrypt_at_rest");
    assert_eq!(
        done_note(project, "OrderDeadLetterQueue", "sqs.encrypt_at_rest"),
        "set in template: Resources.OrderDeadLetterQueue.Properties.SqsManagedSseEnabled"
    );
    done_note(project, "ReceiptsBucket", "s3.versioning");
    done_note(project, "ReceiptsBucket", "s3.disable_acls");
    done_note(project, "OrdersUserPool", "cognito.require_mfa");

    assert!(folded(&imported, "UserPoolClient OrdersUserPoolClient folded into OrdersUserPool"));
    assert!(
        imported.report.skipped.iter().any(|s| s.starts_with("OrdersDashboard (AWS::CloudWatch::Dashboard)"))
    );
    assert!(imported.report.unknown.is_empty());
    assert!(imported.report.warnings.is_empty(), "{:#?}", imported.report.warnings);
}

#[test]
fn eks_cluster_with_managed_node_groups_and_fargate() {
    let imported = import_fixture("eks-cluster.json");
    let project = &imported.project;

    let cluster = node(project, "EksCluster");
    assert_eq!(cluster.service, "eks");
    assert_eq!(cluster.variant.as_deref(), Some("managed_node_group"), "{}", cluster.notes);
    assert!(
        cluster.notes.contains(
            "Variants found: fargate (BatchFargateProfile), managed_node_group (AppNodeGroup, SystemNodeGroup); \
             modeled as managed_node_group, where you own the most."
        ),
        "{}",
        cluster.notes
    );
    assert!(!cluster.internet_facing, "private endpoint");
    let tools = node(project, "ToolsCluster");
    assert_eq!(tools.variant.as_deref(), Some("fargate"));
    assert!(tools.internet_facing, "public endpoint, restricted to known ranges");
    assert_eq!(project.nodes.iter().filter(|n| n.service == "eks").count(), 2, "node groups fold");

    for line in [
        "Nodegroup SystemNodeGroup folded into EksCluster",
        "Nodegroup AppNodeGroup folded into EksCluster",
        "FargateProfile BatchFargateProfile folded into EksCluster",
        "FargateProfile ToolsFargateProfile folded into ToolsCluster",
        "LaunchTemplate NodeLaunchTemplate folded into EksCluster",
        "Addon VpcCniAddon folded into EksCluster",
    ] {
        assert!(folded(&imported, line), "{line}\n{:#?}", imported.report.folded);
    }

    assert_eq!(members(project, "PrivateSubnetA"), vec!["EksCluster", "ToolsCluster"]);
    assert_eq!(members(project, "ClusterSecurityGroup"), vec!["EksCluster"]);
    assert_eq!(members(project, "NodeSecurityGroup"), vec!["EksCluster"], "the node groups' launch template");
    assert_eq!(boundary_parent_label(project, "NodeSecurityGroup").as_deref(), Some("Vpc 10.20.0.0/16"));
    assert!(project.flows.is_empty(), "control plane and nodes are one node: {:#?}", project.flows);

    assert_eq!(
        done_note(project, "EksCluster", "eks.encrypt_secrets"),
        "set in template: Resources.EksCluster.Properties.EncryptionConfig"
    );
    done_note(project, "EksCluster", "eks.private_endpoint");
    done_note(project, "EksCluster", "eks.audit_logging");
    done_note(project, "ToolsCluster", "eks.private_endpoint");
    done_note(project, "ImagesRepository", "ecr.scan_images");
    done_note(project, "ImagesRepository", "ecr.tag_immutability");
    done_note(project, "SecretsKey", "kms.rotation");
    assert!(!project.tasks.contains_key("tools-cluster/eks.encrypt_secrets"));

    assert_eq!(imported.report.unknown.len(), 1);
    assert_eq!(imported.report.unknown[0].resource_type, "AWS::EMRContainers::VirtualCluster");
    assert!(project.description.contains("SparkVirtualCluster (AWS::EMRContainers::VirtualCluster)"));
}

#[test]
fn terraform_plan_with_modules() {
    let imported = import_fixture("terraform-plan.json");
    let project = &imported.project;
    assert_eq!(imported.report.format, SourceFormat::Terraform);

    let cluster = node(project, "module.database.aws_rds_cluster.this");
    assert_eq!(cluster.service, "aurora");
    assert_eq!(cluster.id, "database-rds-cluster-this");
    assert!(!cluster.internet_facing);
    assert_eq!(node(project, "aws_lambda_function.ingest").variant.as_deref(), Some("zip_auto_updates"));
    assert_eq!(node(project, "aws_s3_bucket.documents").service, "s3");
    assert_eq!(project.nodes.len(), 6, "{:#?}", project.nodes);

    // Module boundaries: the VPC module's network, with the subnets and groups inside it.
    let vpc = project.boundaries.iter().find(|b| b.kind == BoundaryKind::Vpc).unwrap();
    assert_eq!(vpc.label, "module.network.aws_vpc.this 10.30.0.0/16");
    assert_eq!(
        boundary_parent_label(project, "module.network.aws_subnet.private[1]").as_deref(),
        Some(vpc.label.as_str())
    );
    assert_eq!(
        members(project, "module.network.aws_subnet.private[0]"),
        vec!["aws_lambda_function.ingest", "module.database.aws_rds_cluster.this"]
    );
    assert_eq!(
        members(project, "module.network.aws_security_group.db"),
        vec!["module.database.aws_rds_cluster.this"]
    );
    assert_eq!(members(project, "module.network.aws_security_group.app"), vec!["aws_lambda_function.ingest"]);
    assert!(members(project, "module.network.aws_subnet.public[0]").is_empty());

    // Folded: the bucket's configuration resources and the cluster's instances.
    for line in [
        "aws_s3_bucket_server_side_encryption_configuration.documents folded into aws_s3_bucket.documents",
        "aws_s3_bucket_public_access_block.documents folded into aws_s3_bucket.documents",
        "aws_s3_bucket_versioning.documents folded into aws_s3_bucket.documents",
        "module.database.aws_rds_cluster_instance.this[0] folded into module.database.aws_rds_cluster.this",
        "module.database.aws_db_subnet_group.this folded into module.database.aws_rds_cluster.this",
        "module.network.aws_nat_gateway.this folded into module.network.aws_subnet.public[0]",
        "aws_lambda_permission.allow_bucket became the flow aws_s3_bucket.documents → aws_lambda_function.ingest",
    ] {
        assert!(folded(&imported, line), "{line}\n{:#?}", imported.report.folded);
    }

    // Tasks satisfied by the separate resources are marked on the bucket.
    let bucket = "aws_s3_bucket.documents";
    assert_eq!(
        done_note(project, bucket, "s3.kms_encryption"),
        "set in plan: aws_s3_bucket_server_side_encryption_configuration.documents.rule"
    );
    assert_eq!(
        done_note(project, bucket, "s3.versioning"),
        "set in plan: aws_s3_bucket_versioning.documents.versioning_configuration"
    );
    done_note(project, bucket, "s3.bucket_block_public");
    done_note(project, "module.database.aws_rds_cluster.this", "aurora.encrypt_at_rest");
    assert!(
        done_note(project, "module.database.aws_rds_cluster.this", "aurora.no_public_access")
            .contains("module.database.aws_rds_cluster_instance.this[0].publicly_accessible")
    );
    done_note(project, "aws_kms_key.documents", "kms.rotation");
    // The key is a reference, only known after apply: it is set all the same.
    done_note(project, "aws_lambda_function.ingest", "lambda.cmk_env_vars");

    // Flows across modules: through module outputs and variables.
    let db = flow(project, "aws_lambda_function.ingest", "module.database.aws_rds_cluster.this");
    assert_eq!(db.protocol, "PostgreSQL");
    assert!(has_flow(project, "aws_lambda_function.ingest", "aws_s3_bucket.documents"));
    assert!(has_flow(project, "aws_s3_bucket.documents", "aws_lambda_function.ingest"));
    assert!(has_flow(project, "aws_lambda_function.ingest", "aws_cloudwatch_log_group.ingest"));

    // Not imported: an unknown type (listed) and what is not an AWS resource (skipped).
    assert_eq!(imported.report.unknown.len(), 1);
    assert_eq!(imported.report.unknown[0].id, "aws_mq_broker.events");
    assert!(project.description.contains("Not imported: aws_mq_broker.events (aws_mq_broker)."));
    assert!(imported.report.skipped.iter().any(|s| s.starts_with("random_password.reports")));
    assert!(imported.report.skipped.iter().any(|s| s.starts_with("1 data source")));
}

#[test]
fn terraform_state_references_by_value() {
    let state = r#"{
      "format_version": "1.0",
      "terraform_version": "1.9.5",
      "values": {"root_module": {"resources": [
        {"address": "aws_sqs_queue.jobs", "mode": "managed", "type": "aws_sqs_queue", "name": "jobs",
         "values": {"id": "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs",
                    "arn": "arn:aws:sqs:eu-west-1:111122223333:jobs", "sqs_managed_sse_enabled": true}},
        {"address": "aws_lambda_function.worker", "mode": "managed", "type": "aws_lambda_function", "name": "worker",
         "values": {"id": "worker", "arn": "arn:aws:lambda:eu-west-1:111122223333:function:worker",
                    "package_type": "Image"}},
        {"address": "aws_lambda_event_source_mapping.jobs", "mode": "managed", "type": "aws_lambda_event_source_mapping",
         "name": "jobs", "values": {"event_source_arn": "arn:aws:sqs:eu-west-1:111122223333:jobs",
                                    "function_name": "arn:aws:lambda:eu-west-1:111122223333:function:worker"}}
      ]}}
    }"#;
    let imported = import_text("state.json", state);
    assert_sound(&imported);
    let project = &imported.project;
    assert_eq!(node(project, "aws_lambda_function.worker").variant.as_deref(), Some("container_image"));
    assert_eq!(flow(project, "aws_sqs_queue.jobs", "aws_lambda_function.worker").protocol, "HTTPS");
    assert_eq!(
        done_note(project, "aws_sqs_queue.jobs", "sqs.encrypt_at_rest"),
        "set in state: aws_sqs_queue.jobs.sqs_managed_sse_enabled"
    );
    // State knows the ARNs: the nodes stand for those resources, for placing findings.
    assert_eq!(
        node(project, "aws_sqs_queue.jobs").resources,
        vec!["arn:aws:sqs:eu-west-1:111122223333:jobs"]
    );
    assert_eq!(
        node(project, "aws_lambda_function.worker").resources,
        vec!["arn:aws:lambda:eu-west-1:111122223333:function:worker"]
    );
}

#[test]
fn literal_physical_names_become_node_resources() {
    let template = "Resources:\n  Receipts:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: shop-receipts\n  \
                    Named:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub 'shop-${AWS::Region}'\n  \
                    Orders:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: orders\n  \
                    Secret:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      Name: shop/db\n";
    let imported = import_text("shop.yaml", template);
    let project = &imported.project;
    assert_eq!(node(project, "Receipts").resources, vec!["arn:aws:s3:::shop-receipts"]);
    assert!(node(project, "Named").resources.is_empty(), "a !Sub names nothing yet");
    assert_eq!(node(project, "Orders").resources, vec!["orders"]);
    assert_eq!(node(project, "Secret").resources, vec!["arn:aws:secretsmanager:*:*:secret:shop/db-*"]);
}

#[test]
fn self_managed_nodes_join_their_cluster() {
    let text = r"
Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      RoleArn: arn:aws:iam::111122223333:role/eks
      ResourcesVpcConfig: {SubnetIds: [subnet-1, subnet-2]}
  Managed:
    Type: AWS::EKS::Nodegroup
    Properties: {ClusterName: !Ref Cluster, NodeRole: arn:aws:iam::111122223333:role/node, Subnets: [subnet-1]}
  GpuLaunchTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        UserData: !Base64 {'Fn::Sub': '/etc/eks/bootstrap.sh ${Cluster}'}
  GpuNodes:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: '0'
      MaxSize: '4'
      LaunchTemplate: {LaunchTemplateId: !Ref GpuLaunchTemplate, Version: '1'}
  Bastion:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties: {MinSize: '1', MaxSize: '1'}
";
    let imported = import_text("nodes.yaml", text);
    assert_sound(&imported);
    let project = &imported.project;
    let cluster = node(project, "Cluster");
    assert_eq!(cluster.variant.as_deref(), Some("self_managed"), "{}", cluster.notes);
    assert!(cluster.notes.contains("managed_node_group (Managed)"), "{}", cluster.notes);
    assert!(
        folded(&imported, "AutoScalingGroup GpuNodes folded into Cluster"),
        "{:#?}",
        imported.report.folded
    );
    assert!(folded(&imported, "LaunchTemplate GpuLaunchTemplate folded into Cluster"));
    assert_eq!(node(project, "Bastion").service, "ec2", "a group that joins nothing stays EC2");
}

#[test]
fn links_caches_and_public_addresses() {
    let text = r#"{
      "Resources": {
        "Stream": {"Type": "AWS::Kinesis::Stream", "Properties": {"ShardCount": 1}},
        "Consumer": {"Type": "AWS::Lambda::Function", "Properties": {"PackageType": "Zip"}},
        "Mapping": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
          "EventSourceArn": {"Fn::GetAtt": ["Stream", "Arn"]}, "FunctionName": {"Ref": "Consumer"}}},
        "Cache": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {
          "ReplicationGroupDescription": "sessions", "Engine": "redis", "AtRestEncryptionEnabled": true}},
        "Web": {"Type": "AWS::EC2::Instance", "Properties": {
          "SubnetId": {"Ref": "Public"},
          "UserData": {"Fn::Base64": {"Fn::Sub": "CACHE=${Cache.PrimaryEndPoint.Address}"}}}},
        "Public": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": "vpc-123", "CidrBlock": "10.0.0.0/24", "MapPublicIpOnLaunch": true}},
        "Subscription": {"Type": "AWS::SNS::Subscription", "Properties": {
          "TopicArn": "arn:aws:sns:eu-west-1:111122223333:elsewhere", "Protocol": "email", "Endpoint": "ops@example.com"}},
        "LonelyPolicy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": "not-in-this-template", "PolicyDocument": {}}}
      }
    }"#;
    let imported = import_text("links.json", text);
    assert_sound(&imported);
    let project = &imported.project;
    assert_eq!(flow(project, "Stream", "Consumer").label, "EventSourceMapping");
    assert!(folded(&imported, "EventSourceMapping Mapping became the flow Stream → Consumer"));
    let cache = flow(project, "Web", "Cache");
    assert_eq!(cache.protocol, "Redis");
    assert_eq!(cache.encrypted_in_transit, Some(false), "no TransitEncryptionEnabled");
    assert!(node(project, "Web").internet_facing, "a subnet that gives public addresses");
    assert_eq!(members(project, "Public"), vec!["Web"]);
    assert!(imported.report.skipped.iter().any(|s| s.starts_with("Subscription (AWS::SNS::Subscription)")));
    assert!(imported.report.warnings.iter().any(|w| w.starts_with("BucketPolicy LonelyPolicy:")));
    assert!(project.description.contains("LonelyPolicy (AWS::S3::BucketPolicy)"));
}

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
    file.set_len(whoowns::io::MAX_FILE_SIZE + 1).unwrap();
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

#[test]
fn the_mapping_covers_every_catalog_service() {
    let types = import::ResourceTypes::builtin().unwrap();
    assert!(types.problems(Catalog::builtin()).is_empty(), "{:#?}", types.problems(Catalog::builtin()));
    // Services with no resource of their own: actors, services AWS runs for you, and the
    // placeholder for unrecognised diagram shapes.
    let none = ["internet", "users", "trusted_advisor", "managed_services", "vpc", "other_aws"];
    for service in &Catalog::builtin().services {
        if none.contains(&service.id.as_str()) {
            continue;
        }
        let id = service.id.as_str();
        let cloudformation =
            types.cloudformation_types().any(|t| types.cloudformation_services(t).contains(&id));
        let terraform = types.terraform_types().any(|t| types.terraform_services(t).contains(&id));
        assert!(
            cloudformation && terraform,
            "{}: CloudFormation {cloudformation}, Terraform {terraform}",
            service.id
        );
    }
    for (cloudformation, terraform, service) in [
        ("AWS::EC2::Instance", "aws_instance", "ec2"),
        ("AWS::S3::Bucket", "aws_s3_bucket", "s3"),
        ("AWS::RDS::DBInstance", "aws_db_instance", "rds"),
        ("AWS::DynamoDB::Table", "aws_dynamodb_table", "dynamodb"),
        ("AWS::Lambda::Function", "aws_lambda_function", "lambda"),
        ("AWS::ECS::Service", "aws_ecs_service", "ecs"),
        ("AWS::EKS::Cluster", "aws_eks_cluster", "eks"),
        ("AWS::ApiGatewayV2::Api", "aws_apigatewayv2_api", "api_gateway"),
        ("AWS::WAFv2::WebACL", "aws_wafv2_web_acl", "waf"),
        ("AWS::CloudTrail::Trail", "aws_cloudtrail", "cloudtrail"),
        ("AWS::WorkSpaces::Workspace", "aws_workspaces_workspace", "workspaces"),
    ] {
        assert_eq!(types.cloudformation_services(cloudformation), vec![service]);
        assert_eq!(types.terraform_services(terraform), vec![service]);
    }
}

#[test]
fn db_clusters_are_aurora_by_engine() {
    let text = r"
Resources:
  Orders:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: aurora-mysql, StorageEncrypted: true}
  OrdersWriter:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: aurora-mysql, DBClusterIdentifier: !Ref Orders, DBInstanceClass: db.r7g.large, PubliclyAccessible: true}
  Ledger:
    Type: AWS::RDS::DBCluster
    Properties: {Engine: postgres, DBClusterInstanceClass: db.m6gd.large, StorageEncrypted: true}
  Reader:
    Type: AWS::Lambda::Function
    Properties:
      Environment: {Variables: {ORDERS: !GetAtt Orders.Endpoint.Address, LEDGER: !GetAtt Ledger.Endpoint.Address}}
";
    let imported = import_text("clusters.yaml", text);
    assert_sound(&imported);
    let project = &imported.project;
    let orders = node(project, "Orders");
    assert_eq!(orders.service, "aurora");
    assert!(orders.internet_facing, "a public instance of the cluster");
    assert_eq!(node(project, "Ledger").service, "rds");
    assert!(folded(&imported, "DBInstance OrdersWriter folded into Orders"));
    done_note(project, "Orders", "aurora.encrypt_at_rest");
    done_note(project, "Ledger", "rds.encrypt_at_rest");
    assert_eq!(flow(project, "Reader", "Orders").protocol, "MySQL");
    assert_eq!(flow(project, "Reader", "Ledger").protocol, "PostgreSQL");
    let types = import::ResourceTypes::builtin().unwrap();
    assert_eq!(types.cloudformation_services("AWS::RDS::DBCluster"), vec!["rds", "aurora"]);
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

/// Whether the task `task` (`service.template`) of the node labelled `label` is marked done.
fn is_done(project: &Project, label: &str, task: &str) -> bool {
    project.tasks.contains_key(&format!("{}/{task}", node(project, label).id))
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
fn every_listener_counts_for_tls() {
    let with_certificate = |certificate: &str, second: &str| {
        format!(
            r#"{{"Parameters": {{"CertArn": {{"Type": "String"}}}}, "Resources": {{
              "Lb": {{"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer"}},
              "Cert": {{"Type": "AWS::CertificateManager::Certificate", "Properties": {{"DomainName": "shop.example.com"}}}},
              "Https": {{"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {{
                "LoadBalancerArn": {{"Ref": "Lb"}}, "Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                "Certificates": [{{"CertificateArn": {certificate}}}]}}}},
              "Second": {{"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {second}}}
            }}}}"#
        )
    };
    let template = |second: &str| with_certificate(r#"{"Ref": "Cert"}"#, second);
    let plain =
        r#"{"LoadBalancerArn": {"Ref": "Lb"}, "Protocol": "HTTP", "DefaultActions": [{"Type": "forward"}]}"#;
    let redirect = r#"{"LoadBalancerArn": {"Ref": "Lb"}, "Protocol": "HTTP",
        "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS"}}]}"#;
    let old_policy =
        r#"{"LoadBalancerArn": {"Ref": "Lb"}, "Protocol": "TLS", "SslPolicy": "ELBSecurityPolicy-2016-08"}"#;
    let imported = import_text("plain.json", &template(plain));
    assert_sound(&imported);
    assert!(!is_done(&imported.project, "Lb", "elb.tls_listeners"), "an HTTP listener forwards in plaintext");
    assert!(!is_done(&imported.project, "Lb", "elb.https_redirect"));
    let imported = import_text("redirect.json", &template(redirect));
    assert!(is_done(&imported.project, "Lb", "elb.tls_listeners"), "a redirect carries nothing");
    assert!(is_done(&imported.project, "Lb", "elb.https_redirect"));
    let imported = import_text("old.json", &template(old_policy));
    assert!(!is_done(&imported.project, "Lb", "elb.tls_listeners"), "TLS 1.0 is allowed");

    // The certificate must come from ACM: one the template issues, or an ACM ARN.
    for (certificate, from_acm) in [
        (r#""arn:aws:acm:eu-west-1:111122223333:certificate/abc""#, true),
        (r#""arn:aws:iam::111122223333:server-certificate/shop""#, false),
        (r#"{"Ref": "CertArn"}"#, false),
        (
            r#"{"Fn::If": ["Acm", {"Ref": "Cert"}, "arn:aws:iam::111122223333:server-certificate/shop"]}"#,
            false,
        ),
        (
            r#"{"Fn::If": ["Acm", {"Ref": "Cert"}, "arn:aws:acm:eu-west-1:111122223333:certificate/abc"]}"#,
            true,
        ),
        (r#"{"Fn::Join": ["", [{"Ref": "Cert"}]]}"#, false),
    ] {
        let imported = import_text("cert.json", &with_certificate(certificate, redirect));
        assert_sound(&imported);
        assert_eq!(is_done(&imported.project, "Lb", "elb.tls_listeners"), from_acm, "{certificate}");
    }
}

#[test]
fn every_instance_volume_and_replica_counts() {
    let text = r#"{"Resources": {
      "Orders": {"Type": "AWS::RDS::DBCluster", "Properties": {"Engine": "aurora-postgresql"}},
      "Writer": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBClusterIdentifier": {"Ref": "Orders"}, "PubliclyAccessible": false}},
      "Reader": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBClusterIdentifier": {"Ref": "Orders"}, "PubliclyAccessible": true}},
      "Ledger": {"Type": "AWS::RDS::DBCluster", "Properties": {"Engine": "aurora-mysql"}},
      "LedgerWriter": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBClusterIdentifier": {"Ref": "Ledger"}, "PubliclyAccessible": false}},
      "LedgerReader": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBClusterIdentifier": {"Ref": "Ledger"}, "PubliclyAccessible": false}},
      "Web": {"Type": "AWS::EC2::Instance", "Properties": {"BlockDeviceMappings": [
        {"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": true}}, {"DeviceName": "/dev/xvdb", "Ebs": {"VolumeSize": 100}}]}},
      "Batch": {"Type": "AWS::EC2::Instance", "Properties": {"BlockDeviceMappings": [
        {"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": true}}, {"DeviceName": "/dev/sdb", "VirtualName": "ephemeral0"}]}},
      "Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {
        "DefaultCacheBehavior": {"ViewerProtocolPolicy": "redirect-to-https"},
        "CacheBehaviors": [{"PathPattern": "/legacy/*", "ViewerProtocolPolicy": "allow-all"}],
        "Origins": [{"Id": "a", "S3OriginConfig": {}, "OriginAccessControlId": "oac-1"}, {"Id": "b", "S3OriginConfig": {}}]}}},
      "Global": {"Type": "AWS::DynamoDB::GlobalTable", "Properties": {"Replicas": [
        {"Region": "eu-west-1", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true}},
        {"Region": "us-east-1"}]}}
    }}"#;
    let imported = import_text("every.json", text);
    assert_sound(&imported);
    let project = &imported.project;
    assert!(!is_done(project, "Orders", "aurora.no_public_access"), "one public instance");
    assert!(is_done(project, "Ledger", "aurora.no_public_access"), "every instance private");
    assert!(!is_done(project, "Web", "ec2.encrypt_volumes"), "one volume of two");
    assert!(is_done(project, "Batch", "ec2.encrypt_volumes"), "an instance store is no EBS volume");
    assert!(!is_done(project, "Cdn", "cloudfront.viewer_https"), "a cache behaviour allows HTTP");
    assert!(!is_done(project, "Cdn", "cloudfront.origin_access_control"), "one S3 origin of two");
    assert!(!is_done(project, "Global", "dynamodb.pitr"), "one replica of two");

    let state = r#"{"format_version": "1.0", "values": {"root_module": {"resources": [
      {"address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "values": {
        "root_block_device": [{"encrypted": true}], "ebs_block_device": [{"device_name": "/dev/sdb", "encrypted": false}]}},
      {"address": "aws_instance.api", "mode": "managed", "type": "aws_instance", "values": {
        "root_block_device": [{"encrypted": true}], "ebs_block_device": []}}
    ]}}}"#;
    let imported = import_text("volumes.json", state);
    assert_sound(&imported);
    assert!(!is_done(&imported.project, "aws_instance.web", "ec2.encrypt_volumes"));
    assert!(is_done(&imported.project, "aws_instance.api", "ec2.encrypt_volumes"));
}

#[test]
fn one_private_launch_template_does_not_hide_a_public_subnet() {
    let text = r#"{"Resources": {
      "Public": {"Type": "AWS::EC2::Subnet", "Properties": {"MapPublicIpOnLaunch": true}},
      "Quiet": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {
        "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": false}]}}},
      "Loud": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"InstanceType": "m7g.large"}}},
      "Fleet": {"Type": "AWS::EC2::SpotFleet", "Properties": {"SpotFleetRequestConfigData": {"LaunchTemplateConfigs": [
        {"LaunchTemplateSpecification": {"LaunchTemplateId": {"Ref": "Quiet"}}, "Overrides": [{"SubnetId": {"Ref": "Public"}}]},
        {"LaunchTemplateSpecification": {"LaunchTemplateId": {"Ref": "Loud"}}, "Overrides": [{"SubnetId": {"Ref": "Public"}}]}]}}},
      "Single": {"Type": "AWS::EC2::Instance", "Properties": {"SubnetId": {"Ref": "Public"},
        "LaunchTemplate": {"LaunchTemplateId": {"Ref": "QuietToo"}}}},
      "QuietToo": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {
        "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": false}]}}}
    }}"#;
    let imported = import_text("fleet.json", text);
    assert_sound(&imported);
    assert!(
        node(&imported.project, "Fleet").internet_facing,
        "the other template takes the subnet's address"
    );
    assert!(!node(&imported.project, "Single").internet_facing, "its only template says no public address");
}

#[test]
fn conditional_and_unknown_values_settle_nothing() {
    let text = r"
Parameters:
  QueueKey: {Type: String}
  TopicKey: {Type: String, Default: alias/aws/sns}
Conditions:
  IsProd: !Equals [!Ref 'AWS::StackName', prod]
Resources:
  Maybe:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption: !If
        - IsProd
        - ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: 'aws:kms'}}]
        - !Ref AWS::NoValue
      VersioningConfiguration: {Status: !If [IsProd, Enabled, Suspended]}
      OwnershipControls: {Rules: [{ObjectOwnership: !If [IsProd, BucketOwnerEnforced, BucketOwnerEnforced]}]}
  Queue:
    Type: AWS::SQS::Queue
    Properties: {KmsMasterKeyId: !Ref QueueKey}
  Topic:
    Type: AWS::SNS::Topic
    Properties: {KmsMasterKeyId: !Ref TopicKey}
  ProdOnly:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties: {SqsManagedSseEnabled: true}
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: postgres, PubliclyAccessible: !Ref AWS::NoValue, StorageEncrypted: !If [IsProd, true, !Ref AWS::NoValue]}
";
    let imported = import_text("conditions.yaml", text);
    assert_sound(&imported);
    let project = &imported.project;
    assert!(!is_done(project, "Maybe", "s3.kms_encryption"), "AWS::NoValue in the other branch");
    assert!(!is_done(project, "Maybe", "s3.versioning"), "suspended in the other branch");
    assert!(is_done(project, "Maybe", "s3.disable_acls"), "both branches enforce ownership");
    assert!(!is_done(project, "Queue", "sqs.encrypt_at_rest"), "a parameter without a default");
    assert!(is_done(project, "Topic", "sns.kms_encryption"), "the parameter's default");
    assert!(!is_done(project, "ProdOnly", "sqs.encrypt_at_rest"), "a conditional resource");
    assert!(!is_done(project, "Db", "rds.no_public_access"));
    assert!(!is_done(project, "Db", "rds.encrypt_at_rest"));
}

#[test]
fn terraform_checks_read_what_is_there() {
    let plan = r#"{"format_version": "1.2",
      "planned_values": {"root_module": {"resources": [
        {"address": "aws_lambda_function.f", "mode": "managed", "type": "aws_lambda_function", "values": {"kms_key_arn": null}},
        {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "values": {"id": "b"}},
        {"address": "aws_s3_bucket_policy.words", "mode": "managed", "type": "aws_s3_bucket_policy",
         "values": {"bucket": "b", "policy": "{\"Statement\": [{\"Sid\": \"DenyNothing\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}}}]}"}},
        {"address": "aws_s3_bucket.c", "mode": "managed", "type": "aws_s3_bucket", "values": {"id": "c"}},
        {"address": "aws_s3_bucket_policy.deny", "mode": "managed", "type": "aws_s3_bucket_policy",
         "values": {"bucket": "c", "policy": "{\"Statement\": [{\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}]}"}},
        {"address": "aws_opensearch_domain.search", "mode": "managed", "type": "aws_opensearch_domain", "values": {
          "log_publishing_options": [{"log_type": "AUDIT_LOGS", "enabled": false}, {"log_type": "ES_APPLICATION_LOGS", "enabled": true}]}},
        {"address": "aws_backup_plan.p", "mode": "managed", "type": "aws_backup_plan", "values": {"id": "plan-1"}},
        {"address": "aws_backup_selection.one", "mode": "managed", "type": "aws_backup_selection",
         "values": {"plan_id": "plan-1", "resources": ["arn:aws:dynamodb:eu-west-1:111122223333:table/orders"]}}
      ]}},
      "configuration": {"root_module": {"resources": [
        {"address": "aws_lambda_function.f", "expressions": {"kms_key_arn": {"references": ["var.key"]}}},
        {"address": "aws_s3_bucket_policy.words", "expressions": {"bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}}},
        {"address": "aws_s3_bucket_policy.deny", "expressions": {"bucket": {"references": ["aws_s3_bucket.c.id", "aws_s3_bucket.c"]}}},
        {"address": "aws_backup_selection.one", "expressions": {"plan_id": {"references": ["aws_backup_plan.p.id", "aws_backup_plan.p"]}}}
      ]}}
    }"#;
    let imported = import_text("checks.json", plan);
    assert_sound(&imported);
    let project = &imported.project;
    assert!(!is_done(project, "aws_lambda_function.f", "lambda.cmk_env_vars"), "an explicit null is not set");
    assert!(!is_done(project, "aws_s3_bucket.b", "s3.require_tls"), "the words are not a Deny statement");
    assert!(is_done(project, "aws_s3_bucket.c", "s3.require_tls"));
    assert!(!is_done(project, "aws_opensearch_domain.search", "opensearch.logging"), "audit logs are off");
    assert!(
        !is_done(project, "aws_backup_plan.p", "backup.plans_cover_resources"),
        "one table is not every resource"
    );
}

#[test]
fn a_terraform_listener_with_a_certificate_acm_issues_is_tls_done() {
    let plan = |reference: &str| {
        format!(
            r#"{{"format_version": "1.2",
          "planned_values": {{"root_module": {{"resources": [
            {{"address": "aws_lb.web", "mode": "managed", "type": "aws_lb", "values": {{"internal": false}}}},
            {{"address": "aws_acm_certificate.site", "mode": "managed", "type": "aws_acm_certificate", "values": {{"domain_name": "shop.example.com"}}}},
            {{"address": "aws_lb_listener.https", "mode": "managed", "type": "aws_lb_listener",
             "values": {{"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}}}}
          ]}}}},
          "configuration": {{"root_module": {{"resources": [
            {{"address": "aws_lb_listener.https", "expressions": {{
              "load_balancer_arn": {{"references": ["aws_lb.web.arn", "aws_lb.web"]}},
              "certificate_arn": {{"references": {reference}}}}}}}
          ]}}}}
        }}"#
        )
    };
    let issued =
        import_text("plan.json", &plan(r#"["aws_acm_certificate.site.arn", "aws_acm_certificate.site"]"#));
    assert_sound(&issued);
    assert!(
        is_done(&issued.project, "aws_lb.web", "elb.tls_listeners"),
        "the plan issues the certificate in ACM"
    );
    let passed_in = import_text("plan.json", &plan(r#"["var.certificate_arn"]"#));
    assert!(
        !is_done(&passed_in.project, "aws_lb.web", "elb.tls_listeners"),
        "a variable could be any certificate"
    );
}

#[test]
fn dependencies_are_flows_where_nothing_else_connects_and_never_placement() {
    let text = r#"{"Resources": {
      "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer"},
      "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "Lb"}}},
      "Subnet": {"Type": "AWS::EC2::Subnet"},
      "Table": {"Type": "AWS::DynamoDB::Table"},
      "Service": {"Type": "AWS::ECS::Service", "DependsOn": ["Listener", "Subnet", "Table"],
                  "Properties": {"TaskDefinition": {"Ref": "Table"}}}
    }}"#;
    let imported = import_text("depends.json", text);
    assert_sound(&imported);
    let project = &imported.project;
    // The listener folds into the load balancer: the dependency joins the service to it.
    assert_eq!(flow(project, "Service", "Lb").label, "depends on");
    // A reference already joins the service to the table: the dependency adds nothing.
    assert_ne!(flow(project, "Service", "Table").label, "depends on");
    assert_eq!(project.flows.len(), 2, "{:#?}", project.flows);
    // A dependency on a subnet is ordering, not placement.
    assert!(members(project, "Subnet").is_empty());

    let plan = r#"{"format_version": "1.2",
      "planned_values": {"root_module": {"resources": [
        {"address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "values": {}},
        {"address": "aws_sqs_queue.jobs", "mode": "managed", "type": "aws_sqs_queue", "values": {}},
        {"address": "module.db.aws_db_instance.main", "mode": "managed", "type": "aws_db_instance", "values": {}}
      ], "child_modules": []}},
      "configuration": {"root_module": {
        "resources": [{"address": "aws_instance.web", "depends_on": ["aws_sqs_queue.jobs", "module.db"]}],
        "module_calls": {"db": {"module": {"resources": [{"address": "aws_db_instance.main"}]}}}
      }}
    }"#;
    let imported = import_text("depends-plan.json", plan);
    assert_sound(&imported);
    assert_eq!(flow(&imported.project, "aws_instance.web", "aws_sqs_queue.jobs").label, "depends on");
    assert_eq!(imported.project.flows.len(), 1, "a whole module names no resource in particular");

    let state = r#"{"format_version": "1.0", "values": {"root_module": {"resources": [
        {"address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "values": {},
         "depends_on": ["aws_sqs_queue.jobs"]},
        {"address": "aws_sqs_queue.jobs", "mode": "managed", "type": "aws_sqs_queue", "values": {}}
    ]}}}"#;
    let imported = import_text("depends-state.json", state);
    assert_sound(&imported);
    assert_eq!(flow(&imported.project, "aws_instance.web", "aws_sqs_queue.jobs").label, "depends on");
}

#[test]
fn count_index_places_each_instance_in_its_own_subnet() {
    let plan = r#"{"format_version": "1.2",
      "planned_values": {"root_module": {"resources": [
        {"address": "aws_subnet.private[0]", "mode": "managed", "type": "aws_subnet", "index": 0, "values": {"cidr_block": "10.0.0.0/24"}},
        {"address": "aws_subnet.private[1]", "mode": "managed", "type": "aws_subnet", "index": 1, "values": {"cidr_block": "10.0.1.0/24"}},
        {"address": "aws_instance.web[0]", "mode": "managed", "type": "aws_instance", "index": 0, "values": {}},
        {"address": "aws_instance.web[1]", "mode": "managed", "type": "aws_instance", "index": 1, "values": {}}
      ]}},
      "configuration": {"root_module": {"resources": [
        {"address": "aws_instance.web", "expressions": {"subnet_id": {"references": ["aws_subnet.private", "count.index"]}}}
      ]}}
    }"#;
    let imported = import_text("count.json", plan);
    assert_sound(&imported);
    assert_eq!(members(&imported.project, "aws_subnet.private[0]"), vec!["aws_instance.web[0]"]);
    assert_eq!(members(&imported.project, "aws_subnet.private[1]"), vec!["aws_instance.web[1]"]);
}

#[test]
fn count_index_reads_through_module_variables() {
    // The root passes aws_subnet.private[*].id to a module, whose instances each take
    // var.subnet_ids[count.index]. (A list of two resources' ids is not narrowed: see
    // `one_resource` in src/import/terraform/refs.rs.)
    let plan = r#"{"format_version": "1.2",
      "planned_values": {"root_module": {
        "resources": [
          {"address": "aws_subnet.private[0]", "mode": "managed", "type": "aws_subnet", "index": 0, "values": {}},
          {"address": "aws_subnet.private[1]", "mode": "managed", "type": "aws_subnet", "index": 1, "values": {}}
        ],
        "child_modules": [
          {"address": "module.app", "resources": [
            {"address": "module.app.aws_instance.web[0]", "mode": "managed", "type": "aws_instance", "index": 0, "values": {}},
            {"address": "module.app.aws_instance.web[1]", "mode": "managed", "type": "aws_instance", "index": 1, "values": {}}
          ]}
        ]}},
      "configuration": {"root_module": {
        "module_calls": {
          "app": {"expressions": {"subnet_ids": {"references": ["aws_subnet.private"]}},
            "module": {"resources": [{"address": "aws_instance.web",
              "expressions": {"subnet_id": {"references": ["var.subnet_ids", "count.index"]}}}]}}
        }}}
    }"#;
    let imported = import_text("modules.json", plan);
    assert_sound(&imported);
    let project = &imported.project;
    assert_eq!(members(project, "aws_subnet.private[0]"), ["module.app.aws_instance.web[0]"]);
    assert_eq!(members(project, "aws_subnet.private[1]"), ["module.app.aws_instance.web[1]"]);
}

#[test]
fn ecs_variants_take_the_instances_when_they_may_run_there() {
    let text = r#"{"Resources": {
      "Both": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"RequiresCompatibilities": ["EC2", "FARGATE"]}},
      "Mixed": {"Type": "AWS::ECS::Service", "Properties": {"CapacityProviderStrategy": [
        {"CapacityProvider": "FARGATE", "Weight": 1}, {"CapacityProvider": "MyInstances", "Weight": 1}]}},
      "Serverless": {"Type": "AWS::ECS::Service", "Properties": {"CapacityProviderStrategy": [
        {"CapacityProvider": "FARGATE", "Weight": 1}, {"CapacityProvider": "FARGATE_SPOT", "Weight": 3}]}}
    }}"#;
    let imported = import_text("ecs.json", text);
    assert_sound(&imported);
    let variant = |label| node(&imported.project, label).variant.clone().unwrap_or_default();
    assert_eq!(variant("Both"), "ec2");
    assert_eq!(variant("Mixed"), "ec2");
    assert_eq!(variant("Serverless"), "fargate");
}

#[test]
fn plaintext_by_default_is_not_encrypted() {
    let text = r#"{"Resources": {
      "App": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupEgress": [
        {"DestinationSecurityGroupId": {"Ref": "Data"}, "FromPort": 5432, "ToPort": 5432},
        {"DestinationSecurityGroupId": {"Ref": "Files"}, "FromPort": 2049, "ToPort": 2049},
        {"DestinationSecurityGroupId": {"Ref": "Web"}, "FromPort": 443, "ToPort": 443}]}},
      "Data": {"Type": "AWS::EC2::SecurityGroup"},
      "Files": {"Type": "AWS::EC2::SecurityGroup"},
      "Web": {"Type": "AWS::EC2::SecurityGroup"},
      "Worker": {"Type": "AWS::EC2::Instance", "Properties": {"SecurityGroupIds": [{"Ref": "App"}],
        "UserData": {"Fn::Sub": "${Other}"}}},
      "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "postgres", "VPCSecurityGroups": [{"Ref": "Data"}]}},
      "Nfs": {"Type": "AWS::EFS::FileSystem"},
      "Mount": {"Type": "AWS::EFS::MountTarget", "Properties": {"FileSystemId": {"Ref": "Nfs"}, "SecurityGroups": [{"Ref": "Files"}]}},
      "Other": {"Type": "AWS::EC2::Instance", "Properties": {"SecurityGroupIds": [{"Ref": "Web"}]}}
    }}"#;
    let imported = import_text("ports.json", text);
    assert_sound(&imported);
    let project = &imported.project;
    let db = flow(project, "Worker", "Db");
    assert_eq!(
        (db.protocol.as_str(), db.encrypted_in_transit),
        ("PostgreSQL", Some(false)),
        "TLS is not enforced"
    );
    let nfs = flow(project, "Worker", "Nfs");
    assert_eq!((nfs.protocol.as_str(), nfs.encrypted_in_transit), ("NFS", Some(false)));
    let web = flow(project, "Worker", "Other");
    assert_eq!((web.protocol.as_str(), web.encrypted_in_transit), ("HTTPS", Some(true)), "port 443");

    // A cluster whose parameter group forces TLS: encrypted, through the cluster or its instance.
    let text = r#"{"Resources": {
      "Params": {"Type": "AWS::RDS::DBClusterParameterGroup", "Properties": {"Parameters": {"rds.force_ssl": "1"}}},
      "Cluster": {"Type": "AWS::RDS::DBCluster", "Properties": {"Engine": "aurora-postgresql",
        "DBClusterParameterGroupName": {"Ref": "Params"}}},
      "Writer": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "aurora-postgresql",
        "DBClusterIdentifier": {"Ref": "Cluster"}}},
      "Direct": {"Type": "AWS::Lambda::Function", "Properties": {"Environment": {"Variables": {
        "HOST": {"Fn::GetAtt": ["Cluster", "Endpoint.Address"]}}}}},
      "ViaInstance": {"Type": "AWS::Lambda::Function", "Properties": {"Environment": {"Variables": {
        "HOST": {"Fn::GetAtt": ["Writer", "Endpoint.Address"]}}}}}
    }}"#;
    let imported = import_text("tls.json", text);
    assert_sound(&imported);
    for from in ["Direct", "ViaInstance"] {
        let db = flow(&imported.project, from, "Cluster");
        assert_eq!((db.protocol.as_str(), db.encrypted_in_transit), ("PostgreSQL", Some(true)), "{from}");
    }

    // A reference to something that says no protocol: not assumed encrypted, and reported.
    let text = r#"{"Resources": {
      "A": {"Type": "AWS::EC2::Instance", "Properties": {"UserData": {"Fn::Sub": "${B}"}}},
      "B": {"Type": "AWS::EC2::Instance"}
    }}"#;
    let imported = import_text("unknown.json", text);
    let ab = flow(&imported.project, "A", "B");
    assert_eq!((ab.protocol.as_str(), ab.encrypted_in_transit), ("", Some(false)));
    assert!(
        imported
            .report
            .warnings
            .iter()
            .any(|w| w.starts_with("1 flow with no known protocol") && w.contains("A → B")),
        "{:#?}",
        imported.report.warnings
    );
}

#[test]
fn links_to_resources_that_are_not_nodes_say_why() {
    let state = r#"{"format_version": "1.0", "values": {"root_module": {"resources": [
      {"address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "values": {"id": "i-0a1b2c3d4e5f60718"}},
      {"address": "aws_lb_target_group.lonely", "mode": "managed", "type": "aws_lb_target_group",
       "values": {"arn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/lonely/1"}},
      {"address": "aws_lb_target_group_attachment.web", "mode": "managed", "type": "aws_lb_target_group_attachment",
       "values": {"target_group_arn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/lonely/1",
                  "target_id": "i-0a1b2c3d4e5f60718"}}
    ]}}}"#;
    let imported = import_text("attach.json", state);
    assert_sound(&imported);
    let warning =
        imported.report.warnings.iter().find(|w| w.starts_with("aws_lb_target_group_attachment.web"));
    let warning = warning.unwrap_or_else(|| panic!("{:#?}", imported.report.warnings));
    assert!(
        warning.contains("its end aws_lb_target_group.lonely is in the source but is not imported (a target group no listener"),
        "{warning}"
    );
    assert!(!imported.report.skipped.iter().any(|s| s.contains("attaches a target outside the source")));
}

/// The project each fixture imports to, laid out as `whoowns import` writes it, against
/// `tests/golden/import/` (rewrite with `UPDATE_GOLDEN=1 cargo test --test import` after a
/// deliberate change, and review the diff: it shows exactly what the importer now does
/// differently).
#[test]
fn every_fixture_imports_to_its_golden_project() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/import");
    for name in FIXTURES {
        let mut project = import_fixture(name).project;
        whoowns::layout::lay_out(&mut project);
        let text = whoowns::io::to_ron_string(&project).unwrap();
        let path = dir.join(format!("{name}.ron"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
        assert!(
            text == expected,
            "{} differs from its golden file; if the change is intended, run UPDATE_GOLDEN=1 cargo test --test import",
            path.display()
        );
    }
}

#[test]
fn for_each_loops_are_expanded_like_cloudformation_does() {
    let imported = import_text(
        "loops.yaml",
        "Transform: AWS::LanguageExtensions
Parameters:
  Queues: {Type: CommaDelimitedList, Default: 'orders, refunds'}
Resources:
  Fn::ForEach::Buckets:
    - Name
    - [logs, web-assets]
    - '&{Name}Bucket':
        Type: AWS::S3::Bucket
        Properties:
          BucketName: !Sub 'shop-${Name}'
          BucketEncryption:
            ServerSideEncryptionConfiguration:
              - ServerSideEncryptionByDefault: {SSEAlgorithm: 'aws:kms'}
  Fn::ForEach::Queues:
    - Queue
    - !Ref Queues
    - '${Queue}Queue':
        Type: AWS::SQS::Queue
        Properties: {QueueName: !Ref Queue}
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Environment:
        Variables: {BUCKET: !Ref webassetsBucket, QUEUE: !GetAtt ordersQueue.Arn}
",
    );
    assert_sound(&imported);
    assert!(imported.report.warnings.is_empty(), "{:#?}", imported.report.warnings);
    let project = &imported.project;
    for label in ["logsBucket", "webassetsBucket", "ordersQueue", "refundsQueue", "Worker"] {
        node(project, label);
    }
    assert_eq!(project.nodes.len(), 5);
    assert!(has_flow(project, "Worker", "webassetsBucket") && has_flow(project, "Worker", "ordersQueue"));
    assert_eq!(
        done_note(project, "logsBucket", "s3.kms_encryption"),
        "set in template: Resources.logsBucket.Properties.BucketEncryption"
    );
}

#[test]
fn local_nested_stacks_are_imported_under_their_stack_name() {
    let imported = import_fixture("nested/shop.yaml");
    assert_sound(&imported);
    let project = &imported.project;
    let mut labels: Vec<&str> = project.nodes.iter().map(|n| n.label.as_str()).collect();
    labels.sort_unstable();
    assert_eq!(labels, ["AppEvents", "AppOrders", "AppWeb", "Exporter", "ExporterRole"]);
    // Parameters passed between stacks: the app's instance sits in the network stack's subnet,
    // and the CIDR block the parent passes wins over the child's default.
    assert_eq!(members(project, "NetworkPrivateSubnet"), ["AppWeb"]);
    assert_eq!(
        boundary_parent_label(project, "AppWebSecurityGroup").as_deref(),
        Some("NetworkVpc 10.0.0.0/16")
    );
    // The parent's GetAtt App.Outputs.* reads through to the child's resources.
    assert!(has_flow(project, "Exporter", "AppOrders"), "GetAtt of an output");
    assert!(has_flow(project, "Exporter", "AppEvents"), "an output inside Fn::Sub");
    let warnings = &imported.report.warnings;
    for expected in [
        "app/app.yaml: Resources.Loop: ../shop.yaml includes itself",
        "Resources.Reports: the application comes from the Serverless Application Repository",
        "Resources.Shared: the nested stack's template is at https://",
    ] {
        assert!(warnings.iter().any(|w| w.contains(expected)), "{expected}\n{warnings:#?}");
    }

    // Imported from text, there is no folder to read the templates from: the stacks are skipped.
    let text = std::fs::read_to_string(fixture("nested/shop.yaml")).unwrap();
    let alone = import_text("shop.yaml", &text);
    assert!(alone.project.nodes.iter().all(|n| !n.label.starts_with("App")));
    assert!(alone.report.skipped.iter().any(|s| s.starts_with("Network ")), "{:#?}", alone.report.skipped);
}
