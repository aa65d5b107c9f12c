//! `broken-http`: the build fails with an error naming the page and line.

graph_gen_macros::generate_api!(docs = "pages/broken-http");

fn main() {}
