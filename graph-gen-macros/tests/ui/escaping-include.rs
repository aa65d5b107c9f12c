//! `escaping-include`: the build fails with an error naming the page and line.

graph_gen_macros::generate_api!(docs = "pages/escaping-include");

fn main() {}
