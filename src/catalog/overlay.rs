//! Catalog overlays: files in the form of `assets/catalog.ron` that add an organisation's own
//! categories and services (internal platforms, third-party SaaS), add or retire tasks on
//! built-in services, and override who owns a layer of a built-in service or variant, each
//! change with its reason. See docs/catalog-format.md.
//!
//! Overlays are layered on the built-in catalog in a fixed order, each on the result of the ones
//! before it: the user's catalogs folder ([`user_catalog_dir`], files by name), then the
//! project's `catalogs` (in the order listed), then `--catalog` files (in the order given).
//! After each overlay the whole catalog is validated again with the rules of the built-in one,
//! and every problem is reported against the overlay that caused it, as `FILE:LINE:COLUMN`.
//!
//! A project overlay that is not there is not an error here: it is recorded in
//! [`Catalog::missing`], so the project still opens (its nodes of unknown services are kept)
//! and `whoowns check` can say which file is missing.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Catalog, CategoryInfo, Service, TaskTemplate, validate};
use crate::io::Location;
use crate::responsibility::{Layer, Owner};

/// The name of the folder of overlays in the user's configuration folder.
pub const USER_FOLDER: &str = "catalogs";

/// What an overlay file holds. Written `Catalog( ... )` like the built-in catalog; every list
/// may be left out.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename = "Catalog")]
pub struct Overlay {
    /// New categories, for the palette and glyph colours.
    #[serde(default)]
    pub categories: Vec<CategoryInfo>,
    /// New services: complete, as in the built-in catalog (owners for all 16 layers).
    #[serde(default)]
    pub services: Vec<Service>,
    /// Tasks added to services already in the catalog.
    #[serde(default)]
    pub add_tasks: Vec<AddedTasks>,
    /// Tasks of services already in the catalog that no longer apply, with the reason.
    #[serde(default)]
    pub retire_tasks: Vec<Retirement>,
    /// New owners for layers of services (or variants) already in the catalog, with the reason.
    #[serde(default)]
    pub override_owners: Vec<OwnerOverride>,
}

/// Tasks to add to a service already in the catalog.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddedTasks {
    /// The service, e.g. `s3`.
    pub service: String,
    /// The tasks, in the form of the built-in catalog's.
    pub tasks: Vec<TaskTemplate>,
}

/// A task of a service already in the catalog that no longer applies.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retirement {
    /// The service, e.g. `ec2`.
    pub service: String,
    /// The task id, e.g. `ssm_managed`.
    pub task: String,
    /// Why it no longer applies ("our MSP runs patching through its own tooling").
    pub reason: String,
}

/// A new owner for one layer of a service, or of one of its variants.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnerOverride {
    /// The service, e.g. `ec2`.
    pub service: String,
    /// The variant; the service's base owners when absent.
    #[serde(default)]
    pub variant: Option<String>,
    /// The layer, e.g. `guest_os`.
    pub layer: Layer,
    /// Its new owner.
    pub owner: Owner,
    /// Why ("golden AMIs: the platform team patches the guest OS").
    pub reason: String,
}

/// Where an overlay was named.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// In the user's configuration folder.
    User,
    /// In the project's `catalogs`.
    Project,
    /// With `--catalog` on the command line.
    CommandLine,
}

impl Source {
    /// The source in words.
    pub fn name(self) -> &'static str {
        match self {
            Self::User => "user catalogs folder",
            Self::Project => "project",
            Self::CommandLine => "--catalog",
        }
    }
}

/// An overlay to layer: where it is and who named it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverlayRef {
    /// The file.
    pub path: PathBuf,
    /// Who named it.
    pub source: Source,
    /// For a project overlay, the path as the project writes it.
    pub declared: Option<String>,
}

/// One overlay that was layered on the catalog, and what it changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// The file.
    pub path: PathBuf,
    /// Who named it; `None` only in a default value.
    pub source: Option<Source>,
    /// For a project overlay, the path as the project writes it.
    pub declared: Option<String>,
    /// The services it added, by id.
    pub services: Vec<String>,
    /// How many tasks it added to existing services.
    pub added_tasks: usize,
    /// The tasks it retired: `service.task: reason`.
    pub retired: Vec<String>,
    /// The owners it changed: `service[/variant] layer: old → new: reason`.
    pub overrides: Vec<String>,
}

/// A project overlay that is not there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missing {
    /// Where it was looked for.
    pub path: PathBuf,
    /// The path as the project writes it.
    pub declared: String,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "catalog overlay {} not found (looked for {})", self.declared, self.path.display())
    }
}

/// One problem in an overlay, where it is known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverlayProblem {
    /// Line and column in the overlay file.
    pub location: Option<Location>,
    /// What is wrong.
    pub message: String,
}

/// Why an overlay could not be layered on the catalog.
#[derive(Debug, thiserror::Error)]
pub enum OverlayError {
    /// The file could not be read (or is larger than a project file may be).
    #[error("{}: cannot read the catalog overlay: {cause}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        cause: String,
    },
    /// The file is not a valid overlay, or layering it breaks the catalog's rules.
    #[error("{}", render(path, problems))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem, in file order where known.
        problems: Vec<OverlayProblem>,
    },
}

fn render(path: &Path, problems: &[OverlayProblem]) -> String {
    problems
        .iter()
        .map(|problem| match problem.location {
            Some(location) => format!("{}:{location}: {}", path.display(), problem.message),
            None => format!("{}: {}", path.display(), problem.message),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The folder of the user's overlays: `$XDG_CONFIG_HOME/whoowns/catalogs`, else
/// `~/.config/whoowns/catalogs` (on macOS `~/Library/Application Support/whoowns/catalogs`, on
/// Windows `%APPDATA%\whoowns\catalogs`). `WHOOWNS_CONFIG_DIR` replaces the `…/whoowns` part.
pub fn user_catalog_dir() -> Option<PathBuf> {
    let env = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty()).map(PathBuf::from);
    let config = env("WHOOWNS_CONFIG_DIR").or_else(|| {
        let base = if cfg!(windows) {
            env("APPDATA")
        } else if cfg!(target_os = "macos") {
            env("HOME").map(|home| home.join("Library").join("Application Support"))
        } else {
            env("XDG_CONFIG_HOME").or_else(|| env("HOME").map(|home| home.join(".config")))
        };
        base.map(|base| base.join("whoowns"))
    })?;
    Some(config.join(USER_FOLDER))
}

/// The `.ron` files in the user's catalogs folder, by name; none when there is no folder.
pub fn user_overlays() -> Vec<OverlayRef> {
    let Some(dir) = user_catalog_dir() else { return Vec::new() };
    let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ron") && path.is_file())
        .collect();
    paths.sort();
    paths.into_iter().map(|path| OverlayRef { path, source: Source::User, declared: None }).collect()
}

/// The overlays a project names in `catalogs`, resolved against the folder of `project_path`.
pub fn project_overlays(project_path: &Path, declared: &[String]) -> Vec<OverlayRef> {
    let folder = project_path.parent().unwrap_or_else(|| Path::new(""));
    declared
        .iter()
        .map(|entry| OverlayRef {
            path: folder.join(entry),
            source: Source::Project,
            declared: Some(entry.clone()),
        })
        .collect()
}

/// The `catalogs` a project file names, read without reading the rest of it (the catalog must
/// be built before the project is checked against it). Empty when there are none or the text is
/// not a project: loading it reports why.
pub fn declared_in(text: &str) -> Vec<String> {
    #[derive(Deserialize)]
    #[serde(rename = "Project")]
    struct Probe {
        #[serde(default)]
        catalogs: Vec<String>,
    }
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str::<Probe>(text.strip_prefix('\u{feff}').unwrap_or(text))
        .map(|probe| probe.catalogs)
        .unwrap_or_default()
}

/// Every overlay for a command, in layering order: the user's catalogs folder, the project's
/// `catalogs` (when there is a project file at `project`), then `given` (`--catalog`).
pub fn overlays_for(project: Option<&Path>, given: &[PathBuf]) -> Vec<OverlayRef> {
    let mut overlays = user_overlays();
    // Only a regular file: a pipe or device would be read empty by the load that follows, or
    // block here (`fmt` refuses them with a message of its own).
    if let Some(path) = project
        && std::fs::metadata(path).is_ok_and(|m| m.is_file())
        && let Ok(bytes) = crate::io::read_bounded(path, crate::io::MAX_FILE_SIZE)
        && let Ok(text) = std::str::from_utf8(&bytes)
    {
        overlays.extend(project_overlays(path, &declared_in(text)));
    }
    overlays.extend(given.iter().map(|path| OverlayRef {
        path: path.clone(),
        source: Source::CommandLine,
        declared: None,
    }));
    overlays
}

impl Catalog {
    /// This catalog with `overlays` layered on it, in the order given. A project overlay that
    /// is not there is recorded in [`Catalog::missing`]; any other overlay that cannot be read,
    /// or that is invalid, is an error.
    pub fn with_overlays(&self, overlays: &[OverlayRef]) -> Result<Self, OverlayError> {
        let mut catalog = self.clone();
        let mut seen: Vec<PathBuf> = Vec::new();
        let before = catalog.layering.len();
        for overlay in overlays {
            // The same file named twice (in the user folder and by the project) is layered once.
            let canonical = std::fs::canonicalize(&overlay.path).unwrap_or_else(|_| overlay.path.clone());
            if let Some(i) = seen.iter().position(|path| *path == canonical) {
                if let Some(applied) = catalog.layering.get_mut(before + i)
                    && applied.declared.is_none()
                {
                    applied.declared.clone_from(&overlay.declared);
                }
                continue;
            }
            let bytes = match crate::io::read_bounded(&overlay.path, crate::io::MAX_FILE_SIZE) {
                Ok(bytes) => bytes,
                Err(crate::io::LimitedRead::Io(error))
                    if error.kind() == std::io::ErrorKind::NotFound && overlay.source == Source::Project =>
                {
                    catalog.missing.push(Missing {
                        path: overlay.path.clone(),
                        declared: overlay.declared.clone().unwrap_or_default(),
                    });
                    continue;
                }
                Err(crate::io::LimitedRead::Io(error)) => {
                    return Err(OverlayError::Io { path: overlay.path.clone(), cause: error.to_string() });
                }
                Err(crate::io::LimitedRead::TooLarge(size)) => {
                    return Err(OverlayError::Io {
                        path: overlay.path.clone(),
                        cause: format!("the file is {size} bytes, more than a catalog may be"),
                    });
                }
            };
            let text = String::from_utf8(bytes).map_err(|_| OverlayError::Invalid {
                path: overlay.path.clone(),
                problems: vec![OverlayProblem { location: None, message: "not valid UTF-8 text".to_owned() }],
            })?;
            catalog = catalog.with_overlay_text(overlay, &text)?;
            seen.push(canonical);
        }
        Ok(catalog)
    }

    /// This catalog with the overlay `text` (read from `overlay.path`) layered on it.
    pub fn with_overlay_text(&self, overlay: &OverlayRef, text: &str) -> Result<Self, OverlayError> {
        let invalid = |problems| OverlayError::Invalid { path: overlay.path.clone(), problems };
        let parsed: Overlay = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(text)
            .map_err(|error| {
                invalid(vec![OverlayProblem {
                    location: Some(Location { line: error.span.start.line, column: error.span.start.col }),
                    message: error.code.to_string(),
                }])
            })?;
        let mut catalog = self.clone();
        let origin = overlay.declared.clone().unwrap_or_else(|| overlay.path.display().to_string());
        let (applied, mut problems) = apply(&mut catalog, parsed, overlay, &origin);
        catalog.reindex();
        problems.extend(validate::problems(&catalog));
        if problems.is_empty() {
            catalog.layering.push(applied);
            Ok(catalog)
        } else {
            let mut located: Vec<OverlayProblem> = problems
                .into_iter()
                .map(|message| OverlayProblem { location: locate(text, &message), message })
                .collect();
            located.sort_by_key(|p| p.location.map_or((usize::MAX, 0), |l| (l.line, l.column)));
            Err(invalid(located))
        }
    }

    /// The overlays layered on this catalog, in order.
    pub fn layering(&self) -> &[Applied] {
        &self.layering
    }

    /// The project overlays that were named but not found.
    pub fn missing(&self) -> &[Missing] {
        &self.missing
    }

    /// Whether every overlay in `declared` (a project's `catalogs`, as written) was layered on
    /// this catalog.
    pub fn has_project_overlays(&self, declared: &[String]) -> bool {
        declared.iter().all(|entry| {
            self.layering.iter().any(|applied| applied.declared.as_deref() == Some(entry.as_str()))
        })
    }
}

/// Applies `overlay` to `catalog`, returning what changed and the problems that are the
/// overlay's own (unknown services, empty reasons). The catalog's own rules are checked after.
fn apply(catalog: &mut Catalog, overlay: Overlay, from: &OverlayRef, origin: &str) -> (Applied, Vec<String>) {
    let mut problems = Vec::new();
    let mut applied = Applied {
        path: from.path.clone(),
        source: Some(from.source),
        declared: from.declared.clone(),
        ..Applied::default()
    };
    for category in overlay.categories {
        if !is_snake_case(category.id.id()) {
            problems.push(format!("category {:?}: the id must be snake_case", category.id.id()));
        }
        if catalog.category(category.id).is_some() {
            problems.push(format!("category {:?} is already in the catalog", category.id.id()));
        } else {
            catalog.categories.push(category);
        }
    }
    for mut service in overlay.services {
        if catalog.service(&service.id).is_some() {
            problems.push(format!(
                "service {:?} is already in the catalog; to change it, use add_tasks, retire_tasks or override_owners",
                service.id
            ));
            continue;
        }
        service.origin = Some(origin.to_owned());
        applied.services.push(service.id.clone());
        catalog.services.push(service);
    }
    catalog.reindex();
    for added in overlay.add_tasks {
        let Some(service) = service_mut(catalog, &added.service, &mut problems, "add_tasks") else {
            continue;
        };
        applied.added_tasks += added.tasks.len();
        service.tasks.extend(added.tasks);
    }
    for retirement in overlay.retire_tasks {
        let at = format!("retire_tasks, service {:?}, task {:?}", retirement.service, retirement.task);
        if retirement.reason.trim().is_empty() {
            problems.push(format!("{at}: say why in `reason`"));
        }
        let Some(service) = service_mut(catalog, &retirement.service, &mut problems, "retire_tasks") else {
            continue;
        };
        match service.tasks.iter().position(|t| t.id == retirement.task) {
            Some(i) => {
                service.tasks.remove(i);
                applied
                    .retired
                    .push(format!("{}.{}: {}", retirement.service, retirement.task, retirement.reason));
            }
            None => problems.push(format!("{at}: the service has no such task")),
        }
    }
    for change in overlay.override_owners {
        let at = format!("override_owners, service {:?}", change.service);
        if change.reason.trim().is_empty() {
            problems.push(format!("{at}: say why in `reason`"));
        }
        let Some(service) = service_mut(catalog, &change.service, &mut problems, "override_owners") else {
            continue;
        };
        let old = match &change.variant {
            None => {
                let old = service.owners.get(change.layer);
                service.owners.set(change.layer, change.owner);
                old
            }
            Some(id) => {
                let base = service.owners;
                match service.variants.iter_mut().find(|v| &v.id == id) {
                    Some(variant) => {
                        let old =
                            variant.owners.get(&change.layer).copied().unwrap_or(base.get(change.layer));
                        variant.owners.insert(change.layer, change.owner);
                        old
                    }
                    None => {
                        problems.push(format!("{at}: unknown variant {id:?}"));
                        continue;
                    }
                }
            }
        };
        let which = change.variant.as_ref().map_or(String::new(), |v| format!("/{v}"));
        applied.overrides.push(format!(
            "{}{which} {}: {} → {}: {}",
            change.service,
            change.layer,
            old.id(),
            change.owner.id(),
            change.reason
        ));
    }
    (applied, problems)
}

fn service_mut<'c>(
    catalog: &'c mut Catalog,
    id: &str,
    problems: &mut Vec<String>,
    list: &str,
) -> Option<&'c mut Service> {
    let found = catalog.services.iter().position(|s| s.id == id);
    if found.is_none() {
        let hint = catalog.closest_service(id).map_or(String::new(), |s| format!(" (did you mean {s:?}?)"));
        problems.push(format!("{list}, service {id:?}: no such service in the catalog{hint}"));
    }
    found.and_then(|i| catalog.services.get_mut(i))
}

fn is_snake_case(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Where in `text` a problem is: the most specific quoted name of the message found in the
/// file (the task before its service), else the first bare word of the message found as a value
/// (`category: saas`).
fn locate(text: &str, message: &str) -> Option<Location> {
    let quoted: Vec<&str> = message.split('"').skip(1).step_by(2).collect();
    let offset = quoted.iter().rev().find_map(|name| text.find(&format!("\"{name}\"")));
    offset.map(|offset| crate::io::location_of_offset(text.as_bytes(), offset))
}

#[cfg(test)]
mod tests;
