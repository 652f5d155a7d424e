//! Boundaries that nest right (issue 13, item 1): an account holding a VPC holding three
//! subnets, built with the mouse; frames inset from their parents with their own label strips;
//! resize handles that win over a child's strip and never drop what a frame holds; "Inside"
//! editable; Ungroup; a move that changes membership says so.

use super::*;
use whoowns::model::geometry::{BOUNDARY_LABEL_HEIGHT, BOUNDARY_PADDING};
use whoowns::model::{BoundaryKind, Project, Rect};

/// Clicks the control labelled `label` whose centre is right of `min_x` (a popup's item, not
/// the palette's entry with the same name).
fn click_right_of(harness: &mut Harness<'static, WhoownsApp>, label: &str, min_x: f32) {
    let node = harness
        .get_all_by_label(label)
        .find(|n| n.rect().center().x > min_x)
        .unwrap_or_else(|| panic!("no {label:?} right of {min_x}"));
    node.click();
    harness.run();
}

/// Clicks the palette's entry labelled `label`.
fn click_right_of_left(harness: &mut Harness<'static, WhoownsApp>, label: &str) {
    let node =
        harness.get_all_by_label(label).find(|n| n.rect().center().x < 250.0).expect("a palette entry");
    node.click();
    harness.run();
}

/// Properties ▸ Group selection into… ▸ `kind`, with the mouse.
fn group_into(harness: &mut Harness<'static, WhoownsApp>, kind: &str) {
    harness.get_by_label("Properties").click();
    harness.run();
    harness.get_by_label("Group selection into…").click();
    harness.run();
    click_right_of(harness, kind, 600.0);
}

fn boundary(project: &Project, kind: BoundaryKind) -> Vec<&whoowns::model::Boundary> {
    project.boundaries.iter().filter(|b| b.kind == kind).collect()
}

/// Whether `inner` sits inside `outer` with padding on every side and room for `inner`'s label
/// strip above it.
fn inset(outer: Rect, inner: Rect) -> bool {
    let pad = BOUNDARY_PADDING - 0.5;
    inner.x >= outer.x + pad
        && inner.x + inner.w <= outer.x + outer.w - pad
        && inner.y >= outer.y + BOUNDARY_LABEL_HEIGHT + pad
        && inner.y + inner.h <= outer.y + outer.h - pad
}

/// A point in boundary `id`'s label strip, on screen.
fn strip_on_screen(harness: &Harness<'static, WhoownsApp>, id: &str) -> Pos2 {
    let r = harness.state().project().boundary(id).unwrap().rect.unwrap();
    harness.state().canvas().screen_position(Pos2::new(r.x + 40.0, r.y + BOUNDARY_LABEL_HEIGHT / 2.0))
}

fn overlaps(a: Rect, b: Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// New design; three EC2 instances in a row; each grouped into a subnet; a rubber band around
/// all; grouped into a VPC; the VPC grouped into an account.
fn build_account_vpc_three_subnets() -> Harness<'static, WhoownsApp> {
    let mut harness = example_app();
    harness.key_press_modifiers(CTRL, Key::N);
    harness.run();
    for x in [400.0, 650.0, 900.0] {
        // The palette's entry, not the nodes already placed with the same name.
        click_right_of_left(&mut harness, "Amazon EC2");
        click_at(&mut harness, Pos2::new(x, 420.0), Modifiers::NONE);
    }
    for id in ["ec2", "ec2-2", "ec2-3"] {
        let at = node_on_screen(&harness, id);
        click_at(&mut harness, at, Modifiers::NONE);
        group_into(&mut harness, "Subnet");
    }
    drag(&mut harness, Pos2::new(262.0, 300.0), Pos2::new(1040.0, 540.0));
    assert_eq!(harness.state().selection().boundaries.len(), 3, "the band took the three subnets");
    group_into(&mut harness, "VPC");
    group_into(&mut harness, "Account");
    harness
}

#[test]
fn an_account_holding_a_vpc_holding_three_subnets_is_built_with_the_mouse() {
    let harness = build_account_vpc_three_subnets();
    let project = harness.state().project();
    let (accounts, vpcs, subnets) = (
        boundary(project, BoundaryKind::Account),
        boundary(project, BoundaryKind::Vpc),
        boundary(project, BoundaryKind::Subnet),
    );
    assert_eq!((accounts.len(), vpcs.len(), subnets.len()), (1, 1, 3));
    let (account, vpc) = (accounts[0], vpcs[0]);
    assert_eq!(account.parent, None);
    assert_eq!(vpc.parent.as_deref(), Some(account.id.as_str()), "the selected VPC went inside the account");
    assert!(account.members.is_empty() && vpc.members.is_empty(), "nodes stay in their subnets");
    for subnet in &subnets {
        assert_eq!(subnet.parent.as_deref(), Some(vpc.id.as_str()));
        assert_eq!(subnet.members.len(), 1);
        assert!(inset(vpc.rect.unwrap(), subnet.rect.unwrap()), "{} inset in the VPC", subnet.id);
    }
    assert!(inset(account.rect.unwrap(), vpc.rect.unwrap()), "the VPC inset in the account");
    for (i, a) in subnets.iter().enumerate() {
        for b in &subnets[i + 1..] {
            assert!(!overlaps(a.rect.unwrap(), b.rect.unwrap()), "{} and {} overlap", a.id, b.id);
        }
    }
    // Every label strip is on screen as its own widget.
    harness.get_by_label(&format!("Account {}", account.display_name()));
    harness.get_by_label(&format!("VPC {}", vpc.display_name()));
}

#[test]
fn a_frame_resized_from_its_corner_keeps_what_it_holds() {
    let mut harness = build_account_vpc_three_subnets();
    let vpc = boundary(harness.state().project(), BoundaryKind::Vpc)[0].clone();
    let strip = centre_of(&harness, &format!("VPC {}", vpc.display_name()));
    click_at(&mut harness, strip, Modifiers::NONE);
    // The top-left handle, then a drag outward: only the VPC's frame changes.
    let subnets_before: Vec<_> =
        boundary(harness.state().project(), BoundaryKind::Subnet).into_iter().cloned().collect();
    let handle = centre_of(&harness, &format!("Resize {} from corner 1", vpc.id));
    drag(&mut harness, handle, handle - vec2(40.0, 40.0));
    let project = harness.state().project();
    let grown = project.boundary(&vpc.id).unwrap().rect.unwrap();
    assert!(grown.x < vpc.rect.unwrap().x && grown.y < vpc.rect.unwrap().y, "{grown:?}");
    let subnets_after: Vec<_> = boundary(project, BoundaryKind::Subnet).into_iter().cloned().collect();
    assert_eq!(subnets_after, subnets_before, "the subnets did not move or change membership");
    // Dragging the opposite corner deep inside stops where the subnets still fit.
    let handle = centre_of(&harness, &format!("Resize {} from corner 3", vpc.id));
    drag(&mut harness, handle, handle - vec2(400.0, 200.0));
    let project = harness.state().project();
    let shrunk = project.boundary(&vpc.id).unwrap().rect.unwrap();
    for subnet in boundary(project, BoundaryKind::Subnet) {
        assert!(shrunk.contains_rect(subnet.rect.unwrap()), "{} still inside {shrunk:?}", subnet.id);
        assert_eq!(subnet.parent.as_deref(), Some(vpc.id.as_str()));
    }
}

#[test]
fn inside_is_editable_and_ungroup_keeps_what_a_boundary_held() {
    let mut harness = build_account_vpc_three_subnets();
    let project = harness.state().project().clone();
    let (account, vpc) =
        (boundary(&project, BoundaryKind::Account)[0], boundary(&project, BoundaryKind::Vpc)[0]);
    let subnet = boundary(&project, BoundaryKind::Subnet)[2].clone();

    // Properties ▸ Inside: move one subnet to the top level, then undo.
    let strip = strip_on_screen(&harness, &subnet.id);
    click_at(&mut harness, strip, Modifiers::NONE);
    harness.get_by_label("Properties").click();
    harness.run();
    harness.get_by_label("Inside").click();
    harness.run();
    harness.get_by_label("— (top level)").click();
    harness.run();
    assert_eq!(harness.state().project().boundary(&subnet.id).unwrap().parent, None);
    harness.key_press_modifiers(CTRL, Key::Z);
    harness.run();
    assert_eq!(
        harness.state().project().boundary(&subnet.id).unwrap().parent.as_deref(),
        Some(vpc.id.as_str())
    );

    // Ungroup the VPC: its subnets go to the account and stay selected; undo brings it back.
    let strip = centre_of(&harness, &format!("VPC {}", vpc.display_name()));
    click_at(&mut harness, strip, Modifiers::NONE);
    harness.key_press_modifiers(CTRL_SHIFT, Key::G);
    harness.run();
    let after = harness.state().project();
    assert!(after.boundary(&vpc.id).is_none());
    for s in boundary(after, BoundaryKind::Subnet) {
        assert_eq!(s.parent.as_deref(), Some(account.id.as_str()));
    }
    assert_eq!(harness.state().selection().boundaries.len(), 3);
    harness.key_press_modifiers(CTRL, Key::Z);
    harness.run();
    assert_eq!(harness.state().project(), &project);
}

#[test]
fn a_move_that_changes_membership_says_so() {
    let mut harness = build_account_vpc_three_subnets();
    let subnet = harness
        .state()
        .project()
        .boundaries
        .iter()
        .find(|b| b.members.contains(&"ec2-3".to_owned()))
        .unwrap()
        .clone();
    let at = node_on_screen(&harness, "ec2-3");
    drag(&mut harness, at, at + vec2(0.0, 260.0));
    let project = harness.state().project();
    assert!(!project.boundary(&subnet.id).unwrap().members.contains(&"ec2-3".to_owned()));
    let messages = harness.state().messages();
    assert!(
        messages.iter().any(|m| m.text.contains("moved out of Subnet")),
        "the move said what it did: {messages:?}"
    );
}
