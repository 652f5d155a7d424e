//! The streaming reader of findings in JSON, ASFF and OCSF alike.
//!
//! The file is read one finding at a time and never held as a tree: each record's fields that
//! matter are deserialized straight into an [`AsffRecord`] or [`OcsfRecord`], everything else is
//! skipped as it is read, and the record becomes a [`Finding`] before the next one is read. The
//! shapes accepted, in any mix, one after the other:
//!
//! - `{"Findings": [...]}`: `aws securityhub get-findings` (pages may follow each other);
//! - `[...]`: Prowler's `json-asff` and `json-ocsf`, exports that write one array;
//! - one finding per line (JSON Lines), ASFF or OCSF;
//! - EventBridge events, `{"detail": {"findings": [...]}}`, as Security Hub sends them to S3.
//!
//! Each record is ASFF when it has ASFF fields (`AwsAccountId`, `GeneratorId`...) and OCSF when
//! it has OCSF fields (`class_uid`, `metadata`...). Errors say `line:column` and the number of
//! the finding.

use std::fmt;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::EvidenceError;
use super::asff::{self, AsffRecord};
use super::ocsf::{self, OcsfRecord};
use super::read::Sink;
use crate::io::Location;

/// Reads every finding of the JSON text `reader` into `sink`; `path` names it in errors.
pub(super) fn read<R: Read>(path: &Path, reader: R, sink: &mut Sink<'_>) -> Result<(), EvidenceError> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    loop {
        sink.current = Some(sink.records + 1);
        Top { sink: &mut *sink }.deserialize(&mut de).map_err(|error| syntax(path, sink.current, &error))?;
        if de.end().is_ok() {
            return Ok(());
        }
    }
}

/// A serde_json error as an [`EvidenceError`], its position taken out of the message.
fn syntax(path: &Path, record: Option<usize>, error: &serde_json::Error) -> EvidenceError {
    if error.is_io() {
        return EvidenceError::Io { path: path.to_owned(), cause: std::io::Error::other(error.to_string()) };
    }
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text).to_owned();
    EvidenceError::Syntax {
        path: path.to_owned(),
        location: Location { line: error.line().max(1), column: error.column().max(1) },
        record,
        message,
    }
}

/// The keys whoowns reads, ASFF and OCSF and the containers around them; any other key is
/// skipped without being copied.
#[derive(Clone, Copy, Deserialize)]
#[serde(field_identifier)]
enum Key {
    // Containers.
    #[serde(rename = "Findings")]
    Findings,
    #[serde(rename = "detail")]
    Detail,
    // ASFF.
    #[serde(rename = "SchemaVersion")]
    SchemaVersion,
    #[serde(rename = "AwsAccountId")]
    AwsAccountId,
    #[serde(rename = "ProductArn")]
    ProductArn,
    #[serde(rename = "GeneratorId")]
    GeneratorId,
    #[serde(rename = "Region")]
    Region,
    #[serde(rename = "UpdatedAt")]
    UpdatedAt,
    #[serde(rename = "LastObservedAt")]
    LastObservedAt,
    #[serde(rename = "CreatedAt")]
    CreatedAt,
    #[serde(rename = "RecordState")]
    RecordState,
    #[serde(rename = "Workflow")]
    Workflow,
    #[serde(rename = "WorkflowState")]
    WorkflowState,
    #[serde(rename = "Compliance")]
    AsffCompliance,
    #[serde(rename = "ProductFields")]
    ProductFields,
    #[serde(rename = "Resources")]
    AsffResources,
    // OCSF.
    #[serde(rename = "class_uid")]
    ClassUid,
    #[serde(rename = "metadata")]
    Metadata,
    #[serde(rename = "compliance")]
    OcsfCompliance,
    #[serde(rename = "status")]
    Status,
    #[serde(rename = "status_id")]
    StatusId,
    #[serde(rename = "status_code")]
    StatusCode,
    #[serde(rename = "time")]
    Time,
    #[serde(rename = "time_dt")]
    TimeDt,
    #[serde(rename = "cloud")]
    Cloud,
    #[serde(rename = "resources")]
    OcsfResources,
    #[serde(rename = "resource")]
    OcsfResource,
    #[serde(rename = "finding_info")]
    FindingInfo,
    #[serde(other)]
    Other,
}

/// A finding's fields, ASFF and OCSF, filled as the keys come.
#[derive(Default)]
struct Record {
    asff: AsffRecord,
    ocsf: OcsfRecord,
}

impl Record {
    /// Reads the value of `key` into its field.
    fn take<'de, A: MapAccess<'de>>(&mut self, key: Key, map: &mut A) -> Result<(), A::Error> {
        let (a, o) = (&mut self.asff, &mut self.ocsf);
        match key {
            Key::Findings | Key::Detail | Key::Other => {
                map.next_value::<IgnoredAny>()?;
            }
            Key::SchemaVersion => {
                map.next_value::<IgnoredAny>()?;
                a.seen = true;
            }
            Key::AwsAccountId => (a.account, a.seen) = (map.next_value()?, true),
            Key::ProductArn => (a.product_arn, a.seen) = (map.next_value()?, true),
            Key::GeneratorId => (a.generator_id, a.seen) = (map.next_value()?, true),
            Key::Region => (a.region, a.seen) = (map.next_value()?, true),
            Key::UpdatedAt => (a.updated_at, a.seen) = (map.next_value()?, true),
            Key::LastObservedAt => (a.last_observed_at, a.seen) = (map.next_value()?, true),
            Key::CreatedAt => (a.created_at, a.seen) = (map.next_value()?, true),
            Key::RecordState => (a.record_state, a.seen) = (map.next_value()?, true),
            Key::Workflow => (a.workflow, a.seen) = (map.next_value()?, true),
            Key::WorkflowState => (a.workflow_state, a.seen) = (map.next_value()?, true),
            Key::AsffCompliance => (a.compliance, a.seen) = (map.next_value()?, true),
            Key::ProductFields => (a.product_fields, a.seen) = (map.next_value()?, true),
            Key::AsffResources => {
                a.resource = map.next_value::<Option<First<asff::Resource>>>()?.and_then(|f| f.0);
                a.seen = true;
            }
            Key::ClassUid => {
                map.next_value::<IgnoredAny>()?;
                o.seen = true;
            }
            Key::Metadata => (o.metadata, o.seen) = (map.next_value()?, true),
            Key::OcsfCompliance => (o.compliance, o.seen) = (map.next_value()?, true),
            Key::Status => (o.status, o.seen) = (map.next_value::<Option<Text>>()?.map(|t| t.0), true),
            Key::StatusId => (o.status_id, o.seen) = (map.next_value()?, true),
            Key::StatusCode => (o.status_code, o.seen) = (map.next_value()?, true),
            Key::Time => (o.time, o.seen) = (map.next_value()?, true),
            Key::TimeDt => (o.time_dt, o.seen) = (map.next_value()?, true),
            Key::Cloud => (o.cloud, o.seen) = (map.next_value()?, true),
            Key::OcsfResources => {
                o.resource =
                    map.next_value::<Option<First<ocsf::ResourceEntry>>>()?.and_then(|f| f.0).map(Into::into);
                o.seen = true;
            }
            Key::OcsfResource => (o.resource, o.seen) = (map.next_value()?, true),
            Key::FindingInfo => (o.finding_info, o.seen) = (map.next_value()?, true),
        }
        Ok(())
    }
}

/// A string, or any other scalar written as text (OCSF `status` is a caption, but some writers
/// put a number there).
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_owned()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// The first element of a list, the others skipped as they are read.
struct First<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for First<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FirstVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for FirstVisitor<T> {
            type Value = First<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of resources")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<First<T>, A::Error> {
                let first = seq.next_element()?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(First(first))
            }
        }
        deserializer.deserialize_seq(FirstVisitor(std::marker::PhantomData))
    }
}

/// A top-level value: a list of findings, or an object (a container or one finding).
struct Top<'s, 'a> {
    sink: &'s mut Sink<'a>,
}

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("findings: `{\"Findings\": [...]}`, a list of findings, or one finding per line")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        List { sink: self.sink }.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        Object { sink: self.sink, top: true }.visit_map(map)
    }
}

/// A list of findings.
struct List<'s, 'a> {
    sink: &'s mut Sink<'a>,
}

impl<'de> DeserializeSeed<'de> for List<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for List<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of findings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            self.sink.current = Some(self.sink.records + 1);
            if seq.next_element_seed(Object { sink: &mut *self.sink, top: false })?.is_none() {
                return Ok(());
            }
        }
    }
}

/// One object: a finding, or (at the top) `{"Findings": [...]}` or an EventBridge event.
struct Object<'s, 'a> {
    sink: &'s mut Sink<'a>,
    top: bool,
}

impl<'de> DeserializeSeed<'de> for Object<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Object<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a finding (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut record = Record::default();
        let mut container = false;
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Findings if self.top => {
                    container = true;
                    map.next_value_seed(List { sink: &mut *self.sink })?;
                }
                Key::Detail if self.top => {
                    container = true;
                    map.next_value_seed(Detail { sink: &mut *self.sink })?;
                }
                key => record.take(key, &mut map)?,
            }
        }
        if container {
            return Ok(());
        }
        let format = match (record.asff.seen, record.ocsf.seen) {
            (true, _) => "asff",
            (false, true) => "ocsf",
            (false, false) => {
                return Err(de::Error::custom(
                    "neither an ASFF finding (no AwsAccountId, GeneratorId, Compliance...) nor an OCSF one \
                     (no class_uid, metadata, compliance...)",
                ));
            }
        };
        let sink = &mut *self.sink;
        let kept = if format == "asff" {
            asff::convert(record.asff, sink.aliases, &mut sink.findings)
        } else {
            ocsf::convert(record.ocsf, sink.aliases, &mut sink.findings)
        };
        sink.take(kept, format).map_err(de::Error::custom)
    }
}

/// The `detail` of an EventBridge event: its `findings`.
struct Detail<'s, 'a> {
    sink: &'s mut Sink<'a>,
}

impl<'de> DeserializeSeed<'de> for Detail<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Detail<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event detail with `findings`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<DetailKey>()? {
            match key {
                DetailKey::Findings => map.next_value_seed(List { sink: &mut *self.sink })?,
                DetailKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum DetailKey {
    Findings,
    #[serde(other)]
    Other,
}
