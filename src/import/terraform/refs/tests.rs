use serde_json::json;

use super::*;

fn index_of(addresses: &[&str]) -> (ResourceIndex, Vec<Arc<str>>) {
    let mut index = ResourceIndex::default();
    let names: Vec<Arc<str>> = addresses.iter().map(|a| Arc::from(*a)).collect();
    for name in &names {
        index.insert(&address::parse(name).unwrap(), name);
    }
    (index, names)
}

fn references(config: &Config<'_>, index: &ResourceIndex, address: &str) -> Vec<(String, String)> {
    let mut out = Collected::default();
    config.references(&address::parse(address).unwrap(), index, &mut Budget::default(), &mut out);
    let mut warnings = crate::import::report::Warnings::default();
    out.finish("x", &mut warnings).iter().map(|r| (r.dotted(), r.target.to_string())).collect()
}

#[test]
fn follows_variables_and_outputs_across_modules() {
    let configuration = json!({
        "resources": [{"address": "aws_instance.web", "expressions": {
            "subnet_id": {"references": ["module.network.private_subnet_ids[0]", "module.network.private_subnet_ids"]},
            "key_name": {"references": ["aws_key_pair.ops[0].id", "aws_key_pair.ops[0]", "aws_key_pair.ops"]},
            "tags": {"constant_value": {"Name": "web"}},
        }, "depends_on": ["aws_iam_role.web"]}],
        "module_calls": {"network": {
            "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}},
            "module": {
                "outputs": {"private_subnet_ids": {"expression": {"references": ["aws_subnet.private"]}}},
                "resources": [{"address": "aws_subnet.private", "expressions": {
                    "vpc_id": {"references": ["var.vpc_id"]}
                }}],
            },
        }},
    });
    let (index, _) = index_of(&[
        "aws_instance.web",
        "aws_iam_role.web",
        "aws_key_pair.ops[0]",
        "aws_key_pair.ops[1]",
        "aws_vpc.main",
        "module.network.aws_subnet.private[0]",
        "module.network.aws_subnet.private[1]",
    ]);
    let config = Config::new(Some(&configuration));
    assert_eq!(
        references(&config, &index, "aws_instance.web"),
        vec![
            ("key_name".to_owned(), "aws_key_pair.ops[0]".to_owned()),
            ("subnet_id".to_owned(), "module.network.aws_subnet.private[0]".to_owned()),
            ("subnet_id".to_owned(), "module.network.aws_subnet.private[1]".to_owned()),
        ],
        "depends_on orders changes; it is no reference"
    );
    let subnet = references(&config, &index, "module.network.aws_subnet.private[0]");
    assert_eq!(subnet, vec![("vpc_id".to_owned(), "aws_vpc.main".to_owned())]);
}

#[test]
fn count_index_picks_the_instance_with_the_same_key() {
    let configuration = json!({"resources": [
        {"address": "aws_instance.web", "expressions": {
            "subnet_id": {"references": ["aws_subnet.private", "count.index"]},
            "vpc_security_group_ids": {"references": ["aws_security_group.web.id", "aws_security_group.web"]},
        }},
        {"address": "aws_instance.spare", "expressions": {
            "subnet_id": {"references": ["aws_subnet.private", "count.index"]},
        }},
    ]});
    let (index, _) = index_of(&[
        "aws_subnet.private[0]",
        "aws_subnet.private[1]",
        "aws_security_group.web",
        "aws_instance.web[0]",
        "aws_instance.web[1]",
        "aws_instance.spare[3]",
    ]);
    let config = Config::new(Some(&configuration));
    assert_eq!(
        references(&config, &index, "aws_instance.web[1]"),
        vec![
            ("subnet_id".to_owned(), "aws_subnet.private[1]".to_owned()),
            ("vpc_security_group_ids".to_owned(), "aws_security_group.web".to_owned()),
        ]
    );
    // element(aws_subnet.private[*].id, count.index) wraps around.
    assert_eq!(
        references(&config, &index, "aws_instance.spare[3]"),
        vec![("subnet_id".to_owned(), "aws_subnet.private[1]".to_owned())]
    );
}

fn by_value(resources: &[(&str, &str, &Value)], keys: &[&str]) -> Vec<Vec<(String, String)>> {
    let names: Vec<Arc<str>> = resources.iter().map(|(a, _, _)| Arc::from(*a)).collect();
    let valued: Vec<Valued<'_>> = resources
        .iter()
        .zip(&names)
        .map(|((_, resource_type, values), address)| Valued { address, resource_type, values })
        .collect();
    let mut out: Vec<Collected> = resources.iter().map(|_| Collected::default()).collect();
    let keys: HashSet<&str> = keys.iter().copied().collect();
    value_references(&valued, |t| t == "aws_s3_bucket", &keys, &[], &mut Budget::default(), &mut out);
    let mut warnings = crate::import::report::Warnings::default();
    out.into_iter()
        .map(|c| c.finish("x", &mut warnings).iter().map(|r| (r.dotted(), r.target.to_string())).collect())
        .collect()
}

#[test]
fn matches_ids_and_arns_preferring_owners() {
    let bucket = json!({"id": "payments", "arn": "arn:aws:s3:::payments", "bucket": "payments"});
    let versioning = json!({"id": "payments", "bucket": "payments"});
    let policy = json!({"id": "payments", "bucket": "payments", "policy": "{}"});
    let function = json!({"id": "fn", "environment": [{"variables": {
        "BUCKET": "arn:aws:s3:::payments", "NAME": "payments"}}]});
    let refs = by_value(
        &[
            ("aws_s3_bucket.p", "aws_s3_bucket", &bucket),
            ("aws_s3_bucket_versioning.p", "aws_s3_bucket_versioning", &versioning),
            ("aws_s3_bucket_policy.p", "aws_s3_bucket_policy", &policy),
            ("aws_lambda_function.f", "aws_lambda_function", &function),
        ],
        &["bucket"],
    );
    assert!(refs[0].is_empty(), "the bucket names itself: {:?}", refs[0]);
    assert_eq!(refs[1], vec![("bucket".to_owned(), "aws_s3_bucket.p".to_owned())]);
    assert_eq!(refs[2], vec![("bucket".to_owned(), "aws_s3_bucket.p".to_owned())]);
    assert_eq!(
        refs[3],
        vec![("environment.0.variables.BUCKET".to_owned(), "aws_s3_bucket.p".to_owned())],
        "an ARN matches anywhere; a plain name only where ids are held"
    );
}

#[test]
fn common_words_and_shared_ids_match_nothing() {
    let recorder = json!({"id": "default", "name": "default"});
    let vpc = json!({"id": "vpc-0a1b2c3d4e5f60718", "instance_tenancy": "default"});
    let subnet = json!({"id": "subnet-1", "vpc_id": "vpc-0a1b2c3d4e5f60718", "tenancy": "default"});
    let instance =
        json!({"id": "i-1", "network": [{"vpc": "vpc-0a1b2c3d4e5f60718"}], "queue_name": "orders"});
    let same: Vec<Value> = (0..6).map(|_| json!({"id": "orders"})).collect();
    let mut resources = vec![
        ("aws_config_configuration_recorder.r", "aws_config_configuration_recorder", &recorder),
        ("aws_vpc.v", "aws_vpc", &vpc),
        ("aws_subnet.s", "aws_subnet", &subnet),
        ("aws_instance.i", "aws_instance", &instance),
    ];
    let addresses: Vec<String> = (0..6).map(|i| format!("aws_sqs_queue.q{i}")).collect();
    for (address, values) in addresses.iter().zip(&same) {
        resources.push((address, "aws_sqs_queue", values));
    }
    let refs = by_value(&resources, &[]);
    assert!(refs[1].is_empty(), "{:?}", refs[1]);
    assert_eq!(refs[2], vec![("vpc_id".to_owned(), "aws_vpc.v".to_owned())]);
    assert_eq!(refs[3], vec![("network.0.vpc".to_owned(), "aws_vpc.v".to_owned())], "an AWS-shaped id");
    assert!(refs.iter().all(|r| r.iter().all(|(_, t)| !t.starts_with("aws_config"))), "{refs:?}");
    assert!(refs.iter().all(|r| r.iter().all(|(_, t)| !t.starts_with("aws_sqs"))), "six queues share the id");
}

#[test]
fn recognises_aws_shaped_ids() {
    for id in ["vpc-0a1b2c3d", "subnet-0123456789abcdef0", "tgw-attach-0123456789abcdef0", "sg-12345678"] {
        assert!(aws_shaped_id(id), "{id}");
    }
    for text in ["default", "documents-1", "vpc-main", "VPC-0a1b2c3d", "-0a1b2c3d"] {
        assert!(!aws_shaped_id(text), "{text}");
    }
}

#[test]
fn a_list_narrows_by_count_index_only_when_one_resource_makes_it() {
    let refs = |list: &[&str]| list.iter().map(|r| (*r).to_owned()).collect::<Vec<_>>();
    assert!(one_resource(&refs(&["aws_subnet.private"])));
    assert!(!one_resource(&refs(&["aws_subnet.private[0].id", "aws_subnet.private"])));
    assert!(one_resource(&refs(&["var.subnet_ids", "count.index"])));
    assert!(one_resource(&refs(&["module.vpc.private_subnets", "module.vpc"])));
    assert!(!one_resource(&refs(&["aws_subnet.private", "aws_subnet.public"])));
    assert!(!one_resource(&refs(&["data.aws_subnets.all.ids"])));
    assert!(!one_resource(&refs(&[])));
}

#[test]
fn module_instance_keys_narrow_references_inside_the_module() {
    let configuration = json!({"module_calls": {"test": {"module": {"resources": [
        {"address": "aws_s3_bucket_public_access_block.this", "expressions": {
            "bucket": {"references": ["aws_s3_bucket.this.id", "aws_s3_bucket.this"]}}},
    ]}}}});
    let (index, _) = index_of(&[
        "module.test[\"a\"].aws_s3_bucket.this",
        "module.test[\"b\"].aws_s3_bucket.this",
        "module.test[\"a\"].aws_s3_bucket_public_access_block.this",
        "module.test[\"b\"].aws_s3_bucket_public_access_block.this",
    ]);
    let config = Config::new(Some(&configuration));
    assert_eq!(
        references(&config, &index, "module.test[\"b\"].aws_s3_bucket_public_access_block.this"),
        vec![("bucket".to_owned(), "module.test[\"b\"].aws_s3_bucket.this".to_owned())]
    );
}

#[test]
fn a_configured_reference_wins_over_a_value_match() {
    let values =
        [json!({"id": "shared"}), json!({"id": "shared"}), json!({"bucket": "shared", "other": "shared"})];
    let addresses: Vec<Arc<str>> =
        ["aws_s3_bucket.a", "aws_s3_bucket.b", "aws_s3_bucket_policy.p"].map(Arc::from).to_vec();
    let types = ["aws_s3_bucket", "aws_s3_bucket", "aws_s3_bucket_policy"];
    let valued: Vec<Valued<'_>> = (0..3)
        .map(|i| Valued { address: &addresses[i], resource_type: types[i], values: &values[i] })
        .collect();
    let keys: HashSet<&str> = ["bucket", "other"].into_iter().collect();
    let linked = [HashSet::new(), HashSet::new(), HashSet::from(["bucket".to_owned()])];
    let mut out: Vec<Collected> = (0..3).map(|_| Collected::default()).collect();
    value_references(&valued, |t| t == "aws_s3_bucket", &keys, &linked, &mut Budget::default(), &mut out);
    let mut warnings = crate::import::report::Warnings::default();
    let found: Vec<String> = out
        .pop()
        .unwrap()
        .finish("x", &mut warnings)
        .iter()
        .map(crate::import::source::Reference::dotted)
        .collect();
    assert_eq!(
        found,
        vec!["other", "other"],
        "the configuration linked `bucket`; value matching reads the rest"
    );
}
