//! Where a property references a certificate that ACM issues in the same source (a
//! `Ref` to an `AWS::CertificateManager::Certificate`, `aws_acm_certificate.site.arn`), the
//! property reads as an ACM certificate ARN, which is what the reference returns at deployment.
//! Conditions such as "every listener certificate comes from ACM" (`Contains(..., ":acm:")`)
//! can then hold for certificates created next to the listener, and still fail for an IAM server
//! certificate or an ARN passed in as a parameter, which whoowns cannot tell apart.
//!
//! A value is replaced only where it is the reference itself: a `Ref`, `GetAtt` or `Sub` naming
//! an issued certificate (in either branch of an `Fn::If`, whose other branch is kept), or, for
//! Terraform, a value known after apply or missing where every reference the expression makes is
//! to an issued certificate. An `Fn::Join` stays computed. A Terraform conditional between an
//! issued certificate and a variable holding some other ARN is the one case read too kindly:
//! a variable that holds a literal leaves no reference to see.

use std::collections::HashSet;

use serde_json::Value;

use super::cond::KNOWN_AFTER_APPLY;
use super::source::{MAX_PATH_KEYS, Reference, Resource};

/// Resource types whose references return the ARN of a certificate ACM issued.
const ACM_CERTIFICATE_TYPES: &[&str] =
    &["AWS::CertificateManager::Certificate", "aws_acm_certificate", "aws_acm_certificate_validation"];

/// The deepest `Fn::If` nesting followed.
const MAX_IF_DEPTH: usize = 8;

/// Replaces references to ACM certificates of the source by an ACM ARN naming them.
pub(super) fn resolve_acm_references(resources: &mut [Resource]) {
    let issued: HashSet<String> = resources
        .iter()
        .filter(|r| ACM_CERTIFICATE_TYPES.contains(&r.resource_type.as_str()))
        .map(|r| r.id.clone())
        .collect();
    if issued.is_empty() {
        return;
    }
    for resource in resources {
        let path_of = |r: &Reference| r.keys().map(str::to_owned).collect::<Vec<_>>();
        // Places where something other than an issued certificate is referenced too.
        let mixed: HashSet<Vec<String>> =
            resource.refs.iter().filter(|r| !issued.contains(&*r.target)).map(path_of).collect();
        let found: Vec<(Vec<String>, String)> = resource
            .refs
            .iter()
            .filter(|r| issued.contains(&*r.target))
            .map(|r| (path_of(r), r.target.to_string()))
            .filter(|(keys, _)| keys.len() < MAX_PATH_KEYS)
            .collect();
        for (keys, target) in found {
            let Some(slot) = slot_at(&mut resource.props, &keys) else { continue };
            if !replace_references(slot, &issued, 0) && !mixed.contains(&keys) {
                let unknown = match slot {
                    Value::Null => true,
                    Value::String(text) => text == KNOWN_AFTER_APPLY,
                    _ => false,
                };
                if unknown {
                    *slot = Value::String(acm_arn(&target));
                }
            }
        }
    }
}

/// The ARN a reference to the issued certificate `id` stands for.
fn acm_arn(id: &str) -> String {
    format!("arn:aws:acm:region:account:certificate/{id}")
}

/// Replaces `value` (or a branch of it, for `Fn::If`) when it is a `Ref`, `GetAtt` or `Sub`
/// naming only an issued certificate. Returns whether it replaced anything.
fn replace_references(value: &mut Value, issued: &HashSet<String>, depth: usize) -> bool {
    let Value::Object(map) = value else { return false };
    if map.len() != 1 || depth > MAX_IF_DEPTH {
        return false;
    }
    if let Some(Value::Array(branches)) = map.get_mut("Fn::If") {
        let mut replaced = false;
        for branch in branches.iter_mut().skip(1) {
            replaced |= replace_references(branch, issued, depth + 1);
        }
        return replaced;
    }
    let named = match map.iter().next().map(|(key, argument)| (key.as_str(), argument)) {
        Some(("Ref", Value::String(name))) => Some(name.as_str()),
        Some(("Fn::GetAtt", Value::String(text))) => text.split('.').next(),
        Some(("Fn::GetAtt", Value::Array(parts))) => parts.first().and_then(Value::as_str),
        Some(("Fn::Sub", Value::String(text))) => {
            text.strip_prefix("${").and_then(|t| t.strip_suffix('}')).filter(|t| !t.contains("${"))
        }
        _ => None,
    };
    match named {
        Some(name) if issued.contains(name) => {
            *value = Value::String(acm_arn(name));
            true
        }
        _ => false,
    }
}

/// The value at `keys`, created as null when only its last key is missing from a mapping.
/// Reference paths do not name the functions they pass through (`Fn::If` branches are
/// `CertificateArn.1`), so a function's argument is stepped into on the way.
fn slot_at<'a>(root: &'a mut Value, keys: &[String]) -> Option<&'a mut Value> {
    let (last, parents) = keys.split_last()?;
    let mut here = root;
    for key in parents {
        here = match into_arguments(here, 0)? {
            Value::Object(map) => map.get_mut(key)?,
            Value::Array(items) => items.get_mut(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    match into_arguments(here, 0)? {
        Value::Object(map) => Some(map.entry(last.clone()).or_insert(Value::Null)),
        Value::Array(items) => items.get_mut(last.parse::<usize>().ok()?),
        _ => None,
    }
}

/// The argument of an intrinsic function (`{"Fn::If": [...]}` → the list), through nested ones;
/// any other value as it is.
fn into_arguments(value: &mut Value, depth: usize) -> Option<&mut Value> {
    let is_function = depth < MAX_IF_DEPTH
        && matches!(&*value, Value::Object(map) if map.len() == 1 && map.keys().all(|key| key.starts_with("Fn::")));
    if !is_function {
        return Some(value);
    }
    match value {
        Value::Object(map) => into_arguments(map.values_mut().next()?, depth + 1),
        other => Some(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_references_to_issued_certificates_are_replaced() {
        let issued: HashSet<String> = ["Cert".to_owned()].into();
        let cases = [
            (json!({"Ref": "Cert"}), json!("arn:aws:acm:region:account:certificate/Cert")),
            (json!({"Fn::GetAtt": "Cert.Arn"}), json!("arn:aws:acm:region:account:certificate/Cert")),
            (json!({"Fn::Sub": "${Cert}"}), json!("arn:aws:acm:region:account:certificate/Cert")),
            (
                json!({"Fn::If": ["C", {"Ref": "Cert"}, "arn:aws:iam::1:server-certificate/x"]}),
                json!({"Fn::If": ["C", "arn:aws:acm:region:account:certificate/Cert", "arn:aws:iam::1:server-certificate/x"]}),
            ),
            (json!({"Ref": "Other"}), json!({"Ref": "Other"})),
            (json!({"Fn::Sub": "${Cert}-${Other}"}), json!({"Fn::Sub": "${Cert}-${Other}"})),
            (json!({"Fn::Join": ["", [{"Ref": "Cert"}]]}), json!({"Fn::Join": ["", [{"Ref": "Cert"}]]})),
        ];
        for (mut value, expected) in cases {
            replace_references(&mut value, &issued, 0);
            assert_eq!(value, expected);
        }
    }

    #[test]
    fn slots_are_found_or_made_only_at_their_last_key() {
        let mut props = json!({"Certificates": [{"CertificateArn": 1}], "a": 2});
        let keys = |path: &[&str]| path.iter().map(|k| (*k).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            slot_at(&mut props, &keys(&["Certificates", "0", "CertificateArn"])).cloned(),
            Some(json!(1))
        );
        assert_eq!(slot_at(&mut props, &keys(&["new"])).cloned(), Some(Value::Null));
        assert!(slot_at(&mut props, &keys(&["Missing", "x"])).is_none());
        assert!(slot_at(&mut props, &keys(&["Certificates", "7"])).is_none());
        assert!(slot_at(&mut props, &keys(&["a", "b"])).is_none());
        let mut branches = json!({"Arn": {"Fn::If": ["C", {"Ref": "Cert"}, "x"]}});
        assert_eq!(slot_at(&mut branches, &keys(&["Arn", "1"])).cloned(), Some(json!({"Ref": "Cert"})));
    }
}
