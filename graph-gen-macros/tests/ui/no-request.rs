//! `no-request`: an API page that yields no request fails the build, naming the page and line
//! (problems that leave a usable item are warnings, which do not fail it).

graph_gen_macros::generate_api!(docs = "pages/no-request");

fn main() {}
