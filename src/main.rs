//! The `dudao` binary: everything happens in [`dudao::run`].

fn main() {
    std::process::exit(dudao::run::main());
}
