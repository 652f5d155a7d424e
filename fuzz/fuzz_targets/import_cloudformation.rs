//! Any text given to the importer as a CloudFormation or SAM template (JSON or YAML) gives a
//! project or an error: never a panic, a hang or runaway memory. Whatever imports must validate.
#![no_main]

use libfuzzer_sys::fuzz_target;
use whoowns::catalog::Catalog;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let catalog = Catalog::builtin();
    if let Ok(imported) = whoowns::import::import_str("fuzz.yaml", text, catalog) {
        assert!(whoowns::io::validate(&imported.project, catalog, "").is_empty());
        let mut project = imported.project;
        whoowns::layout::lay_out(&mut project);
        let _ = whoowns::checklist::derive(&project, catalog);
    }
});
