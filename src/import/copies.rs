//! A budget for the copies the importer makes of a source's own values: a parameter's default
//! put where each `Ref` to it is, SAM `Globals` merged into each function, a nested stack's
//! parameters and outputs put where they are used. Each is small in a real template, but a
//! hostile one can name an 8 MB default 4,000 times; without a budget that asks for 32 GB.
//! Past the budget, values are left as the template wrote them (a `Ref` reads as a value known
//! at deployment) and the report says so.

use std::cell::Cell;

use serde_json::Value;

use super::yaml::cost_of;

/// The most copied text, in bytes, with 16 bytes counted per value copied: four times the
/// largest file imported.
pub(super) const MAX_COPIED: usize = 4 * crate::io::MAX_FILE_SIZE as usize;

/// What is left of the budget of one import.
#[derive(Debug)]
pub(super) struct Copies {
    left: Cell<usize>,
    refused: Cell<bool>,
}

impl Default for Copies {
    fn default() -> Self {
        Self { left: Cell::new(MAX_COPIED), refused: Cell::new(false) }
    }
}

impl Copies {
    /// A copy of `value`, when it fits in what is left of the budget.
    pub fn copy(&self, value: &Value) -> Option<Value> {
        let cost = cost_of(value);
        let charge = cost.bytes.saturating_add(cost.values.saturating_mul(16));
        match self.left.get().checked_sub(charge) {
            Some(left) => {
                self.left.set(left);
                Some(value.clone())
            }
            None => {
                self.refused.set(true);
                None
            }
        }
    }

    /// Whether some copy did not fit, once: true the first time it is asked after a refusal, so
    /// one warning says so.
    pub fn newly_refused(&self) -> bool {
        self.refused.replace(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_stop_at_the_budget() {
        let copies = Copies::default();
        let big = Value::String("x".repeat(8 << 20));
        let made = (0..4_000).take_while(|_| copies.copy(&big).is_some()).count();
        assert!(made < 4_000 && made * (8 << 20) <= MAX_COPIED, "{made}");
        assert!(copies.newly_refused());
        assert!(!copies.newly_refused(), "said once");
        assert!(copies.copy(&Value::Bool(true)).is_some(), "small copies still fit");
    }
}
