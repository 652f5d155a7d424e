//! Any text read as YAML the way the importer reads it gives a value or an error: never a panic,
//! a hang or runaway memory. Whatever parses holds no more than the budget allows, and no more
//! than the reader counted: aliases of long texts are counted in bytes before they are copied
//! (an 8 MB scalar aliased 4,000 times is an error, not 32 GB).
#![no_main]

use libfuzzer_sys::fuzz_target;
use whoowns::import::{MAX_YAML_TEXT_BYTES, MAX_YAML_VALUES, parse_yaml, yaml_cost};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok((value, counted)) = parse_yaml("fuzz.yaml", text) {
        assert!(counted.values <= MAX_YAML_VALUES, "{counted:?}");
        assert!(counted.bytes <= MAX_YAML_TEXT_BYTES, "{counted:?}");
        let held = yaml_cost(&value);
        assert!(held.values <= counted.values && held.bytes <= counted.bytes, "held {held:?}, counted {counted:?}");
    }
});
