//! What the AWS names a design may carry look like: account ids on account boundaries, Region
//! codes on region boundaries, resources on nodes and the name of the evidence file. Checked when
//! a project is loaded ([`crate::io::validate`]), so the rest of whoowns can trust them.

/// The longest resource entry a node may list, in bytes (ARNs are at most 2048 characters).
pub const MAX_RESOURCE_LEN: usize = 2048;

/// Why an AWS name is not valid, in words that complete "… is not valid: ".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AwsNameError {
    /// An account id is not 12 digits.
    #[error("an AWS account id is 12 digits, e.g. \"111122223333\"")]
    AccountId,
    /// A Region code does not look like one.
    #[error("a Region code looks like \"eu-west-1\" or \"us-gov-west-1\"")]
    Region,
    /// A resource entry is empty.
    #[error("a resource is an ARN, an id or a pattern with `*`; it cannot be empty")]
    EmptyResource,
    /// A resource entry is too long.
    #[error("a resource is at most {MAX_RESOURCE_LEN} bytes")]
    LongResource,
    /// A resource entry holds a space or a control character.
    #[error("a resource holds no spaces or control characters")]
    ResourceCharacters,
    /// A resource pattern is nothing but `*`.
    #[error("a pattern of `*` alone would match every resource; name a part of it")]
    MatchesEverything,
    /// The evidence file is not a plain relative path.
    #[error(
        "the evidence file is a relative path below the project's folder ending in `.json`, \
         e.g. \"shop.evidence.json\" or \"evidence/shop.json\""
    )]
    EvidencePath,
}

/// Whether `id` is an AWS account id: exactly 12 ASCII digits.
pub fn check_account_id(id: &str) -> Result<(), AwsNameError> {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(AwsNameError::AccountId)
    }
}

/// Whether `region` looks like an AWS Region code: lowercase words joined by `-`, ending in a
/// number (`eu-west-1`, `us-gov-west-1`, `ap-southeast-4`, `cn-north-1`).
pub fn check_region(region: &str) -> Result<(), AwsNameError> {
    let parts: Vec<&str> = region.split('-').collect();
    let well_formed = region.len() <= 32
        && parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[0].len() == 2
        && parts
            .last()
            .is_some_and(|n| !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit()));
    if well_formed { Ok(()) } else { Err(AwsNameError::Region) }
}

/// Whether `entry` can be one of a node's resources: an ARN, an id or name, or a pattern with `*`.
pub fn check_resource(entry: &str) -> Result<(), AwsNameError> {
    if entry.is_empty() {
        Err(AwsNameError::EmptyResource)
    } else if entry.len() > MAX_RESOURCE_LEN {
        Err(AwsNameError::LongResource)
    } else if entry.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err(AwsNameError::ResourceCharacters)
    } else if entry.bytes().all(|b| b == b'*') {
        Err(AwsNameError::MatchesEverything)
    } else {
        Ok(())
    }
}

/// Whether `path` may name the evidence file: relative, below the project's folder (no `..`, no
/// root, no drive), ending in `.json`. A design opened from elsewhere can then never make whoowns
/// read or write a file outside its own folder.
pub fn check_evidence_path(path: &str) -> Result<(), AwsNameError> {
    let parts: Vec<&str> = path.split(['/', '\\']).collect();
    let plain = !path.starts_with(['/', '\\'])
        && !path.contains(':')
        && !path.chars().any(char::is_control)
        && path.len() <= 1024
        && parts.iter().all(|part| !part.is_empty() && *part != "." && *part != "..")
        && path.to_ascii_lowercase().ends_with(".json");
    if plain { Ok(()) } else { Err(AwsNameError::EvidencePath) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(check_account_id("111122223333").is_ok());
        assert!(check_account_id("11112222333").is_err());
        assert!(check_account_id("11112222333x").is_err());
        assert!(check_account_id("１１１１２２２２３３３３").is_err());
    }

    #[test]
    fn region_codes() {
        for ok in ["eu-west-1", "us-gov-west-1", "ap-southeast-4", "cn-north-1", "il-central-1"] {
            assert!(check_region(ok).is_ok(), "{ok}");
        }
        for bad in ["", "eu-west", "EU-west-1", "europe-west-1", "eu--1", "eu-west-100", "eu west 1"] {
            assert!(check_region(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn resources_and_patterns() {
        assert!(check_resource("arn:aws:s3:::orders-*").is_ok());
        assert!(check_resource("i-0abc").is_ok());
        assert_eq!(check_resource("**"), Err(AwsNameError::MatchesEverything));
        assert_eq!(check_resource("a b"), Err(AwsNameError::ResourceCharacters));
        assert_eq!(check_resource(""), Err(AwsNameError::EmptyResource));
        assert_eq!(check_resource(&"a".repeat(3000)), Err(AwsNameError::LongResource));
    }

    #[test]
    fn evidence_paths_stay_below_the_project() {
        assert!(check_evidence_path("shop.evidence.json").is_ok());
        assert!(check_evidence_path("evidence/shop.json").is_ok());
        for bad in ["/etc/x.json", "../x.json", "a/../x.json", "C:\\x.json", "x.ron", "", "./x.json"] {
            assert!(check_evidence_path(bad).is_err(), "{bad}");
        }
    }
}
