//! Any bytes given to the project loader give a project or an error: never a panic, a hang or
//! runaway memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use whoowns::catalog::Catalog;

fuzz_target!(|data: &[u8]| {
    let catalog = Catalog::builtin();
    if let Ok(loaded) = whoowns::io::parse(std::path::Path::new("fuzz.ron"), data, catalog) {
        // Whatever loads must also derive, lay out and save.
        let mut project = loaded.project;
        let _ = whoowns::checklist::derive(&project, catalog);
        whoowns::layout::lay_out(&mut project);
        let _ = whoowns::io::to_ron_string(&project);
    }
});
