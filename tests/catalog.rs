//! The built-in catalog is complete and valid, and validation catches each kind of mistake.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test helpers fail loudly")]

use whoowns::catalog::{BUILTIN_CATALOG, Catalog, CatalogError, Category, Trait};
use whoowns::responsibility::{Layer, Owner};

fn problems_of(text: &str) -> String {
    let result = Catalog::from_ron(text);
    assert!(result.is_err(), "the broken catalog was accepted");
    result.err().map(|error| error.to_string()).unwrap_or_default()
}

#[test]
fn builtin_catalog_is_valid() {
    if let Err(error) = Catalog::from_ron(BUILTIN_CATALOG) {
        panic!("{error}");
    }
}

#[test]
fn has_every_service_the_seed_and_the_reference_name() {
    let catalog = Catalog::builtin();
    let required = [
        // The seed article.
        "ec2",
        "s3",
        "vpc",
        "lambda",
        "rds",
        "workspaces",
        "iam",
        "kms",
        "acm",
        "cloudtrail",
        "cloudwatch",
        "systems_manager",
        "trusted_advisor",
        "managed_services",
        // The reference's ownership matrix.
        "ebs",
        "elb",
        "cloudfront",
        "route53",
        "api_gateway",
        "ecs",
        "eks",
        "aurora",
        "dynamodb",
        "elasticache",
        "sqs",
        "sns",
        "kinesis",
        "redshift",
        "elastic_beanstalk",
        "cognito",
        "secrets_manager",
        "waf",
        "guardduty",
        "glue",
        "athena",
        "sagemaker",
        // The 26 the domain review (§4.2) and issue 10 ask for.
        "internet_gateway",
        "nat_gateway",
        "transit_gateway",
        "site_to_site_vpn",
        "client_vpn",
        "direct_connect",
        "network_firewall",
        "shield_advanced",
        "identity_center",
        "organizations",
        "inspector",
        "bedrock",
        "codepipeline",
        "codebuild",
        "ses",
        "firehose",
        "msk",
        "documentdb",
        "neptune",
        "emr",
        "fsx",
        "directory_service",
        "appsync",
        "amazon_mq",
        "batch",
        "app_runner",
        // Actors.
        "internet",
        "users",
        "on_premises",
    ];
    for id in required {
        assert!(catalog.service(id).is_some(), "missing service {id}");
    }
    let aws_services = catalog.services.iter().filter(|s| !s.is_actor()).count();
    assert!(aws_services >= 70, "only {aws_services} AWS services");
}

#[test]
fn the_lower_five_layers_are_aws_except_at_the_customer_s_site_and_actors_own_nothing() {
    let mut at_customer_site = Vec::new();
    for service in &Catalog::builtin().services {
        for layer in &Layer::ALL[..5] {
            let expected = if service.is_actor() { Owner::NotApplicable } else { Owner::Aws };
            assert_eq!(service.owners.get(*layer), expected, "{} {layer}", service.id);
        }
        // Every variant keeps them with AWS, unless the catalog marks it as running at the
        // customer's site (Outposts, ECS Anywhere, EKS hybrid nodes and Anywhere).
        for variant in &service.variants {
            let owners = service.owners_for(Some(variant));
            if variant.customer_site {
                assert_eq!(owners.get(Layer::Physical), Owner::Customer, "{} {}", service.id, variant.id);
                at_customer_site.push(format!("{}/{}", service.id, variant.id));
            } else {
                for layer in &Layer::ALL[..5] {
                    assert_eq!(owners.get(*layer), Owner::Aws, "{} {} {layer}", service.id, variant.id);
                }
            }
        }
        if service.is_actor() {
            assert_eq!(service.category, Category::EXTERNAL);
            assert!(service.tasks.is_empty());
        }
    }
    for expected in
        ["ec2/outposts", "ecs/external", "ecs/outposts", "eks/hybrid_nodes", "eks/anywhere", "rds/outposts"]
    {
        assert!(at_customer_site.iter().any(|v| v == expected), "{expected} not at the customer's site");
    }
}

#[test]
fn outposts_leave_the_rack_itself_with_aws() {
    let catalog = Catalog::builtin();
    for id in ["ec2", "ecs", "eks", "rds"] {
        let service = catalog.service(id).unwrap();
        let owners = service.owners_for(service.variant("outposts"));
        assert_eq!(owners.get(Layer::Physical), Owner::Customer, "{id}: the facility is the customer's");
        assert_eq!(owners.get(Layer::Hardware), Owner::Aws, "{id}: AWS owns and maintains the rack");
        assert_eq!(owners.get(Layer::Virtualization), Owner::Aws, "{id}");
        assert_eq!(owners.get(Layer::HostOs), Owner::Aws, "{id}");
    }
    let ecs = catalog.service("ecs").unwrap();
    assert_eq!(ecs.owners_for(ecs.variant("external")).get(Layer::Hardware), Owner::Customer);
}

#[test]
fn a_variant_moving_a_physical_layer_must_say_it_runs_at_the_customer_s_site() {
    let broken = BUILTIN_CATALOG.replacen(
        "(id: \"fargate\", name: \"Fargate launch type\", owners: {guest_os: aws, encryption_at_rest: shared})",
        "(id: \"fargate\", name: \"Fargate launch type\", owners: {guest_os: aws, encryption_at_rest: shared, physical: customer})",
        1,
    );
    assert!(broken != BUILTIN_CATALOG, "the replacement found nothing to replace");
    assert!(
        problems_of(&broken)
            .contains("variant \"fargate\" moves a physical layer off AWS but is not marked `customer_site`")
    );
}

#[test]
fn variants_the_issue_asks_for_change_ownership() {
    let catalog = Catalog::builtin();
    let guest_os = |service: &str, variant: &str| {
        let service = catalog.service(service).unwrap();
        service.owners_for(service.variant(variant)).get(Layer::GuestOs)
    };
    assert_eq!(guest_os("ecs", "ec2"), Owner::Customer);
    assert_eq!(guest_os("ecs", "fargate"), Owner::Aws);
    assert_eq!(guest_os("eks", "self_managed"), Owner::Customer);
    assert_eq!(guest_os("eks", "managed_node_group"), Owner::Shared);
    assert_eq!(guest_os("eks", "fargate"), Owner::Aws);
    assert_eq!(guest_os("lambda", "zip_auto_updates"), Owner::Aws);
    assert_eq!(guest_os("lambda", "container_image"), Owner::Shared);
    assert_eq!(guest_os("elastic_beanstalk", "managed_updates_on"), Owner::Shared);
    assert_eq!(guest_os("elastic_beanstalk", "managed_updates_off"), Owner::Customer);
    let lambda = catalog.service("lambda").unwrap();
    let runtime = |v: &str| lambda.owners_for(lambda.variant(v)).get(Layer::Runtime);
    assert_eq!(runtime("zip_auto_updates"), Owner::Shared);
    assert_eq!(runtime("zip_manual_updates"), Owner::Customer);
}

#[test]
fn graph_rule_traits_are_where_the_rules_expect_them() {
    let catalog = Catalog::builtin();
    for id in ["s3", "rds", "aurora", "dynamodb", "elasticache", "redshift"] {
        assert!(catalog.service(id).unwrap().has(Trait::DataStore), "{id}");
    }
    for id in ["api_gateway", "elb", "cloudfront"] {
        assert!(catalog.service(id).unwrap().has(Trait::FrontDoor), "{id}");
    }
    assert!(catalog.service("waf").unwrap().has(Trait::WebFilter), "WAF attaches; it is not a front door");
    assert!(catalog.service("workspaces").unwrap().has(Trait::AccessPoint));
    assert!(catalog.service("on_premises").unwrap().has(Trait::OnPremises));
    for id in ["ec2", "lambda", "ecs", "eks"] {
        assert!(catalog.service(id).unwrap().has(Trait::Compute), "{id}");
    }
    for id in ["internet", "users"] {
        assert!(catalog.service(id).unwrap().has(Trait::UntrustedSource), "{id}");
    }
    assert!(catalog.service("cloudtrail").unwrap().has(Trait::AuditTrail));
    assert!(catalog.service("on_premises").unwrap().has(Trait::OnPremises));
    // A WAF filters for a front door; it is not one.
    let waf = catalog.service("waf").unwrap();
    assert!(waf.has(Trait::WebFilter) && !waf.has(Trait::FrontDoor));
    for id in ["workspaces", "systems_manager"] {
        assert!(catalog.service(id).unwrap().has(Trait::AccessPoint), "{id}");
    }
    for id in ["ec2", "lambda", "ecs", "eks", "elastic_beanstalk"] {
        assert!(catalog.service(id).unwrap().has(Trait::Compute), "{id}");
    }
    // The catalog describes exactly the rules this build runs (validation checks it too).
    let described: Vec<&str> = catalog.rule_tasks.iter().map(|t| t.id.as_str()).collect();
    for rule in whoowns::checklist::RULE_IDS {
        assert!(described.contains(rule), "rule template {rule}");
    }
    assert_eq!(described.len(), whoowns::checklist::RULE_IDS.len());
}

#[test]
fn variants_that_cannot_take_a_waf_are_not_front_doors() {
    let catalog = Catalog::builtin();
    let front_door = |service: &str, variant: &str| {
        let service = catalog.service(service).unwrap();
        service.has_in(service.variant(variant), Trait::FrontDoor)
    };
    assert!(front_door("elb", "application"));
    for variant in ["network", "gateway", "classic"] {
        assert!(!front_door("elb", variant), "elb {variant}");
    }
    assert!(front_door("api_gateway", "rest"));
    assert!(!front_door("api_gateway", "http"));
    assert!(!front_door("api_gateway", "websocket"));
    // A node without a variant takes the default's traits.
    let elb = catalog.service("elb").unwrap();
    assert!(elb.has_in(elb.effective_variant(None), Trait::FrontDoor));
}

#[test]
fn a_service_missing_a_layer_is_refused() {
    let broken = BUILTIN_CATALOG.replacen("guest_os: customer, ", "", 1);
    assert_ne!(broken, BUILTIN_CATALOG);
    let error = problems_of(&broken);
    assert!(error.contains("missing: guest_os"), "{error}");
}

#[test]
fn a_duplicate_service_id_is_refused() {
    let broken = BUILTIN_CATALOG.replacen("id: \"ebs\"", "id: \"ec2\"", 1);
    assert!(problems_of(&broken).contains("duplicate service id \"ec2\""));
}

#[test]
fn a_duplicate_task_id_is_refused() {
    let broken = BUILTIN_CATALOG.replacen("id: \"no_public_ip\"", "id: \"imdsv2\"", 1);
    assert!(problems_of(&broken).contains("duplicate task id \"imdsv2\""));
}

#[test]
fn a_task_on_a_layer_aws_owns_is_refused() {
    // Lambda's guest OS is AWS's with zip packages: a task there without a variant is wrong.
    let broken = BUILTIN_CATALOG.replacen("                    variants: [\"container_image\"],\n", "", 1);
    assert!(broken != BUILTIN_CATALOG, "the replacement found nothing to replace");
    let error = problems_of(&broken);
    assert!(error.contains("layer guest_os is owned by aws in variant \"zip_auto_updates\""), "{error}");
}

#[test]
fn a_malformed_control_id_is_refused() {
    let broken = BUILTIN_CATALOG.replacen("\"EC2.8\"", "\"EC2-8\"", 1);
    assert!(problems_of(&broken).contains("malformed Security Hub control id \"EC2-8\""));
}

#[test]
fn an_unknown_variant_on_a_task_is_refused() {
    let broken = BUILTIN_CATALOG.replacen("variants: [\"fargate\"]", "variants: [\"lambda\"]", 1);
    assert!(problems_of(&broken).contains("unknown variant \"lambda\""));
}

#[test]
fn layers_must_be_the_sixteen_in_order() {
    let broken = BUILTIN_CATALOG.replacen("(id: physical,", "(id: hardware,", 1);
    assert!(matches!(Catalog::from_ron(&broken), Err(CatalogError::Invalid(_))));
}

#[test]
fn an_account_control_on_a_service_task_is_refused() {
    // EC2.7 is account-wide: putting it back on an EC2 task must be caught.
    let broken = BUILTIN_CATALOG.replacen(
        "controls: [\"EC2.8\", \"EC2.170\"]",
        "controls: [\"EC2.8\", \"EC2.170\", \"EC2.7\"]",
        1,
    );
    assert!(broken != BUILTIN_CATALOG, "the replacement found nothing to replace");
    let error = problems_of(&broken);
    assert!(error.contains("control EC2.7 is account-wide"), "{error}");
}

#[test]
fn a_control_on_two_tasks_of_one_service_is_refused() {
    let broken = BUILTIN_CATALOG.replacen(
        "controls: [\"EC2.9\", \"EC2.25\"]",
        "controls: [\"EC2.9\", \"EC2.25\", \"EC2.8\"]",
        1,
    );
    assert!(broken != BUILTIN_CATALOG, "the replacement found nothing to replace");
    let error = problems_of(&broken);
    assert!(error.contains("control EC2.8 is on both \"imdsv2\" and \"no_public_ip\""), "{error}");
}

#[test]
fn retired_records_must_point_from_a_gone_template_to_a_live_one() {
    let still_there = BUILTIN_CATALOG.replacen(
        "(service: \"s3\", task: \"account_block_public\"",
        "(service: \"s3\", task: \"bucket_block_public\"",
        1,
    );
    assert!(problems_of(&still_there).contains("retired s3/bucket_block_public: the template still exists"));
    let nowhere = BUILTIN_CATALOG.replacen(
        "moved_to: Some(\"account/s3_block_public_access\")",
        "moved_to: Some(\"account/nowhere\")",
        1,
    );
    assert!(problems_of(&nowhere).contains("moved_to \"account/nowhere\" names no template"));
}

#[test]
fn every_retired_record_has_a_live_target_or_a_reason_to_be_dropped() {
    let catalog = Catalog::builtin();
    assert!(!catalog.retired.is_empty());
    for record in &catalog.retired {
        assert!(!record.reason.trim().is_empty(), "{}/{}", record.service, record.task);
    }
    let s3: Vec<_> = catalog.retired_records("s3", "account_block_public").collect();
    assert_eq!(s3.len(), 1);
    assert_eq!(s3[0].moved_to.as_deref(), Some("account/s3_block_public_access"));
}

#[test]
fn the_domain_review_corrections_hold() {
    let catalog = Catalog::builtin();
    let owner = |service: &str, variant: Option<&str>, layer: Layer| {
        let service = catalog.service(service).unwrap();
        service.owners_for(service.effective_variant(variant)).get(layer)
    };
    assert_eq!(owner("redshift", None, Layer::EncryptionAtRest), Owner::Shared);
    assert_eq!(owner("eks", Some("self_managed"), Layer::EncryptionAtRest), Owner::Customer);
    assert_eq!(owner("eks", Some("managed_node_group"), Layer::EncryptionAtRest), Owner::Customer);
    assert_eq!(owner("eks", Some("fargate"), Layer::EncryptionAtRest), Owner::Shared);
    assert_eq!(owner("ebs", None, Layer::EncryptionInTransit), Owner::Shared);
    assert_eq!(owner("cloudfront", None, Layer::EncryptionAtRest), Owner::Aws);
    assert_eq!(owner("vpc", None, Layer::Runtime), Owner::NotApplicable);
    assert_eq!(owner("managed_services", None, Layer::GuestOs), Owner::Shared);

    let applies = |service: &str, task: &str, variant: &str| {
        let service = catalog.service(service).unwrap();
        let template = service.tasks.iter().find(|t| t.id == task).unwrap();
        whoowns::catalog::Service::template_applies(template, service.variant(variant))
    };
    // Lambda.2 checks the Runtime setting, which image functions do not have.
    assert!(applies("lambda", "supported_runtime", "zip_auto_updates"));
    assert!(!applies("lambda", "supported_runtime", "container_image"));
    // Managed updates are only a task where they are off.
    assert!(!applies("elastic_beanstalk", "managed_updates", "managed_updates_on"));
    assert!(applies("elastic_beanstalk", "managed_updates", "managed_updates_off"));
    assert!(applies("eks", "encrypt_node_volumes", "self_managed"));
    assert!(!applies("eks", "encrypt_node_volumes", "fargate"));

    let controls = |service: &str, task: &str| {
        catalog.service(service).unwrap().tasks.iter().find(|t| t.id == task).unwrap().controls.clone()
    };
    assert!(!controls("lambda", "vpc_multi_az").contains(&"Lambda.3".to_owned()));
    assert!(catalog.service("waf").unwrap().tasks.iter().all(|t| t.id != "retire_classic"));
    // CIS 2.2.1 / 5.1.1 sit on EC2.7 (the account default), not on the EC2.3 tasks.
    let ebs_default =
        catalog.account_tasks.iter().find(|t| t.controls.contains(&"EC2.7".to_owned())).unwrap();
    assert_eq!(
        (ebs_default.cis_v3.as_slice(), ebs_default.cis_v5.as_slice()),
        (&["2.2.1".to_owned()][..], &["5.1.1".to_owned()][..])
    );
    for service in &catalog.services {
        for task in service.tasks.iter().filter(|t| t.controls.contains(&"EC2.3".to_owned())) {
            assert!(task.cis_v3.is_empty() && task.cis_v5.is_empty(), "{}/{}", service.id, task.id);
        }
    }
}

#[test]
fn every_task_has_a_control_or_says_why_not() {
    let catalog = Catalog::builtin();
    let templates = catalog
        .account_tasks
        .iter()
        .map(|t| ("account", t))
        .chain(catalog.rule_tasks.iter().map(|t| ("rule", t)))
        .chain(catalog.services.iter().flat_map(|s| s.tasks.iter().map(move |t| (s.id.as_str(), t))));
    let mut without_control = 0;
    for (scope, template) in templates {
        if template.controls.is_empty() {
            without_control += 1;
            assert!(!template.basis.trim().is_empty(), "{scope}/{} has no control and no basis", template.id);
        }
    }
    assert!(without_control > 0);
}

#[test]
fn a_task_with_neither_control_nor_basis_is_refused() {
    let broken = BUILTIN_CATALOG.replacen(
        "            basis: \"no Security Hub control for the update mode; Lambda developer guide, runtime management: in Manual mode the customer applies runtime versions\",\n",
        "",
        1,
    );
    assert!(broken != BUILTIN_CATALOG, "the replacement found nothing to replace");
    assert!(
        problems_of(&broken)
            .contains("task \"apply_runtime_patches\": no Security Hub control and no `basis`")
    );
}
