//! The fixtures under `tests/fixtures/import/`: what each imports to, and its golden project.

use super::*;

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
            ("InternetGateway", "internet_gateway"),
            ("LoadBalancer", "elb"),
            ("LogsBucket", "s3"),
            ("NatGateway", "nat_gateway"),
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
    assert_eq!(members(project, "PublicSubnetA"), vec!["LoadBalancer", "NatGateway"]);
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
    assert_eq!((web.protocol.as_str(), web.encrypted_in_transit), ("HTTP", None), "the protocol says it");
    assert_eq!(in_transit(web), InTransit::Plaintext);
    let db = flow(project, "WebServerGroup", "Database");
    assert_eq!(db.protocol, "PostgreSQL");
    assert_eq!(db.encrypted_in_transit, Some(true), "the parameter group forces TLS");
    assert_eq!(flow(project, "WebServerGroup", "AssetsBucket").protocol, "HTTPS");
    assert_eq!(flow(project, "AssetsBucket", "LogsBucket").label, "DestinationBucketName");
    assert!(has_flow(project, "Database", "DatabaseSecret"));
    assert!(!has_flow(project, "WebCpuAlarm", "AlertTopic"), "alarm actions are notifications, no data flow");
    assert!(!has_flow(project, "WebCpuAlarm", "WebServerGroup"), "alarm dimensions are no flow");
    assert!(!has_flow(project, "Database", "DataKey"), "keys are used, not talked to");
    assert!(!has_flow(project, "WebRole", "AssetsBucket"), "policies grant, they do not connect");
    assert_eq!(project.flows.len(), 5, "{:#?}", project.flows);
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
    assert_eq!(node(project, "aws_mq_broker.events").service, "amazon_mq");
    assert_eq!(node(project, "module.network.aws_nat_gateway.this").service, "nat_gateway");
    assert_eq!(node(project, "module.network.aws_internet_gateway.this").service, "internet_gateway");
    assert_eq!(project.nodes.len(), 9, "{:#?}", project.nodes);

    // Module boundaries: the VPC module's network, with the subnets and groups inside it.
    let vpc = project.boundaries.iter().find(|b| b.kind == BoundaryKind::Vpc).unwrap();
    assert_eq!(vpc.label, "module.network.aws_vpc.this 10.30.0.0/16");
    assert_eq!(
        boundary_parent_label(project, "module.network.aws_subnet.private[1]").as_deref(),
        Some(vpc.label.as_str())
    );
    assert_eq!(
        members(project, "module.network.aws_subnet.private[0]"),
        vec!["aws_lambda_function.ingest", "aws_mq_broker.events", "module.database.aws_rds_cluster.this"]
    );
    assert_eq!(
        members(project, "module.network.aws_security_group.db"),
        vec!["module.database.aws_rds_cluster.this"]
    );
    assert_eq!(members(project, "module.network.aws_security_group.app"), vec!["aws_lambda_function.ingest"]);
    assert_eq!(
        members(project, "module.network.aws_subnet.public[0]"),
        vec!["module.network.aws_nat_gateway.this"]
    );

    // Folded: the bucket's configuration resources and the cluster's instances.
    for line in [
        "aws_s3_bucket_server_side_encryption_configuration.documents folded into aws_s3_bucket.documents",
        "aws_s3_bucket_public_access_block.documents folded into aws_s3_bucket.documents",
        "aws_s3_bucket_versioning.documents folded into aws_s3_bucket.documents",
        "module.database.aws_rds_cluster_instance.this[0] folded into module.database.aws_rds_cluster.this",
        "module.database.aws_db_subnet_group.this folded into module.database.aws_rds_cluster.this",
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

    // Not imported: what is not an AWS resource (skipped). The broker, once an unknown type,
    // is now an Amazon MQ node.
    assert!(imported.report.unknown.is_empty(), "{:#?}", imported.report.unknown);
    assert!(imported.report.skipped.iter().any(|s| s.starts_with("random_password.reports")));
    assert!(imported.report.skipped.iter().any(|s| s.starts_with("1 data source")));
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
fn json_pasted_into_yaml_and_merge_keys_read_as_cloudformation_reads_them() {
    let imported = import_fixture("pasted-json-and-anchors.yaml");
    assert_sound(&imported);
    assert!(imported.report.warnings.is_empty(), "{:#?}", imported.report.warnings);
    let project = &imported.project;
    assert!(
        project.description.starts_with("Reports bucket whose key policy was pasted"),
        "{}",
        project.description
    );
    done_note(project, "ReportsKey", "kms.rotation");
    // The archive bucket takes its settings from the reports bucket's through `<<: *bucket-defaults`.
    assert_eq!(
        done_note(project, "ArchiveBucket", "s3.versioning"),
        "set in template: Resources.ArchiveBucket.Properties.VersioningConfiguration"
    );
    done_note(project, "ArchiveBucket", "s3.kms_encryption");
    // A Deny on the objects counts; a Deny on the bucket ARN alone leaves the objects open.
    done_note(project, "ReportsBucket", "s3.require_tls");
    assert!(!is_done(project, "ArchiveBucket", "s3.require_tls"));
}

#[test]
fn a_classic_load_balancer_sends_to_its_group_and_alarms_send_nothing() {
    let imported = import_fixture("classic-web-tier.yaml");
    assert_sound(&imported);
    let project = &imported.project;
    // The group names the load balancer, and the load balancer forwards plain HTTP to it.
    let web = flow(project, "WebLoadBalancer", "WebGroup");
    assert_eq!((web.protocol.as_str(), web.encrypted_in_transit), ("HTTP", None));
    assert_eq!(in_transit(web), InTransit::Plaintext);
    assert!(!has_flow(project, "WebGroup", "WebLoadBalancer"));
    // The boot script exports the database endpoint (a flow in its protocol); it also calls the
    // load balancer's API, which is no data flow.
    assert_eq!(flow(project, "WebGroup", "Database").protocol, "MySQL");
    // Replication goes from the source to the replica.
    assert!(
        has_flow(project, "Database", "DatabaseReplica") && !has_flow(project, "DatabaseReplica", "Database")
    );
    // Alarm actions, notifications, parameter values, dependencies on roles and volume
    // attachments are not data flows.
    for (from, to) in [
        ("HighCpuAlarm", "WebGroup"),
        ("HighCpuAlarm", "AlertTopic"),
        ("WebGroup", "AlertTopic"),
        ("LoadBalancerNameParameter", "WebLoadBalancer"),
        ("Bastion", "BastionRole"),
        ("Bastion", "BastionVolume"),
        ("BastionVolume", "Bastion"),
    ] {
        assert!(!has_flow(project, from, to), "{from} -> {to}");
    }
    assert_eq!(project.flows.len(), 4, "{:#?}", project.flows);
    assert!(imported.report.warnings.is_empty(), "{:#?}", imported.report.warnings);
    for line in [
        "DBSecurityGroup DatabaseSecurityGroup folded into Database",
        "VolumeAttachment BastionVolumeAttachment folded into BastionVolume",
    ] {
        assert!(folded(&imported, line), "{line}\n{:#?}", imported.report.folded);
    }
}

#[test]
fn one_policy_for_three_queues_joins_none_to_another() {
    let imported = import_fixture("fan-out-and-scaling.yaml");
    assert_sound(&imported);
    let project = &imported.project;
    let queues = ["BillingQueue", "ShippingQueue", "AnalyticsQueue"];
    for queue in queues {
        assert_eq!(flow(project, "OrdersTopic", queue).protocol, "HTTPS");
        for other in queues {
            assert!(queue == other || !has_flow(project, queue, other), "{queue} -> {other}");
        }
        done_note(project, queue, "sqs.require_tls");
    }
    assert!(folded(
        &imported,
        "QueuePolicy QueuesPolicy folded into AnalyticsQueue, BillingQueue, ShippingQueue"
    ));
    // Application Auto Scaling configures the service and the table it names.
    for line in [
        "ScalableTarget ShippingServiceScaling folded into ShippingService",
        "ScalingPolicy ShippingServiceScalingPolicy folded into ShippingService",
        "ScalableTarget TableWriteScaling folded into OrdersTable",
    ] {
        assert!(folded(&imported, line), "{line}\n{:#?}", imported.report.folded);
    }
    // A dependency on a log group is its HTTPS flow; on a role, nothing.
    assert_eq!(flow(project, "BillingFunction", "BillingLogs").protocol, "HTTPS");
    assert!(!has_flow(project, "BillingFunction", "BillingRole"));
    // CDK metadata and registry modules are left out on purpose, not unknown.
    assert!(imported.report.unknown.is_empty(), "{:?}", imported.report.unknown);
    let skipped = imported.report.skipped.join("\n");
    assert!(skipped.contains("CDKMetadata (AWS::CDK::Metadata)"), "{skipped}");
    assert!(skipped.contains("Network (Acme::Network::Vpc::MODULE): a registry module"), "{skipped}");
    assert!(
        imported
            .report
            .warnings
            .iter()
            .any(|w| w.starts_with("Resources.Pipeline:") && w.contains("dynamic reference")),
        "{:#?}",
        imported.report.warnings
    );
}

#[test]
fn a_provider_v5_plan_claims_nothing_the_provider_computes() {
    let imported = import_fixture("terraform-provider-v5.json");
    assert_sound(&imported);
    let project = &imported.project;
    // Unknown after apply, and never set in the configuration: computed by the provider.
    assert!(!node(project, "aws_s3_bucket.uploads").internet_facing, "no website configured");
    assert!(!is_done(project, "aws_s3_bucket.uploads", "s3.access_logging"));
    assert!(!is_done(project, "aws_dynamodb_table.orders", "dynamodb.customer_key"));
    assert!(!is_done(project, "aws_instance.app", "ec2.instance_profile"));
    // Unknown after apply because the configuration sets it from another resource.
    assert_eq!(
        done_note(project, "aws_s3_bucket.reports", "s3.access_logging"),
        "set in plan: aws_s3_bucket.reports.logging"
    );
    done_note(project, "aws_instance.worker", "ec2.instance_profile");
    assert_eq!(flow(project, "aws_s3_bucket.reports", "aws_s3_bucket.logs").label, "target_bucket");
    // Each module instance's public access block is its own bucket's, though both buckets share
    // a name.
    for key in ["a", "b"] {
        let line = format!(
            "module.stores[\"{key}\"].aws_s3_bucket_public_access_block.this folded into module.stores[\"{key}\"].aws_s3_bucket.this"
        );
        assert!(folded(&imported, &line), "{line}\n{:#?}", imported.report.folded);
    }
    assert!(!has_flow(
        project,
        "module.stores[\"a\"].aws_s3_bucket.this",
        "module.stores[\"b\"].aws_s3_bucket.this"
    ));
    // depends_on a log group: the HTTPS flow a reference would be.
    assert_eq!(flow(project, "aws_lambda_function.api", "aws_cloudwatch_log_group.api").label, "depends on");

    // Written by Windows PowerShell (UTF-16 with a byte-order mark): the same project.
    let utf16 = import_fixture("terraform-provider-v5.utf16.json");
    assert_eq!(utf16.project.nodes, imported.project.nodes);
    assert_eq!(utf16.project.flows, imported.project.flows);
    assert_eq!(utf16.project.tasks, imported.project.tasks);
}
