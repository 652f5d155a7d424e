//! Flows: which references are data flows, which way they point, and in which protocol.

use super::*;

#[test]
fn dependencies_are_flows_where_nothing_else_connects_and_never_placement() {
    let text = r#"{"Resources": {
      "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer"},
      "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "Lb"}}},
      "Subnet": {"Type": "AWS::EC2::Subnet"},
      "Table": {"Type": "AWS::DynamoDB::Table"},
      "Logs": {"Type": "AWS::Logs::LogGroup"},
      "Role": {"Type": "AWS::IAM::Role"},
      "Key": {"Type": "AWS::KMS::Key"},
      "Service": {"Type": "AWS::ECS::Service", "DependsOn": ["Listener", "Subnet", "Table", "Logs", "Role", "Key"],
                  "Properties": {"TaskDefinition": {"Ref": "Table"}}},
      "Bucket": {"Type": "AWS::S3::Bucket", "DependsOn": "Key"}
    }}"#;
    let imported = import_text("depends.json", text);
    assert_sound(&imported);
    let project = &imported.project;
    // A log group takes HTTPS: the dependency is the flow a reference would be.
    let logs = flow(project, "Service", "Logs");
    assert_eq!((logs.label.as_str(), logs.protocol.as_str()), ("depends on", "HTTPS"));
    // A reference already joins the service to the table: the dependency adds nothing.
    assert_ne!(flow(project, "Service", "Table").label, "depends on");
    // The load balancer (through its listener) has no protocol to go by: a dependency only
    // orders deployment. Roles and keys are used, not talked to.
    assert!(!has_flow(project, "Service", "Lb"));
    assert!(!has_flow(project, "Service", "Role") && !has_flow(project, "Bucket", "Key"));
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
    let jobs = flow(&imported.project, "aws_instance.web", "aws_sqs_queue.jobs");
    assert_eq!((jobs.label.as_str(), jobs.protocol.as_str()), ("depends on", "HTTPS"));
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
    // TLS is optional on PostgreSQL and NFS and nothing here enforces it: not stated either way.
    let db = flow(project, "Worker", "Db");
    assert_eq!((db.protocol.as_str(), db.encrypted_in_transit), ("PostgreSQL", None));
    assert_eq!(in_transit(db), InTransit::Unstated);
    let nfs = flow(project, "Worker", "Nfs");
    assert_eq!((nfs.protocol.as_str(), nfs.encrypted_in_transit), ("NFS", None));
    let web = flow(project, "Worker", "Other");
    assert_eq!((web.protocol.as_str(), web.encrypted_in_transit), ("HTTPS", None), "port 443");
    assert_eq!(in_transit(web), InTransit::Encrypted);

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

    // A reference to something that says no protocol: nothing is stated, and it is reported.
    let text = r#"{"Resources": {
      "A": {"Type": "AWS::Lambda::Function", "Properties": {"Environment": {"Variables": {
        "HOST": {"Fn::GetAtt": ["B", "PrivateIp"]}}}}},
      "B": {"Type": "AWS::EC2::Instance"}
    }}"#;
    let imported = import_text("unknown.json", text);
    let ab = flow(&imported.project, "A", "B");
    assert_eq!((ab.protocol.as_str(), ab.encrypted_in_transit), ("", None));
    assert_eq!(in_transit(ab), InTransit::Unstated);
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

#[test]
fn a_rule_naming_a_load_balancer_s_own_group_is_its_flow() {
    let text = r#"{"Resources": {
      "Lb": {"Type": "AWS::ElasticLoadBalancing::LoadBalancer", "Properties": {
        "Listeners": [{"LoadBalancerPort": "443", "InstancePort": "80", "Protocol": "HTTPS", "InstanceProtocol": "HTTP"}]}},
      "WebSg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupIngress": [
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
         "SourceSecurityGroupName": {"Fn::GetAtt": ["Lb", "SourceSecurityGroup.GroupName"]}}]}},
      "Web": {"Type": "AWS::EC2::Instance", "Properties": {"SecurityGroups": [{"Ref": "WebSg"}]}}
    }}"#;
    let imported = import_text("elb-sg.json", text);
    assert_sound(&imported);
    let web = flow(&imported.project, "Lb", "Web");
    assert_eq!((web.protocol.as_str(), web.label.as_str()), ("HTTP", "port 80"));
}

#[test]
fn a_distribution_reaches_each_origin_in_its_origin_protocol() {
    let text = r#"{"Resources": {
      "Cdn": {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {
        "Origins": [
          {"Id": "app", "DomainName": {"Fn::GetAtt": ["Alb", "DNSName"]}, "CustomOriginConfig": {"OriginProtocolPolicy": "http-only"}},
          {"Id": "api", "DomainName": {"Fn::GetAtt": ["Api", "DNSName"]}, "CustomOriginConfig": {"OriginProtocolPolicy": "https-only"}},
          {"Id": "files", "DomainName": {"Fn::GetAtt": ["Files", "RegionalDomainName"]}, "S3OriginConfig": {}}
        ],
        "Logging": {"Bucket": {"Fn::GetAtt": ["Logs", "DomainName"]}}}}},
      "Alb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer"},
      "Api": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer"},
      "Files": {"Type": "AWS::S3::Bucket"},
      "Logs": {"Type": "AWS::S3::Bucket"}
    }}"#;
    let imported = import_text("cdn.json", text);
    assert_sound(&imported);
    let project = &imported.project;
    let protocol = |to: &str| flow(project, "Cdn", to).protocol.clone();
    assert_eq!(
        [protocol("Alb"), protocol("Api"), protocol("Files"), protocol("Logs")],
        ["HTTP", "HTTPS", "HTTPS", "HTTPS"]
    );
}

#[test]
fn a_client_reaches_a_load_balancer_in_its_listeners_protocol() {
    let text = r#"{"Resources": {
      "Alb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer"},
      "Secure": {"Type": "AWS::ElasticLoadBalancingV2::Listener",
                 "Properties": {"LoadBalancerArn": {"Ref": "Alb"}, "Protocol": "HTTPS", "Port": 443}},
      "Redirect": {"Type": "AWS::ElasticLoadBalancingV2::Listener",
                   "Properties": {"LoadBalancerArn": {"Ref": "Alb"}, "Protocol": "HTTP", "Port": 80,
                                  "DefaultActions": [{"Type": "redirect"}]}},
      "Classic": {"Type": "AWS::ElasticLoadBalancing::LoadBalancer",
                  "Properties": {"Listeners": [{"Protocol": "HTTP", "LoadBalancerPort": "80", "InstancePort": "80"}]}},
      "Caller": {"Type": "AWS::Lambda::Function", "Properties": {"Environment": {"Variables": {
        "API": {"Fn::GetAtt": ["Alb", "DNSName"]},
        "LEGACY": {"Fn::GetAtt": ["Classic", "DNSName"]}}}}}
    }}"#;
    let imported = import_text("serves.json", text);
    assert_sound(&imported);
    let project = &imported.project;
    // An HTTP listener that only redirects carries nothing: clients reach the ALB over TLS.
    let api = flow(project, "Caller", "Alb");
    assert_eq!(api.protocol, "HTTPS");
    assert_eq!(in_transit(api), InTransit::Encrypted);
    // The Classic Load Balancer listens in plain HTTP.
    let legacy = flow(project, "Caller", "Classic");
    assert_eq!(legacy.protocol, "HTTP");
    assert_eq!(in_transit(legacy), InTransit::Plaintext);
}
