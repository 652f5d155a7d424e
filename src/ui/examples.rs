//! The example projects built into the binary, for File ▸ Open example and the first start.

/// A built-in example.
pub struct Example {
    /// Shown in the menu.
    pub name: &'static str,
    /// The file name it is saved as by default.
    pub file_name: &'static str,
    /// The project, as RON.
    pub text: &'static str,
}

/// Every example; the first is opened when whoowns starts without a file.
pub const EXAMPLES: &[Example] = &[
    Example {
        name: "E-commerce shop",
        file_name: "ecommerce.ron",
        text: include_str!("../../examples/ecommerce.ron"),
    },
    Example {
        name: "Serverless orders API",
        file_name: "serverless.ron",
        text: include_str!("../../examples/serverless.ron"),
    },
    Example {
        name: "Container platform",
        file_name: "containers.ron",
        text: include_str!("../../examples/containers.ron"),
    },
    Example {
        name: "Remote desktops (WorkSpaces)",
        file_name: "workspaces.ron",
        text: include_str!("../../examples/workspaces.ron"),
    },
];
