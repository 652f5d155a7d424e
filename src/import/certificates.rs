//! Where a property references a certificate that ACM issues in the same source (a
//! `Ref` to an `AWS::CertificateManager::Certificate`, `aws_acm_certificate.site.arn`), the
//! property reads as an ACM certificate ARN, which is what the reference returns at deployment.
//! Conditions such as "every listener certificate comes from ACM" (`Contains(..., ":acm:")`)
//! can then hold for certificates created next to the listener, and still fail for an IAM server
//! certificate or an ARN passed in as a parameter, which whoowns cannot tell apart.

use std::collections::HashSet;

use serde_json::Value;

use super::cond::KNOWN_AFTER_APPLY;
use super::source::Resource;

/// Resource types whose references return the ARN of a certificate ACM issued.
const ACM_CERTIFICATE_TYPES: &[&str] =
    &["AWS::CertificateManager::Certificate", "aws_acm_certificate", "aws_acm_certificate_validation"];

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
        let found: Vec<(Vec<String>, String)> = resource
            .refs
            .iter()
            .filter(|r| issued.contains(&*r.target))
            .map(|r| (r.keys().map(str::to_owned).collect(), r.target.to_string()))
            .collect();
        for (keys, target) in found {
            let arn = format!("arn:aws:acm:region:account:certificate/{target}");
            set_where_computed(&mut resource.props, &keys, Value::String(arn));
        }
    }
}

/// Sets the value at `keys` when it is computed (an intrinsic function, a value known after
/// apply) or missing from an existing mapping; a plain value is never overwritten.
fn set_where_computed(root: &mut Value, keys: &[String], new: Value) {
    let Some((last, parents)) = keys.split_last() else { return };
    let mut here = root;
    for key in parents {
        here = match here {
            Value::Object(map) => match map.get_mut(key) {
                Some(child) => child,
                None => return,
            },
            Value::Array(items) => match key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(child) => child,
                None => return,
            },
            _ => return,
        };
    }
    let slot = match here {
        Value::Object(map) => map.entry(last.clone()).or_insert(Value::Null),
        Value::Array(items) => match last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
            Some(slot) => slot,
            None => return,
        },
        _ => return,
    };
    let computed = match slot {
        Value::Null | Value::Object(_) => true,
        Value::String(text) => text == KNOWN_AFTER_APPLY,
        _ => false,
    };
    if computed {
        *slot = new;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_computed_or_missing_values_are_set() {
        let mut props = json!({
            "Certificates": [{"CertificateArn": {"Ref": "Cert"}}, {"CertificateArn": "arn:aws:iam::1:server-certificate/x"}],
            "certificate_arn": KNOWN_AFTER_APPLY,
        });
        let arn = || Value::String("arn:aws:acm:x".to_owned());
        for path in [
            &["Certificates", "0", "CertificateArn"][..],
            &["Certificates", "1", "CertificateArn"],
            &["certificate_arn"],
            &["new"],
            &["Missing", "x"],
            &["Certificates", "7"],
        ] {
            let keys: Vec<String> = path.iter().map(|k| (*k).to_owned()).collect();
            set_where_computed(&mut props, &keys, arn());
        }
        assert_eq!(
            props,
            json!({
                "Certificates": [{"CertificateArn": "arn:aws:acm:x"}, {"CertificateArn": "arn:aws:iam::1:server-certificate/x"}],
                "certificate_arn": "arn:aws:acm:x",
                "new": "arn:aws:acm:x",
            })
        );
    }
}
