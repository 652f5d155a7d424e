//! whoowns: a modeler for the AWS Shared Responsibility Model.
//!
//! Place AWS services on a diagram, connect them with flows and group them into accounts, VPCs
//! and subnets; whoowns tells, for each of 16 security layers from the data centre to the data,
//! who owns it (AWS, the customer or both) and derives the customer's remaining tasks, each tied
//! to the Security Hub control that verifies it.
//!
//! The library is everything below the GUI and has no egui in it:
//!
//! - [`model`]: the project document, saved as `.ron`, and its reversible edits;
//! - [`catalog`]: AWS services as data (`assets/catalog.ron`);
//! - [`responsibility`]: layers, owners and the project summary;
//! - [`checklist`]: [`checklist::derive`], the pure function from project to tasks;
//! - [`view`]: the model view: the graph of nodes and flows and the boundary tree, built once per
//!   revision and read by the rules, layout, exports, diff and the app;
//! - [`protocol`]: what a flow's protocol says about encryption in transit;
//! - [`io`]: loading, saving, validating and migrating project files;
//! - [`export`]: the checklist, report and diagram in other formats;
//! - [`document`]: an open project with its undo history and cached derivation;
//! - [`import`]: CloudFormation, SAM and Terraform to a project;
//! - [`layout`]: positions for nodes that have none;
//! - [`diff`]: what changed in responsibility between two versions of a design;
//! - [`evidence`]: findings from Security Hub and Prowler, placed on the design's tasks;
//! - [`generate`]: synthetic projects of any size, for benchmarks and stress tests;
//! - [`palette`]: the colours and font shared by the app and the exports;
//! - [`recovery`]: autosaved copies of unsaved work, offered back after a crash.
//!
//! With the default `gui` feature, `ui` holds the eframe/egui desktop app.

pub mod catalog;
pub mod checklist;
pub mod diff;
pub mod document;
pub mod evidence;
pub mod export;
pub mod generate;
pub mod import;
pub mod io;
pub mod layout;
pub mod model;
pub mod palette;
pub mod protocol;
pub mod recovery;
pub mod responsibility;
pub mod teams;
pub mod today;
pub mod view;

#[cfg(feature = "gui")]
pub mod ui;
