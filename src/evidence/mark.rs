//! "Mark the verified tasks done": the one place where evidence may change recorded statuses,
//! and only when the user asks, as one undoable edit.

use super::{Assessment, Verdict};
use crate::checklist::Derivation;
use crate::model::{Edit, TaskStatus};

/// The edit that marks done every open or in-progress task whose findings all pass, as one
/// step, with `today` (`YYYY-MM-DD`) as its date; `None` when there is none. A task's note and
/// ticket are kept; an empty note says what verified it.
pub fn mark_verified_done(
    project: &crate::model::Project,
    derivation: &Derivation,
    assessment: &Assessment,
    today: &str,
) -> Option<(Edit, usize)> {
    let mut edits = Vec::new();
    for (i, task) in derivation.tasks.iter().enumerate() {
        if !task.is_remaining() || assessment.verdict(i) != Verdict::Verified {
            continue;
        }
        let mut state = project.tasks.get(&task.key).cloned().unwrap_or_default();
        state.status = TaskStatus::Done;
        state.updated = Some(today.to_owned());
        if state.note.is_empty()
            && let Some(evidence) = assessment.task(i)
        {
            let newest = assessment.newest_day(i).map(|d| format!(", newest {d}")).unwrap_or_default();
            state.note = format!("Verified by {} passing finding(s){newest}.", evidence.passed);
        }
        edits.push(Edit::SetTask(task.key.clone(), Some(state)));
    }
    let count = edits.len();
    (count > 0).then_some((Edit::Batch(edits), count))
}
