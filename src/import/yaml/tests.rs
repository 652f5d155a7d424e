//! Tests of the YAML reader.

use serde_json::json;

use super::*;

fn value(text: &str) -> Value {
    parse("t.yaml", text).unwrap().value
}

#[test]
fn short_form_tags_become_long_form() {
    let text = "\
A: !Ref Bucket
B: !GetAtt Table.StreamArn
C: !Sub '${Fn}-x'
D: !Join [',', [a, !Ref P]]
E: !If [Cond, !Ref X, !Ref 'AWS::NoValue']
F: !GetAZs ''
G: !Select [0, !GetAZs '']
H: !Equals [!Ref Env, prod]
I: !Not [!Condition IsProd]
J: !FindInMap [M, !Ref 'AWS::Region', Ami]
K: !Base64 |
  #!/bin/bash
L: !Cidr [10.0.0.0/16, 4, 8]
M: !ImportValue shared-vpc
N: !Split [',', 'a,b']
O: !And [!Condition A, !Or [!Condition B, !Condition C]]
P: !GetAtt [Queue, Arn]
";
    assert_eq!(
        value(text),
        json!({
            "A": {"Ref": "Bucket"},
            "B": {"Fn::GetAtt": ["Table", "StreamArn"]},
            "C": {"Fn::Sub": "${Fn}-x"},
            "D": {"Fn::Join": [",", ["a", {"Ref": "P"}]]},
            "E": {"Fn::If": ["Cond", {"Ref": "X"}, {"Ref": "AWS::NoValue"}]},
            "F": {"Fn::GetAZs": ""},
            "G": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
            "H": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
            "I": {"Fn::Not": [{"Condition": "IsProd"}]},
            "J": {"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "Ami"]},
            "K": {"Fn::Base64": "#!/bin/bash\n"},
            "L": {"Fn::Cidr": ["10.0.0.0/16", 4, 8]},
            "M": {"Fn::ImportValue": "shared-vpc"},
            "N": {"Fn::Split": [",", "a,b"]},
            "O": {"Fn::And": [{"Condition": "A"}, {"Fn::Or": [{"Condition": "B"}, {"Condition": "C"}]}]},
            "P": {"Fn::GetAtt": ["Queue", "Arn"]},
        })
    );
}

#[test]
fn core_schema_scalars() {
    let text = "a: 1\nb: -2\nc: 1.5\nd: true\ne: ~\nf: '1'\ng: 2010-09-09\nh: 10.0.0.0/16\ni: !!str 80\nj: 0x1F\nk: .inf\nl: 054676820928\nm: 0\n";
    assert_eq!(
        value(text),
        json!({"a": 1, "b": -2, "c": 1.5, "d": true, "e": null, "f": "1", "g": "2010-09-09",
               "h": "10.0.0.0/16", "i": "80", "j": 31, "k": ".inf", "l": "054676820928", "m": 0})
    );
}

#[test]
fn unknown_tags_warn_and_keep_the_value() {
    let parsed = parse("t.yaml", "a: !Frobnicate x\nb: !Weird [1]\n").unwrap();
    assert_eq!(parsed.value, json!({"a": "x", "b": [1]}));
    let warnings = parsed.warnings.kept();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].starts_with("1:4: unknown tag !Frobnicate"), "{warnings:?}");
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let error = parse("broken.yaml", "a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
    let text = error.to_string();
    assert!(text.starts_with("broken.yaml:"), "{text}");
    let ImportError::Syntax { location, .. } = error else { panic!("{text}") };
    assert!(location.line >= 2, "{text}");
}

#[test]
fn anchors_aliases_and_duplicates() {
    let parsed = parse("t.yaml", "a: &x {k: v}\nb: *x\nb: 2\n").unwrap();
    assert_eq!(parsed.value, json!({"a": {"k": "v"}, "b": 2}));
    assert!(
        parsed.warnings.kept().iter().any(|w| w.contains("duplicate key \"b\"")),
        "{:?}",
        parsed.warnings
    );
}

#[test]
fn alias_bombs_and_deep_nesting_are_refused() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    assert!(matches!(parse("bomb.yaml", &bomb), Err(ImportError::Syntax { .. })));
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let error = parse("deep.yaml", &deep).unwrap_err().to_string();
    assert!(error.contains("deeper than 128"), "{error}");
    // Deeper still, the scanner stops first; either way it is a syntax error, not a crash.
    let deeper = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    assert!(matches!(parse("deeper.yaml", &deeper), Err(ImportError::Syntax { .. })));
    let mut block = String::new();
    for depth in 0..300 {
        block.push_str(&format!("{}k{depth}:\n", " ".repeat(depth)));
    }
    assert!(parse("block.yaml", &block).unwrap_err().to_string().contains("deeper than 128"));
}

#[test]
fn only_the_first_document_is_read() {
    let parsed = parse("t.yaml", "---\na: 1\n---\nb: 2\n").unwrap();
    assert_eq!(parsed.value, json!({"a": 1}));
    assert_eq!(parsed.warnings.kept().len(), 1);
}

#[test]
fn anchored_copies_count_without_any_alias() {
    // Every level anchors a sequence holding the level below: keeping a copy of each anchored
    // value copies the whole document once per level. No alias, yet 20 copies of 300,000
    // values is over the limit.
    let depth = 20;
    let mut text = String::new();
    for level in 0..depth {
        text.push_str(&format!("&a{level} ["));
    }
    text.push_str(&vec!["x"; 300_000].join(", "));
    text.push_str(&"]".repeat(depth));
    let error = parse("anchors.yaml", &text).unwrap_err().to_string();
    assert!(error.contains("more than 4000000 values"), "{error}");
    // A document with a few anchors is fine.
    assert!(parse("ok.yaml", "a: &x [1, 2]\nb: &y {k: *x}\nc: *y\n").is_ok());
}

#[test]
fn warnings_are_bounded() {
    let text: String = (0..5_000).map(|_| "a: 1\n").collect();
    let parsed = parse("dupes.yaml", &text).unwrap();
    let (kept, omitted) = parsed.warnings.finish();
    assert_eq!(kept.len(), crate::import::report::MAX_WARNINGS);
    assert_eq!(kept.len() + omitted, 4_999);
}

#[test]
fn complex_keys_stay_small_however_deep() {
    // Found by fuzzing: each level of `? ` keys once doubled the escaped text of the one below.
    let text = format!("{}fun", " ? ".repeat(60));
    let parsed = parse("keys.yaml", &text).unwrap();
    assert!(parsed.value.to_string().len() < 200, "{}", parsed.value);
    let parsed = parse("scalars.yaml", "5: a\ntrue: b\n~: c\n? [x]\n: d\n").unwrap();
    let keys: Vec<&str> = parsed.value.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["(list key at 4:3)", "5", "true", "~"]);
}

#[test]
fn merge_keys_merge_under_the_mapping_s_own_keys() {
    let text = "\
base: &base {Status: Enabled, MfaDelete: Disabled}
more: &more {Status: Suspended, Extra: 1}
one:
  <<: *base
  MfaDelete: Enabled
list:
  MfaDelete: Enabled
  <<: [*base, *more]
quoted:
  '<<': *base
";
    let parsed = parse("t.yaml", text).unwrap();
    assert_eq!(parsed.value["one"], json!({"Status": "Enabled", "MfaDelete": "Enabled"}));
    assert_eq!(parsed.value["list"], json!({"Status": "Enabled", "MfaDelete": "Enabled", "Extra": 1}));
    assert_eq!(parsed.value["quoted"], json!({"<<": {"Status": "Enabled", "MfaDelete": "Disabled"}}));
    assert!(parsed.warnings.kept().is_empty(), "{:?}", parsed.warnings);
    let parsed = parse("t.yaml", "a: {<<: [1]}\n").unwrap();
    assert_eq!(parsed.value["a"], json!({}));
    assert!(parsed.warnings.kept()[0].starts_with("1:9: a merge key"), "{:?}", parsed.warnings);
}

#[test]
fn long_text_aliased_many_times_is_refused_before_it_is_copied() {
    // 8 MB aliased 4,000 times would be 32 GB; the budget stops it after a few copies.
    let mut text = format!("a: &a {}\nb:\n", "x".repeat(8 << 20));
    for _ in 0..4_000 {
        text.push_str("  - *a\n");
    }
    let error = parse("long.yaml", &text).unwrap_err().to_string();
    assert!(error.contains("more than 128 MiB of text once aliases are expanded"), "{error}");
    assert!(error.starts_with("long.yaml:"), "{error}");
    // What a document costs is what it holds.
    let parsed = parse("ok.yaml", "a: &a [xy, z]\nb: *a\n").unwrap();
    assert_eq!(parsed.cost, Cost { values: 12, bytes: 11 });
    assert_eq!(cost_of(&parsed.value), Cost { values: 7, bytes: 8 });
}

#[test]
fn flow_collections_and_quoted_text_may_continue_at_their_key_s_column() {
    // As PyYAML and CloudFormation read them; YAML 1.2 wants them indented further.
    let text = r#"Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      Description: "a long
      description"
      KeyPolicy: {
        "Statement": [
          {"Effect": "Allow",
           "Action": ["kms:*"
           ]}
        ]
      }
      Other: 'single
      quoted'
  Policy:
    Properties:
      Schema: {"a": 1,
      "b": [2,
    3]}
"#;
    let parsed = parse("t.yaml", text).unwrap();
    let props = &parsed.value["Resources"]["Key"]["Properties"];
    assert_eq!(props["Description"], "a long description");
    assert_eq!(props["KeyPolicy"], json!({"Statement": [{"Effect": "Allow", "Action": ["kms:*"]}]}));
    assert_eq!(props["Other"], "single quoted");
    assert_eq!(parsed.value["Resources"]["Policy"]["Properties"]["Schema"], json!({"a": 1, "b": [2, 3]}));
    // Columns in messages are the file's, not the padded text's.
    let parsed = parse("t.yaml", "a: [\n!Weird 1\n]\nb: 1\nb: 2\n").unwrap();
    let warnings = parsed.warnings.kept();
    assert!(warnings[0].starts_with("2:1: unknown tag !Weird"), "{warnings:?}");
    // A real indentation error stays one, at its place.
    let error = parse("t.yaml", "a:\n  b: 1\n c: 2\n").unwrap_err().to_string();
    assert!(error.starts_with("t.yaml:3:"), "{error}");
    let error = parse("t.yaml", "a: [1,\n2\nb: 3\n").unwrap_err().to_string();
    assert!(error.starts_with("t.yaml:"), "{error}");
}

#[test]
fn an_empty_text_is_one_null_and_counted_as_one() {
    // Found by the import_yaml fuzz target: the null of an empty text was held but not counted.
    for text in ["", "   \n", "# only a comment\n", "---\n"] {
        let parsed = parse("empty.yaml", text).unwrap();
        assert_eq!(parsed.value, Value::Null, "{text:?}");
        assert_eq!(parsed.cost.values, cost_of(&parsed.value).values, "{text:?}");
    }
}

#[test]
fn what_tags_add_is_counted() {
    // Found by the import_yaml fuzz target: the `Fn::` keys tags add were held but not counted.
    let text = "A: !Ref X\nB: !GetAtt Db.Endpoint.Address\nC: !Select [0, !Cidr [!Ref Block, 4, 8]]\nD: !Sub '${X}'\n";
    let parsed = parse("tags.yaml", text).unwrap();
    let held = cost_of(&parsed.value);
    assert!(
        held.values <= parsed.cost.values && held.bytes <= parsed.cost.bytes,
        "held {held:?}, counted {:?}",
        parsed.cost
    );
}
