//! CloudFormation and SAM: folds, variants, exposure, checks, loops and nested stacks.

use super::*;

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

#[test]
fn the_mapping_covers_every_catalog_service() {
    let types = import::ResourceTypes::builtin().unwrap();
    assert!(types.problems(Catalog::builtin()).is_empty(), "{:#?}", types.problems(Catalog::builtin()));
    // Services with no resource of their own: actors, services AWS runs for you, and the
    // placeholder for unrecognised diagram shapes.
    let none = ["internet", "users", "trusted_advisor", "managed_services", "vpc", "other_aws"];
    // Services CloudFormation has no resource type for (Terraform has): Direct Connect
    // connections are ordered from AWS or a partner, not created by a template.
    let terraform_only = ["direct_connect"];
    for service in &Catalog::builtin().services {
        if none.contains(&service.id.as_str()) {
            continue;
        }
        let id = service.id.as_str();
        let cloudformation =
            types.cloudformation_types().any(|t| types.cloudformation_services(t).contains(&id));
        let terraform = types.terraform_types().any(|t| types.terraform_services(t).contains(&id));
        let cloudformation = cloudformation || terraform_only.contains(&id);
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
fn nested_templates_behind_urls_are_read_from_the_same_path_next_to_the_template() {
    let imported = import_fixture("nested-urls/main.yaml");
    assert_sound(&imported);
    let project = &imported.project;
    let mut labels: Vec<&str> = project.nodes.iter().map(|n| n.label.as_str()).collect();
    labels.sort_unstable();
    assert_eq!(labels, ["QueuesConsumer", "QueuesJobsQueue", "Worker"]);
    // The network stack's subnet, passed to the queues stack through an output.
    assert_eq!(members(project, "NetworkPrivateSubnet"), ["QueuesConsumer"]);
    assert_eq!(flow(project, "Worker", "QueuesJobsQueue").label, "JOBS");
    let warnings = imported.report.warnings.join("\n");
    for expected in [
        "Resources.Network: the nested stack's template is at https://s3.amazonaws.com/shop-templates/infrastructure/network.yaml; read from infrastructure/network.yaml",
        "/shop/services/queues.yaml; read from services/queues.yaml",
        "Resources.Missing: the nested stack's template is at https://example.com/templates/nowhere.yaml, which whoowns does not fetch",
        "Resources.Elsewhere: ../serverless-api.yaml is outside the folder of the imported template",
        "Resources.Absolute: /etc/hostname is outside the folder of the imported template",
    ] {
        assert!(warnings.contains(expected), "{expected}\n{warnings}");
    }

    // A folder the caller allows: the template next door is read, nothing else.
    let options = import::ImportOptions { nested_roots: vec![fixture("")], ..Default::default() };
    let allowed =
        import::import_file_with(&fixture("nested-urls/main.yaml"), Catalog::builtin(), &options).unwrap();
    assert_sound(&allowed);
    assert!(allowed.project.nodes.iter().any(|n| n.label.starts_with("Elsewhere")));
    assert!(allowed.report.warnings.iter().any(|w| w.starts_with("Resources.Absolute:")));
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
fn ecs_anywhere_is_the_external_variant_with_the_physical_layers_at_the_customer() {
    let text = r#"{"Resources": {
      "OnPrem": {"Type": "AWS::ECS::Service", "Properties": {"LaunchType": "EXTERNAL"}},
      "OnlyExternal": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"RequiresCompatibilities": ["EXTERNAL"]}},
      "Either": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"RequiresCompatibilities": ["EC2", "EXTERNAL"]}},
      "Cloud": {"Type": "AWS::ECS::Service", "Properties": {"LaunchType": "EC2"}}
    }}"#;
    let imported = import_text("ecs-anywhere.json", text);
    assert_sound(&imported);
    let variant = |label| node(&imported.project, label).variant.clone().unwrap_or_default();
    assert_eq!(variant("OnPrem"), "external");
    assert_eq!(variant("OnlyExternal"), "external");
    assert_eq!(variant("Either"), "ec2");
    assert_eq!(variant("Cloud"), "ec2");
    let ecs = Catalog::builtin().service("ecs").unwrap();
    let owners = ecs.owners_for(ecs.variant("external"));
    assert_eq!(
        owners.get(whoowns::responsibility::Layer::Physical),
        whoowns::responsibility::Owner::Customer
    );
}
