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
        // Actors.
        "internet",
        "users",
        "on_premises",
    ];
    for id in required {
        assert!(catalog.service(id).is_some(), "missing service {id}");
    }
    let aws_services = catalog.services.iter().filter(|s| !s.is_actor()).count();
    assert!(aws_services >= 40, "only {aws_services} AWS services");
}

#[test]
fn the_lower_five_layers_are_always_aws_and_actors_own_nothing() {
    for service in &Catalog::builtin().services {
        for layer in &Layer::ALL[..5] {
            let expected = if service.is_actor() { Owner::NotApplicable } else { Owner::Aws };
            assert_eq!(service.owners.get(*layer), expected, "{} {layer}", service.id);
        }
        if service.is_actor() {
            assert_eq!(service.category, Category::EXTERNAL);
            assert!(service.tasks.is_empty());
        }
    }
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
    // The catalog describes exactly the rules this build runs (validation checks it too).
    let described: Vec<&str> = catalog.rule_tasks.iter().map(|t| t.id.as_str()).collect();
    for rule in whoowns::checklist::RULE_IDS {
        assert!(described.contains(rule), "rule template {rule}");
    }
    assert_eq!(described.len(), whoowns::checklist::RULE_IDS.len());
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
    let broken = BUILTIN_CATALOG.replacen(
        "layer: guest_os,\n                    severity: high,\n                    variants: [\"container_image\"],",
        "layer: guest_os,\n                    severity: high,",
        1,
    );
    assert_ne!(broken, BUILTIN_CATALOG);
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
