//! An unknown key in the macro input is an error on that key.

graph_gen_macros::generate_api!(docs = "pages/broken-http", crate = "graph_api");

fn main() {}
