//! Security Hub findings in the AWS Security Finding Format (ASFF): `aws securityhub
//! get-findings` output, Prowler's `json-asff`, the findings of EventBridge events.
//!
//! What whoowns reads of a finding, and how:
//!
//! | ASFF | becomes |
//! |---|---|
//! | `Compliance.SecurityControlId` (consolidated control findings) | the control, e.g. `S3.8` |
//! | else `GeneratorId` (`aws-foundational-security-best-practices/v/1.0.0/S3.8`, `…/cis-aws-foundations-benchmark/v/1.2.0/rule/2.1`, `prowler-<check>`) | the control, through `assets/control-aliases.ron` |
//! | else `ProductFields.ControlId` or `RuleId` with `StandardsArn` / `StandardsGuideArn` | the same |
//! | `Compliance.Status` `PASSED` / `FAILED` / `WARNING`, `NOT_AVAILABLE` | passed / failed / not evaluated |
//! | `RecordState` `ARCHIVED` | dropped (after the newest finding per check and resource is chosen): Security Hub archives a finding whose resource is gone or whose control or standard was turned off |
//! | `Workflow.Status` `SUPPRESSED` (or the old `WorkflowState` `DEFERRED`) | suppressed |
//! | `Workflow.Status` `RESOLVED`, `NEW`, `NOTIFIED` | active: the compliance status decides (Security Hub reopens a resolved finding whose check fails again) |
//! | `Resources[0].Id`, `AwsAccountId`, `Region` (or `Resources[0].Region`) | resource, account, Region |
//! | `UpdatedAt` (else `LastObservedAt`, `CreatedAt`) | when it was observed |
//!
//! Findings of other products (GuardDuty, Inspector, Config rules...) name no control and are
//! counted, not kept.

use serde::Deserialize;

use super::control::{self, Control, ControlAliases, Scheme};
use super::{Finding, Outcome, Producer, State};

/// `Compliance`.
#[derive(Debug, Default, Deserialize)]
pub struct Compliance {
    /// `PASSED`, `FAILED`, `WARNING`, `NOT_AVAILABLE`.
    #[serde(rename = "Status")]
    pub status: Option<String>,
    /// The security control id, with consolidated control findings.
    #[serde(rename = "SecurityControlId")]
    pub security_control_id: Option<String>,
}

/// `Workflow`.
#[derive(Debug, Default, Deserialize)]
pub struct Workflow {
    /// `NEW`, `NOTIFIED`, `SUPPRESSED`, `RESOLVED`.
    #[serde(rename = "Status")]
    pub status: Option<String>,
}

/// The parts of `ProductFields` that name a control.
#[derive(Debug, Default, Deserialize)]
pub struct ProductFields {
    /// The standard's control id (every standard but CIS v1.2.0).
    #[serde(rename = "ControlId")]
    pub control_id: Option<String>,
    /// The CIS v1.2.0 rule number.
    #[serde(rename = "RuleId")]
    pub rule_id: Option<String>,
    /// The standard, e.g. `arn:aws:securityhub:::standards/pci-dss/v/3.2.1`.
    #[serde(rename = "StandardsArn")]
    pub standards_arn: Option<String>,
    /// The CIS v1.2.0 ruleset.
    #[serde(rename = "StandardsGuideArn")]
    pub standards_guide_arn: Option<String>,
    /// `Prowler` in Prowler's ASFF.
    #[serde(rename = "ProviderName")]
    pub provider_name: Option<String>,
}

/// One of `Resources`.
#[derive(Debug, Default, Deserialize)]
pub struct Resource {
    /// The ARN or id.
    #[serde(rename = "Id")]
    pub id: Option<String>,
    /// The Region.
    #[serde(rename = "Region")]
    pub region: Option<String>,
}

/// The fields of an ASFF finding whoowns reads; [`super::json`] fills them.
#[derive(Debug, Default)]
pub struct AsffRecord {
    /// `AwsAccountId`.
    pub account: Option<String>,
    /// `ProductArn`.
    pub product_arn: Option<String>,
    /// `GeneratorId`.
    pub generator_id: Option<String>,
    /// `Region`.
    pub region: Option<String>,
    /// `UpdatedAt`.
    pub updated_at: Option<String>,
    /// `LastObservedAt`.
    pub last_observed_at: Option<String>,
    /// `CreatedAt`.
    pub created_at: Option<String>,
    /// `RecordState`.
    pub record_state: Option<String>,
    /// `Workflow`.
    pub workflow: Option<Workflow>,
    /// `WorkflowState` (deprecated).
    pub workflow_state: Option<String>,
    /// `Compliance`.
    pub compliance: Option<Compliance>,
    /// `ProductFields`.
    pub product_fields: Option<ProductFields>,
    /// The first of `Resources`.
    pub resource: Option<Resource>,
    /// Whether any ASFF field was seen.
    pub seen: bool,
}

/// What became of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    /// It gave this many findings (a CIS v1.2.0 rule may stand for two controls), archived
    /// ones included: they are dropped after the newest finding per check and resource is
    /// chosen, so an archived finding newer than an active one retires it.
    Findings(usize),
    /// It names no control whoowns reads (another product's finding).
    WithoutControl,
    /// It is about another cloud (Prowler scans Azure, GCP, Kubernetes too).
    OtherProvider,
}

/// Turns `record` into findings, pushed onto `out`.
pub fn convert(record: AsffRecord, aliases: &ControlAliases, out: &mut Vec<Finding>) -> Kept {
    let product = record.product_arn.as_deref().unwrap_or("");
    let fields = record.product_fields.unwrap_or_default();
    let generator = record.generator_id.as_deref().unwrap_or("");
    let prowler = product.contains("/prowler/")
        || fields.provider_name.as_deref().is_some_and(|p| p.eq_ignore_ascii_case("prowler"))
        || generator.starts_with("prowler-");
    let compliance = record.compliance.unwrap_or_default();
    let consolidated = compliance
        .security_control_id
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned);
    // Other products' findings carry no control; Security Hub's own and Prowler's do.
    let from_security_hub = product.is_empty() || product.ends_with("product/aws/securityhub");
    let controls: Vec<Control> = if let Some(id) = consolidated {
        vec![Control::new(Scheme::SecurityHub, id)]
    } else if !(prowler || from_security_hub) {
        return Kept::WithoutControl;
    } else if let Some(controls) = control::from_generator_id(aliases, generator) {
        controls
    } else {
        let standard = fields.standards_arn.as_deref().or(fields.standards_guide_arn.as_deref());
        match (standard.and_then(control::standard_of_arn), fields.control_id.or(fields.rule_id)) {
            (Some(standard), Some(id)) => aliases.resolve(standard, &id),
            _ => return Kept::WithoutControl,
        }
    };
    let workflow = record.workflow.and_then(|w| w.status);
    let state = if record.record_state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("ARCHIVED")) {
        State::Archived
    } else if workflow.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("SUPPRESSED"))
        || record.workflow_state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("DEFERRED"))
    {
        State::Suppressed
    } else {
        State::Active
    };
    let outcome = match compliance.status.as_deref().map(str::to_ascii_uppercase).as_deref() {
        Some("PASSED") => Outcome::Passed,
        Some("FAILED") => Outcome::Failed,
        _ => Outcome::NotEvaluated,
    };
    let resource = record.resource.unwrap_or_default();
    let observed = [&record.updated_at, &record.last_observed_at, &record.created_at]
        .into_iter()
        .flatten()
        .find_map(|t| super::time::normalize(t))
        .unwrap_or_default();
    let finding = Finding {
        producer: if prowler { Producer::Prowler } else { Producer::SecurityHub },
        scheme: Scheme::SecurityHub,
        control: String::new(),
        resource: resource.id.unwrap_or_default(),
        account: record.account.unwrap_or_default(),
        region: record.region.or(resource.region).unwrap_or_default(),
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
