//! Terraform addresses: `module.network.aws_subnet.private[0]`, `aws_s3_bucket.logs["eu"]`,
//! and the reference strings of `terraform show -json` (`module.db.endpoint`, `var.vpc_id`).

/// One `.`-separated step of an address, with its `[index]` if any (quotes removed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Step {
    pub name: String,
    pub index: Option<String>,
}

/// A resource address split into its module path and its local part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Address {
    /// The module call names, outermost first (instance keys apart, in `module_keys`).
    pub modules: Vec<String>,
    /// The instance key of each module call (`module.app["eu"]`), `None` for a call without
    /// `count` or `for_each`.
    pub module_keys: Vec<Option<String>>,
    /// `TYPE.NAME`, `data.` included for data sources.
    pub local: String,
    /// The instance key, for resources with `count` or `for_each`.
    pub index: Option<String>,
    /// Whether it is a data source.
    pub data: bool,
}

/// Splits `text` into steps; `None` when brackets or quotes do not close.
pub(super) fn steps(text: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut name = String::new();
    let mut index: Option<String> = None;
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                out.push(Step { name: std::mem::take(&mut name), index: index.take() });
            }
            '[' => {
                let mut key = String::new();
                let mut quoted = false;
                let mut closed = false;
                while let Some(k) = chars.next() {
                    match k {
                        '"' => quoted = !quoted,
                        '\\' if quoted => key.push(chars.next()?),
                        ']' if !quoted => {
                            closed = true;
                            break;
                        }
                        other => key.push(other),
                    }
                }
                if !closed {
                    return None;
                }
                index = Some(key);
            }
            other => name.push(other),
        }
    }
    out.push(Step { name, index });
    Some(out)
}

/// Parses a resource address; `None` for anything else.
pub(super) fn parse(address: &str) -> Option<Address> {
    let steps = steps(address)?;
    let mut modules = Vec::new();
    let mut module_keys = Vec::new();
    let mut i = 0;
    while steps.get(i).is_some_and(|s| s.name == "module") {
        let call = steps.get(i + 1)?;
        modules.push(call.name.clone());
        module_keys.push(call.index.clone());
        i += 2;
    }
    let data = steps.get(i).is_some_and(|s| s.name == "data");
    if data {
        i += 1;
    }
    let resource_type = steps.get(i)?;
    let name = steps.get(i + 1)?;
    if steps.len() != i + 2 || resource_type.name.is_empty() || name.name.is_empty() {
        return None;
    }
    let local = if data {
        format!("data.{}.{}", resource_type.name, name.name)
    } else {
        format!("{}.{}", resource_type.name, name.name)
    };
    Some(Address { modules, module_keys, local, index: name.index.clone(), data })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_module_paths_indices_and_data_sources() {
        let address = parse("module.network.module.subnets[\"a.b\"].aws_subnet.private[0]").unwrap();
        assert_eq!(address.modules, vec!["network", "subnets"]);
        assert_eq!(address.module_keys, vec![None, Some("a.b".to_owned())]);
        assert_eq!(address.local, "aws_subnet.private");
        assert_eq!(address.index.as_deref(), Some("0"));
        assert!(!address.data);
        let data = parse("data.aws_ami.base").unwrap();
        assert!(data.data);
        assert_eq!(data.local, "data.aws_ami.base");
        assert_eq!(parse("aws_s3_bucket.logs[\"eu\"]").unwrap().index.as_deref(), Some("eu"));
        assert_eq!(parse("aws_s3_bucket"), None);
        assert_eq!(parse("aws_s3_bucket.a[0"), None);
        assert_eq!(parse("aws_s3_bucket.a.b"), None);
    }
}
