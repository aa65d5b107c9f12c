//! Compile-fail tests: each broken page must fail the build with errors naming `file:line`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
