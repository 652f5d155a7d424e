//! Infrastructure as code and diagrams to a project: CloudFormation and SAM templates (JSON or
//! YAML, short-form tags included), `terraform show -json` output (plans and states, modules
//! included), and draw.io diagrams (the `drawio` module; see docs/drawio.md).
//!
//! - Resource types map to catalog services through data, `assets/resource-types.ron`
//!   ([`ResourceTypes`]); types the mapping does not know are reported, never dropped silently.
//! - Resources that configure another (bucket policies, listeners, security-group rules...) fold
//!   into their owner; VPCs, subnets and security groups become boundaries around the nodes
//!   placed in them; references, event sources and security-group rules become flows.
//! - Properties that settle a task (bucket encryption, IMDSv2, Multi-AZ...) mark it done, with a
//!   note saying where.
//!
//! [`import_str`] never panics: a source that cannot be parsed is an [`ImportError`] naming the
//! file and `line:column`; odd but readable input gives warnings in the [`ImportReport`] (at most
//! [`MAX_WARNINGS`], the rest counted). A source that would give more than a project may hold
//! ([`crate::model::limits`]) is an error too. Memory and time stay bounded by the size of the
//! source whatever its shape (see the `source` module for references, `yaml` for aliases).

mod assemble;
mod certificates;
mod cloudformation;
mod cond;
pub(crate) mod drawio;
mod error;
mod for_each;
mod limits;
mod nested;
mod report;
mod source;
mod terraform;
mod types;
mod yaml;

use std::path::Path;

use serde_json::Value;

use crate::catalog::Catalog;
use crate::io::{LimitedRead, Location, location_of_offset, read_limited};
use crate::model::Project;
use report::Warnings;

pub use drawio::{BUILTIN_DRAWIO_SHAPES, DrawioShapes, FrameStyle, Icon};
pub use error::ImportError;
pub use report::{ImportReport, MAX_WARNINGS, ShapeTally, SourceFormat, UnknownResource};
pub use types::{BUILTIN_RESOURCE_TYPES, ResourceTypes};

/// An imported project and what happened on the way.
#[derive(Debug)]
pub struct Imported {
    /// The project: no positions or frames (the caller lays it out), valid for `catalog`.
    pub project: Project,
    /// Unknown resources, folded ones, tasks marked done and warnings.
    pub report: ImportReport,
}

/// Imports `text`, a CloudFormation template or `terraform show -json` output; the format is
/// detected. `source_name` names the source in errors, the report and the project.
///
/// The catalog lives as long as the process (every caller passes [`Catalog::builtin`]): the
/// import derives the checklist to mark only real tasks done.
pub fn import_str(source_name: &str, text: &str, catalog: &'static Catalog) -> Result<Imported, ImportError> {
    import_with(source_name, text, catalog, ResourceTypes::builtin()?)
}

/// [`import_str`] with another resource-type mapping.
pub fn import_with(
    source_name: &str,
    text: &str,
    catalog: &'static Catalog,
    types: &ResourceTypes,
) -> Result<Imported, ImportError> {
    import_source(source_name, text, None, catalog, types)
}

/// Imports `text`; `file`, when the text was read from one, is where nested stacks' local
/// templates are looked for.
fn import_source(
    source_name: &str,
    text: &str,
    file: Option<&Path>,
    catalog: &'static Catalog,
    types: &ResourceTypes,
) -> Result<Imported, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut doc, mut parse_warnings) = parse_document(source_name, text)?;
    if cloudformation::looks_like(&doc) {
        cloudformation::expand_loops(&mut doc, &mut parse_warnings);
        if let Some(file) = file {
            nested::inline(&mut doc, file, &mut parse_warnings);
        }
    }
    let name = project_name(source_name);
    let mut source = if cloudformation::looks_like(&doc) {
        cloudformation::read(source_name, name, &doc, types)?
    } else if terraform::looks_like(&doc) {
        terraform::read(source_name, name, &doc, types)?
    } else if terraform::looks_like_raw_state(&doc) {
        return Err(ImportError::UnknownFormat {
            source_name: source_name.to_owned(),
            message:
                "this is a raw Terraform state file; import the output of `terraform show -json` instead"
                    .to_owned(),
        });
    } else {
        return Err(ImportError::UnknownFormat {
            source_name: source_name.to_owned(),
            message: "neither a CloudFormation template (no `Resources`) nor `terraform show -json` output \
                      (no `format_version`)"
                .to_owned(),
        });
    };
    certificates::resolve_acm_references(&mut source.resources);
    parse_warnings.append(std::mem::take(&mut source.warnings));
    source.warnings = parse_warnings;
    let (project, report) = assemble::assemble(&source, source_name, types, catalog);
    limits::check(source_name, &project)?;
    let problems = crate::io::validate(&project, catalog, "");
    if !problems.is_empty() {
        let problems: Vec<String> = problems.into_iter().map(|p| p.message).collect();
        return Err(ImportError::Inconsistent {
            source_name: source_name.to_owned(),
            problems: problems.join("; "),
        });
    }
    Ok(Imported { project, report })
}

/// Choices for an import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// For a draw.io diagram, the page to import: its name, or its number from 1. The first
    /// page when `None`. An error for other sources.
    pub page: Option<String>,
}

/// Reads and imports the file at `path`. Files over 64 MiB are refused before they are read,
/// as [`crate::io::load`] does. Nested stacks whose templates are local files next to it are
/// read too, and their resources imported under the stack's name.
pub fn import_file(path: &Path, catalog: &'static Catalog) -> Result<Imported, ImportError> {
    import_file_with(path, catalog, &ImportOptions::default())
}

/// [`import_file`] with options. A draw.io diagram (by its name, `.drawio`, `.dio`, `.xml`,
/// `.svg`, `.png`, or because it is XML or a PNG) is read as one; anything else as
/// infrastructure as code.
pub fn import_file_with(
    path: &Path,
    catalog: &'static Catalog,
    options: &ImportOptions,
) -> Result<Imported, ImportError> {
    let bytes = read_bytes(path)?;
    let source_name = path.display().to_string();
    if drawio::looks_like(path, &bytes) {
        return drawio::import(&source_name, &bytes, options.page.as_deref(), catalog);
    }
    if options.page.is_some() {
        return Err(ImportError::UnknownFormat {
            source_name,
            message: "a page can only be chosen in a draw.io diagram".to_owned(),
        });
    }
    let text = utf8_text(path, bytes)?;
    import_source(&source_name, &text, Some(path), catalog, ResourceTypes::builtin()?)
}

/// Imports page `page` (a name or a number from 1; the first when `None`) of the draw.io diagram
/// in `bytes` (the XML, or an SVG or PNG carrying it). `source_name` names it in errors, the
/// report and the project.
pub fn import_drawio(
    source_name: &str,
    bytes: &[u8],
    page: Option<&str>,
    catalog: &'static Catalog,
) -> Result<Imported, ImportError> {
    drawio::import(source_name, bytes, page, catalog)
}

/// The bytes of the file at `path`: at most 64 MiB.
fn read_bytes(path: &Path) -> Result<Vec<u8>, ImportError> {
    read_limited(path).map_err(|error| match error {
        LimitedRead::Io(source) => ImportError::Io { path: path.to_owned(), source },
        LimitedRead::TooLarge(size) => ImportError::TooLarge { path: path.to_owned(), size },
    })
}

/// The text of the file at `path`: at most 64 MiB, UTF-8 (an error says where it is not).
fn read_text(path: &Path) -> Result<String, ImportError> {
    utf8_text(path, read_bytes(path)?)
}

/// `bytes` as UTF-8 text (an error says where it is not).
fn utf8_text(path: &Path, bytes: Vec<u8>) -> Result<String, ImportError> {
    String::from_utf8(bytes).map_err(|error| ImportError::Syntax {
        source_name: path.display().to_string(),
        location: location_of_offset(error.as_bytes(), error.utf8_error().valid_up_to()),
        message: "the file is not valid UTF-8 text".to_owned(),
    })
}

/// JSON when the text starts with `{`, else YAML (a superset of JSON, but JSON errors from
/// serde_json are clearer). A YAML template may start with a flow mapping (`{Resources: ...}`):
/// unless the source is named `*.json`, text that is not JSON is read as YAML, and when it is
/// neither, the error of the format its name says (JSON when it says none) is given.
fn parse_document(source_name: &str, text: &str) -> Result<(Value, Warnings), ImportError> {
    let extension = Path::new(source_name).extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
    let value = if text.trim_start().starts_with('{') {
        match serde_json::from_str(text) {
            Ok(value) => (value, Warnings::default()),
            Err(error) => {
                let json_error = || ImportError::Syntax {
                    source_name: source_name.to_owned(),
                    location: Location { line: error.line().max(1), column: error.column().max(1) },
                    message: format!("invalid JSON: {error}"),
                };
                if extension.as_deref() == Some("json") {
                    return Err(json_error());
                }
                match yaml::parse(source_name, text) {
                    Ok(parsed) => (parsed.value, parsed.warnings),
                    Err(yaml_error) if matches!(extension.as_deref(), Some("yaml" | "yml")) => {
                        return Err(yaml_error);
                    }
                    Err(_) => return Err(json_error()),
                }
            }
        }
    } else {
        let parsed = yaml::parse(source_name, text)?;
        (parsed.value, parsed.warnings)
    };
    if !value.0.is_object() {
        return Err(ImportError::UnknownFormat {
            source_name: source_name.to_owned(),
            message: "the document is not a mapping; a template or Terraform JSON is one".to_owned(),
        });
    }
    Ok(value)
}

/// The project name: the file name without its folders and extension.
fn project_name(source_name: &str) -> String {
    let path = Path::new(source_name);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if stem.is_empty() { "Imported".to_owned() } else { stem }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_carry_line_and_column() {
        let error = import_str("t.json", "{\n  \"Resources\": {,}\n}", Catalog::builtin()).unwrap_err();
        let ImportError::Syntax { location, .. } = &error else { panic!("{error}") };
        assert_eq!(*location, Location { line: 2, column: 17 });
        assert!(error.to_string().starts_with("t.json:2:17: invalid JSON"), "{error}");
    }

    #[test]
    fn other_documents_are_refused_clearly() {
        let error = import_str("x.yaml", "just: text\n", Catalog::builtin()).unwrap_err();
        assert!(error.to_string().contains("neither a CloudFormation template"), "{error}");
        let error = import_str("x.yaml", "- a\n- b\n", Catalog::builtin()).unwrap_err();
        assert!(error.to_string().contains("not a mapping"), "{error}");
        let raw = r#"{"version": 4, "terraform_version": "1.9.0", "resources": []}"#;
        let error = import_str("terraform.tfstate", raw, Catalog::builtin()).unwrap_err();
        assert!(error.to_string().contains("terraform show -json"), "{error}");
    }

    #[test]
    fn yaml_flow_mappings_are_yaml() {
        let text = "{Resources: {Bucket: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub 'x-${AWS::Region}'}}}}";
        let imported = import_str("flow.yaml", text, Catalog::builtin()).unwrap();
        assert_eq!(imported.project.nodes.len(), 1);
        // A JSON file is JSON: a trailing comma YAML would accept is an error.
        let error = import_str(
            "t.json",
            "{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\",}}}",
            Catalog::builtin(),
        );
        assert!(error.unwrap_err().to_string().contains("invalid JSON"));
        // Neither JSON nor YAML: the error of the format the name says.
        let error = import_str("t.yaml", "{a: [}", Catalog::builtin()).unwrap_err();
        assert!(error.to_string().contains("invalid YAML"), "{error}");
        let error = import_str("template", "{a: [}", Catalog::builtin()).unwrap_err();
        assert!(error.to_string().contains("invalid JSON"), "{error}");
    }

    #[test]
    fn a_small_template_imports() {
        let text = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration:\n        Status: Enabled\n";
        let imported = import_str("dir/site.yaml", text, Catalog::builtin()).unwrap();
        assert_eq!(imported.project.name, "site");
        assert_eq!(imported.project.nodes.len(), 1);
        assert_eq!(imported.project.nodes[0].id, "bucket");
        assert_eq!(
            imported.project.tasks["bucket/s3.versioning"].note,
            "set in template: Resources.Bucket.Properties.VersioningConfiguration"
        );
    }
}
