//! Any bytes given to the draw.io importer (XML, compressed pages, SVG, PNG) give a project or an
//! error: never a panic, a hang or runaway memory. Whatever imports must validate, and lay out
//! and derive without trouble; an export of it must import again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use whoowns::catalog::Catalog;

fuzz_target!(|data: &[u8]| {
    let catalog = Catalog::builtin();
    if let Ok(imported) = whoowns::import::import_drawio("fuzz.drawio", data, None, catalog) {
        assert!(whoowns::io::validate(&imported.project, catalog, "").is_empty());
        let mut project = imported.project;
        whoowns::layout::lay_out(&mut project);
        let derivation = whoowns::checklist::derive(&project, catalog);
        if project.nodes.len() > 1000 {
            return; // an export that large is past what one import reads back (64 MiB)
        }
        let exported =
            whoowns::export::export(&project, catalog, &derivation, whoowns::export::Format::Drawio, "2026-01-01")
                .expect("a valid project exports");
        whoowns::import::import_drawio("again.drawio", &exported, None, catalog).expect("an export imports");
    }
});
