//! Schema migration: `version` drives a chain of steps, each turning a document of one version
//! into the next, so files written by any released whoowns load forever. A fixture of every
//! released version lives in `tests/fixtures/versions/` and is loaded by the test suite.
//!
//! Version 1 is the first released format, so the chain is empty today. To change the format:
//! bump [`crate::model::CURRENT_VERSION`], add a step at the end of [`MIGRATIONS`] that rewrites
//! a version-N document (as a generic RON value) into version N+1, and add a fixture of the
//! last version-N file to `tests/fixtures/versions/`.

use ron::Value;

/// One step of the chain: a version-N document in, a version-N+1 document out.
pub type Migration = fn(Value) -> Result<Value, String>;

/// `MIGRATIONS[i]` turns version `i + 1` into version `i + 2`.
pub const MIGRATIONS: &[Migration] = &[];

/// The oldest version this build reads.
pub const OLDEST_VERSION: u32 = 1;

/// Runs `document` (of version `from`) through every step up to the current version.
pub fn migrate(document: Value, from: u32) -> Result<Value, String> {
    migrate_with(document, from, MIGRATIONS)
}

/// [`migrate`] with a given chain, so the mechanism is tested before it is first needed.
pub fn migrate_with(mut document: Value, from: u32, steps: &[Migration]) -> Result<Value, String> {
    let first = usize::try_from(from.saturating_sub(OLDEST_VERSION)).unwrap_or(usize::MAX);
    for (offset, step) in steps.iter().enumerate().skip(first) {
        let version = OLDEST_VERSION as usize + offset;
        document = step(document)
            .map_err(|error| format!("while upgrading from format version {version}: {error}"))?;
        document = set_version(document, version as u64 + 1);
    }
    Ok(document)
}

fn set_version(document: Value, version: u64) -> Value {
    match document {
        Value::Map(mut map) => {
            map.insert(Value::String("version".into()), Value::Number(ron::value::Number::U64(version)));
            Value::Map(map)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A made-up version 1 → 2 step that renames the field `name` to `title`.
    fn rename_name_to_title(document: Value) -> Result<Value, String> {
        let Value::Map(mut map) = document else { return Err("not a map".into()) };
        if let Some(name) = map.remove(&Value::String("name".into())) {
            map.insert(Value::String("title".into()), name);
        }
        Ok(Value::Map(map))
    }

    #[test]
    fn steps_run_in_order_from_the_file_version() {
        let document: Value = ron::from_str("(version: 1, name: \"Shop\")").unwrap();
        let migrated = migrate_with(document, 1, &[rename_name_to_title]).unwrap();
        let text = ron::to_string(&migrated).unwrap();
        assert!(text.contains("\"title\":\"Shop\"") && text.contains("\"version\":2"), "{text}");
        // A file already at version 2 skips the step.
        let current: Value = ron::from_str("(version: 2, title: \"Shop\")").unwrap();
        assert_eq!(migrate_with(current.clone(), 2, &[rename_name_to_title]).unwrap(), current);
    }

    #[test]
    fn today_there_is_nothing_to_migrate() {
        assert!(MIGRATIONS.is_empty());
        assert_eq!(crate::model::CURRENT_VERSION, OLDEST_VERSION + MIGRATIONS.len() as u32);
    }
}
