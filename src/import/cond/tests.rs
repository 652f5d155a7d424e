use serde_json::json;

use super::*;

fn s(text: &str) -> String {
    text.to_owned()
}

#[test]
fn paths_walk_lists_and_brackets() {
    let props = json!({
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}
        ]},
        "Parameters": {"rds.force_ssl": 1},
    });
    let path =
        "BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.SSEAlgorithm";
    assert_eq!(plain_values_at(&props, path), vec![&json!("aws:kms")]);
    assert_eq!(plain_values_at(&props, "Parameters.[rds.force_ssl]"), vec![&json!(1)]);
    assert_eq!(segments("a.[b.c].d"), vec!["a", "b.c", "d"]);
}

#[test]
fn conditions_hold_and_give_evidence() {
    let props = json!({
        "MultiAZ": true, "DeletionProtection": "true", "BackupRetentionPeriod": 7,
        "Scheme": "Internet-Facing", "Subnets": ["a", "b"],
        "Attributes": [{"Key": "deletion_protection.enabled", "Value": "true"}],
        "PubliclyAccessible": {"Fn::If": ["C", true, false]},
    });
    let resilient = Cond::All(vec![
        Cond::True(s("MultiAZ")),
        Cond::True(s("DeletionProtection")),
        Cond::AtLeast(s("BackupRetentionPeriod"), 1.0),
    ]);
    assert_eq!(
        resilient.evidence(&props),
        Some(vec![s("MultiAZ"), s("DeletionProtection"), s("BackupRetentionPeriod")])
    );
    assert!(Cond::Equals(s("Scheme"), s("internet-facing")).surely(&props));
    assert!(Cond::CountAtLeast(s("Subnets"), 2).surely(&props));
    assert!(!Cond::CountAtLeast(s("Subnets"), 3).surely(&props));
    let attribute = vec![(s("Key"), s("deletion_protection.enabled")), (s("Value"), s("true"))];
    assert!(Cond::Element(s("Attributes"), attribute).surely(&props));
    // Either branch of an Fn::If may be taken: neither surely true nor surely false, both maybe.
    for cond in [Cond::True(s("PubliclyAccessible")), Cond::False(s("PubliclyAccessible"))] {
        assert!(!cond.surely(&props), "{cond:?}");
        assert!(cond.maybe(&props), "{cond:?}");
    }
    assert!(Cond::Not(Box::new(Cond::Equals(s("Scheme"), s("internal")))).surely(&props));
    assert!(Cond::Absent(s("Nothing")).surely(&props));
    assert!(Cond::StartsWith(s("Scheme"), s("internet")).surely(&props));
    assert!(Cond::Contains(s("Scheme"), s("Facing")).surely(&props));
    assert!(!Cond::Contains(s("Scheme"), s("facing")).surely(&props));
}

#[test]
fn surely_means_every_value() {
    let props = json!({
        "Ebs": [{"Encrypted": true}, {"Encrypted": false}],
        "Types": ["api", "audit"],
        "Providers": [{"CapacityProvider": "FARGATE"}, {"CapacityProvider": "mine"}],
    });
    let encrypted = Cond::True(s("Ebs.Encrypted"));
    assert!(!encrypted.surely(&props), "one volume out of two is not enough");
    assert!(encrypted.maybe(&props));
    assert!(Cond::Has(s("Types"), s("audit")).surely(&props));
    assert!(!Cond::Equals(s("Types"), s("audit")).surely(&props));
    let fargate =
        Cond::Every(s("Providers"), Box::new(Cond::OneOf(s("CapacityProvider"), vec![s("FARGATE")])));
    assert!(!fargate.maybe(&props));
    assert!(!Cond::Every(s("Nothing"), Box::new(Cond::Always)).maybe(&props), "no elements");
    let none_public = Cond::Not(Box::new(Cond::Equals(s("Types"), s("api"))));
    assert!(!none_public.surely(&props), "not surely: one value is api");
}

#[test]
fn values_the_source_does_not_give_are_not_set() {
    let props = json!({
        "NoValue": {"Ref": "AWS::NoValue"},
        "Either": {"Fn::If": ["C", "aws:kms", {"Ref": "AWS::NoValue"}]},
        "Nested": {"Fn::If": ["C", {"Enabled": true}, {"Ref": "AWS::NoValue"}]},
        "Unknown": {UNKNOWN: "KeyParameter"},
        "Key": {"Fn::GetAtt": ["Key", "Arn"]},
        "Later": KNOWN_AFTER_APPLY,
        "Null": null,
    });
    for path in ["NoValue", "Either", "Unknown", "Null", "Nested.Enabled"] {
        assert!(!Cond::Present(s(path)).surely(&props), "{path}");
    }
    assert!(Cond::Present(s("Key")).surely(&props), "a reference is set");
    assert!(Cond::Present(s("Later")).surely(&props), "known after apply is set");
    assert!(!Cond::Equals(s("Key"), s("x")).surely(&props), "but its value is not known");
    assert!(Cond::Equals(s("Key"), s("x")).maybe(&props));
    assert!(!Cond::Equals(s("Either"), s("aws:kms")).surely(&props));
    assert!(Cond::Equals(s("Either"), s("aws:kms")).maybe(&props));
    assert!(!Cond::True(s("Nested.Enabled")).surely(&props), "the other branch leaves it unset");
    assert!(Cond::True(s("Nested.Enabled")).maybe(&props));
    assert!(Cond::Absent(s("NoValue")).surely(&props));
    assert!(!Cond::Absent(s("Unknown")).surely(&props), "an unknown value may be set");
    assert!(Cond::Absent(s("Unknown")).maybe(&props));
    assert!(!Cond::True(s("Unknown")).surely(&props));
    assert!(Cond::True(s("Unknown")).maybe(&props));
    let both = json!({"Flag": {"Fn::If": ["C", true, "true"]}});
    assert!(Cond::True(s("Flag")).surely(&both), "both branches are true");
}

#[test]
fn policies_held_as_text_are_read_as_json() {
    let deny = Cond::Json(
        s("policy"),
        Box::new(Cond::Element(
            s("Statement"),
            vec![(s("Effect"), s("Deny")), (s("Condition.Bool.aws:SecureTransport"), s("false"))],
        )),
    );
    let good = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject"},
        {"Effect": "Deny", "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}"#;
    assert!(deny.surely(&json!({"policy": good})));
    // The words alone are not enough: an Allow that mentions aws:SecureTransport and Deny.
    let words = r#"{"Statement": [{"Sid": "Deny", "Effect": "Allow",
        "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}"#;
    assert!(!deny.surely(&json!({"policy": words})));
    assert!(!deny.surely(&json!({"policy": "not json"})));
    assert!(!deny.surely(&json!({})));
    let single = json!({"policy": {"Statement": {"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": false}}}}});
    assert!(deny.surely(&single), "a statement on its own, already a mapping");
}

#[test]
fn some_statement_covers_what_it_must() {
    let covers = Cond::Exists(
        s("Statement"),
        Box::new(Cond::All(vec![
            Cond::Equals(s("Effect"), s("Deny")),
            Cond::EndsWith(s("Resource"), s("/*")),
        ])),
    );
    let policy = |resource: serde_json::Value| json!({"Statement": [{"Effect": "Allow", "Resource": "*/*"}, {"Effect": "Deny", "Resource": resource}]});
    for objects in [
        json!("arn:aws:s3:::b/*"),
        json!(["arn:aws:s3:::b", "arn:aws:s3:::b/*"]),
        json!({"Fn::Sub": "${Bucket.Arn}/*"}),
        json!({"Fn::Sub": ["arn:aws:s3:::${B}/*", {"B": {"Ref": "Bucket"}}]}),
        json!({"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket", "Arn"]}, "/*"]]}),
    ] {
        assert!(covers.surely(&policy(objects.clone())), "{objects}");
    }
    for bucket_only in [
        json!("arn:aws:s3:::b"),
        json!({"Fn::GetAtt": ["Bucket", "Arn"]}),
        json!({"Fn::Join": ["", ["arn:aws:s3:::", {"Ref": "Bucket"}]]}),
        json!({"Fn::If": ["C", "arn:aws:s3:::b/*", "arn:aws:s3:::b"]}),
        json!("(known after apply)"),
    ] {
        assert!(!covers.surely(&policy(bucket_only.clone())), "{bucket_only}");
    }
    // Maybe: a branch or an unknown value may.
    assert!(covers.maybe(&policy(json!({"Fn::If": ["C", "arn:aws:s3:::b/*", "x"]}))));
    assert!(!covers.surely(&json!({"Statement": []})));
}
