//! The desktop app.

use std::path::PathBuf;

/// Opens the desktop app.
pub fn run(_file: Option<PathBuf>) -> Result<(), String> {
    Err("the desktop app is not built yet".into())
}
