//! Findings in the Open Cybersecurity Schema Framework (OCSF): Security Hub's OCSF findings
//! (Compliance Finding, `compliance.control`) and Prowler's `json-ocsf` (Detection Finding,
//! `metadata.event_code`), as a JSON array or one object per line.
//!
//! | OCSF | becomes |
//! |---|---|
//! | `metadata.product.name` `Prowler` | a Prowler finding; any other product with a `compliance.control` is a Security Hub finding |
//! | Prowler: `metadata.event_code` (v4, v5) or `metadata.product.feature.uid` (v3) | the Prowler check id |
//! | Security Hub: `compliance.control` | the control (`S3.8`, or a standard-qualified id read as in ASFF) |
//! | Prowler `status_code` `PASS` / `FAIL` / `MANUAL` | passed / failed / not evaluated |
//! | else `compliance.status_id` 1 / 3 / 2 (or `compliance.status` `Pass` / `Fail` / `Warning`) | passed / failed / not evaluated |
//! | `status_id` 3, `status` `Suppressed` (Prowler: muted) | suppressed |
//! | `status_id` 5 or 6, `status` `Archived` or `Deleted` | dropped, as archived ASFF findings are |
//! | `resources[0].uid` (else `.name`), `cloud.account.uid`, `cloud.region` (else `resources[0].region`) | resource, account, Region |
//! | `finding_info.modified_time_dt`, `time_dt`, `finding_info.modified_time`, `time` | when it was observed |
//! | `cloud.provider` other than `aws` | counted, not kept |

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::asff::Kept;
use super::control::{self, Control, ControlAliases, Scheme};
use super::{Finding, Outcome, Producer, State};
use crate::catalog::is_control_id;

/// A time given as a number (Unix seconds or milliseconds) or a string.
#[derive(Debug, Clone, PartialEq)]
pub enum TimeValue {
    /// A Unix time.
    Number(f64),
    /// An ISO 8601 time.
    Text(String),
}

impl TimeValue {
    fn normalize(&self) -> Option<String> {
        match self {
            Self::Number(value) => super::time::from_unix(*value),
            Self::Text(text) => super::time::normalize(text),
        }
    }
}

impl<'de> Deserialize<'de> for TimeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimeVisitor;
        impl Visitor<'_> for TimeVisitor {
            type Value = TimeValue;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a time, as a number or a string")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<TimeValue, E> {
                Ok(TimeValue::Number(v as f64))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<TimeValue, E> {
                Ok(TimeValue::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<TimeValue, E> {
                Ok(TimeValue::Number(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TimeValue, E> {
                Ok(TimeValue::Text(v.to_owned()))
            }
        }
        deserializer.deserialize_any(TimeVisitor)
    }
}

/// `metadata.product.feature`.
#[derive(Debug, Default, Deserialize)]
pub struct Feature {
    /// The Prowler v3 check id.
    pub uid: Option<String>,
}

/// `metadata.product`.
#[derive(Debug, Default, Deserialize)]
pub struct Product {
    /// `Prowler`, `Security Hub`...
    pub name: Option<String>,
    /// Prowler v3 put the check here.
    pub feature: Option<Feature>,
}

/// `metadata`.
#[derive(Debug, Default, Deserialize)]
pub struct Metadata {
    /// The Prowler check id (v4, v5).
    pub event_code: Option<String>,
    /// Who made the finding.
    pub product: Option<Product>,
}

/// `compliance`.
#[derive(Debug, Default, Deserialize)]
pub struct Compliance {
    /// The control.
    pub control: Option<String>,
    /// `Pass`, `Warning`, `Fail`.
    pub status: Option<String>,
    /// 1 pass, 2 warning, 3 fail.
    pub status_id: Option<i64>,
}

/// `cloud.account`.
#[derive(Debug, Default, Deserialize)]
pub struct Account {
    /// The account id.
    pub uid: Option<String>,
}

/// `cloud`.
#[derive(Debug, Default, Deserialize)]
pub struct Cloud {
    /// The account.
    pub account: Option<Account>,
    /// The Region.
    pub region: Option<String>,
    /// `aws`, `azure`, `gcp`...
    pub provider: Option<String>,
}

/// One of `resources`.
#[derive(Debug, Default, Deserialize)]
pub struct Resource {
    /// The ARN or id.
    pub uid: Option<String>,
    /// The name.
    pub name: Option<String>,
    /// The Region.
    pub region: Option<String>,
}

/// An entry of `resources`: a resource, or (as in the EventBridge events around Security Hub
/// findings, whose `resources` lists ARNs) just its id.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ResourceEntry {
    /// An ARN or id.
    Id(String),
    /// A resource object.
    Full(Resource),
}

impl From<ResourceEntry> for Resource {
    fn from(entry: ResourceEntry) -> Self {
        match entry {
            ResourceEntry::Id(uid) => Self { uid: Some(uid), ..Self::default() },
            ResourceEntry::Full(resource) => resource,
        }
    }
}

/// `finding_info`.
#[derive(Debug, Default, Deserialize)]
pub struct FindingInfo {
    /// When it last changed, ISO 8601.
    pub modified_time_dt: Option<String>,
    /// When it last changed, Unix time.
    pub modified_time: Option<TimeValue>,
}

/// The fields of an OCSF finding whoowns reads; [`super::json`] fills them.
#[derive(Debug, Default)]
pub struct OcsfRecord {
    /// `metadata`.
    pub metadata: Option<Metadata>,
    /// `compliance`.
    pub compliance: Option<Compliance>,
    /// `status`.
    pub status: Option<String>,
    /// `status_id`.
    pub status_id: Option<i64>,
    /// `status_code`.
    pub status_code: Option<String>,
    /// `time`.
    pub time: Option<TimeValue>,
    /// `time_dt`.
    pub time_dt: Option<String>,
    /// `cloud`.
    pub cloud: Option<Cloud>,
    /// The first of `resources` (or the deprecated `resource`).
    pub resource: Option<Resource>,
    /// `finding_info`.
    pub finding_info: Option<FindingInfo>,
    /// Whether any OCSF field was seen.
    pub seen: bool,
}

/// Turns `record` into findings, pushed onto `out`.
pub fn convert(record: OcsfRecord, aliases: &ControlAliases, out: &mut Vec<Finding>) -> Kept {
    let cloud = record.cloud.unwrap_or_default();
    if cloud.provider.as_deref().is_some_and(|p| !p.eq_ignore_ascii_case("aws")) {
        return Kept::OtherProvider;
    }
    let metadata = record.metadata.unwrap_or_default();
    let product = metadata.product.unwrap_or_default();
    let prowler = product.name.as_deref().is_some_and(|n| n.to_ascii_lowercase().contains("prowler"));
    let compliance = record.compliance.unwrap_or_default();
    let controls = if prowler {
        let check = metadata.event_code.or_else(|| product.feature.and_then(|f| f.uid));
        match check.filter(|c| !c.is_empty()) {
            Some(check) => vec![Control::new(Scheme::Prowler, check)],
            None => return Kept::WithoutControl,
        }
    } else {
        match compliance.control.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            Some(id) if is_control_id(id) => vec![Control::new(Scheme::SecurityHub, id)],
            Some(id) => control::from_generator_id(aliases, id)
                .unwrap_or_else(|| vec![Control::new(Scheme::Standard, id)]),
            None => return Kept::WithoutControl,
        }
    };
    let status_code = record.status_code.as_deref().map(str::to_ascii_uppercase);
    let from_compliance = || match compliance.status_id {
        Some(1) => Outcome::Passed,
        Some(3) => Outcome::Failed,
        Some(_) => Outcome::NotEvaluated,
        None => match compliance.status.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("pass" | "passed" | "success") => Outcome::Passed,
            Some("fail" | "failed" | "failure") => Outcome::Failed,
            _ => Outcome::NotEvaluated,
        },
    };
    let outcome = match status_code.as_deref() {
        Some("PASS") => Outcome::Passed,
        Some("FAIL") => Outcome::Failed,
        Some("MANUAL") => Outcome::NotEvaluated,
        _ => from_compliance(),
    };
    let status = record.status.as_deref().map(str::to_ascii_lowercase);
    let state = match (record.status_id, status.as_deref()) {
        (Some(3), _) | (None, Some("suppressed")) => State::Suppressed,
        (Some(5 | 6), _) | (None, Some("archived" | "deleted")) => State::Archived,
        _ => State::Active,
    };
    let resource = record.resource.unwrap_or_default();
    let info = record.finding_info.unwrap_or_default();
    let observed = info
        .modified_time_dt
        .as_deref()
        .and_then(super::time::normalize)
        .or_else(|| record.time_dt.as_deref().and_then(super::time::normalize))
        .or_else(|| info.modified_time.as_ref().and_then(TimeValue::normalize))
        .or_else(|| record.time.as_ref().and_then(TimeValue::normalize))
        .unwrap_or_default();
    let finding = Finding {
        producer: if prowler { Producer::Prowler } else { Producer::SecurityHub },
        scheme: Scheme::SecurityHub,
        control: String::new(),
        resource: resource.uid.filter(|u| !u.is_empty()).or(resource.name).unwrap_or_default(),
        account: cloud.account.and_then(|a| a.uid).unwrap_or_default(),
        region: cloud.region.or(resource.region).unwrap_or_default(),
        outcome,
        state,
        observed,
    };
    let count = controls.len();
    for control in controls {
        out.push(Finding { scheme: control.scheme, control: control.id, ..finding.clone() });
    }
    Kept::Findings(count)
}
