//! Terraform plans and states: references by configuration and by value, modules, checks.

use super::*;

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
fn terraform_checks_read_what_is_there() {
    let plan = r#"{"format_version": "1.2",
      "planned_values": {"root_module": {"resources": [
        {"address": "aws_lambda_function.f", "mode": "managed", "type": "aws_lambda_function", "values": {"kms_key_arn": null}},
        {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "values": {"id": "b"}},
        {"address": "aws_s3_bucket_policy.words", "mode": "managed", "type": "aws_s3_bucket_policy",
         "values": {"bucket": "b", "policy": "{\"Statement\": [{\"Sid\": \"DenyNothing\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}}}]}"}},
        {"address": "aws_s3_bucket.c", "mode": "managed", "type": "aws_s3_bucket", "values": {"id": "c"}},
        {"address": "aws_s3_bucket_policy.deny", "mode": "managed", "type": "aws_s3_bucket_policy",
         "values": {"bucket": "c", "policy": "{\"Statement\": [{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": [\"arn:aws:s3:::c\", \"arn:aws:s3:::c/*\"], \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}]}"}},
        {"address": "aws_s3_bucket.d", "mode": "managed", "type": "aws_s3_bucket", "values": {"id": "d"}},
        {"address": "aws_s3_bucket_policy.bucket_only", "mode": "managed", "type": "aws_s3_bucket_policy",
         "values": {"bucket": "d", "policy": "{\"Statement\": [{\"Effect\": \"Deny\", \"Principal\": {\"AWS\": \"*\"}, \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::d\", \"Condition\": {\"Bool\": {\"aws:SecureTransport\": false}}}]}"}},
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
        {"address": "aws_s3_bucket_policy.bucket_only", "expressions": {"bucket": {"references": ["aws_s3_bucket.d.id", "aws_s3_bucket.d"]}}},
        {"address": "aws_backup_selection.one", "expressions": {"plan_id": {"references": ["aws_backup_plan.p.id", "aws_backup_plan.p"]}}}
      ]}}
    }"#;
    let imported = import_text("checks.json", plan);
    assert_sound(&imported);
    let project = &imported.project;
    assert!(!is_done(project, "aws_lambda_function.f", "lambda.cmk_env_vars"), "an explicit null is not set");
    assert!(!is_done(project, "aws_s3_bucket.b", "s3.require_tls"), "the words are not a Deny statement");
    assert!(is_done(project, "aws_s3_bucket.c", "s3.require_tls"));
    assert!(
        !is_done(project, "aws_s3_bucket.d", "s3.require_tls"),
        "a Deny on the bucket ARN alone leaves its objects open"
    );
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
fn a_terraform_classic_load_balancer_sends_to_its_instances_and_groups() {
    let plan = r#"{"format_version": "1.2",
      "planned_values": {"root_module": {"resources": [
        {"address": "aws_elb.web", "mode": "managed", "type": "aws_elb", "values": {"name": "web",
          "listener": [{"lb_port": 80, "lb_protocol": "http", "instance_port": 8000, "instance_protocol": "http"}]}},
        {"address": "aws_instance.one", "mode": "managed", "type": "aws_instance", "values": {}},
        {"address": "aws_autoscaling_group.web", "mode": "managed", "type": "aws_autoscaling_group", "values": {}}
      ]}},
      "configuration": {"root_module": {"resources": [
        {"address": "aws_elb.web", "expressions": {"instances": {"references": ["aws_instance.one.id", "aws_instance.one"]}}},
        {"address": "aws_autoscaling_group.web", "expressions": {"load_balancers": {"references": ["aws_elb.web.name", "aws_elb.web"]}}}
      ]}}
    }"#;
    let imported = import_text("elb.json", plan);
    assert_sound(&imported);
    let project = &imported.project;
    for to in ["aws_instance.one", "aws_autoscaling_group.web"] {
        let web = flow(project, "aws_elb.web", to);
        assert_eq!((web.protocol.as_str(), in_transit(web)), ("HTTP", InTransit::Plaintext), "{to}");
    }
    assert_eq!(project.flows.len(), 2, "{:#?}", project.flows);
}
