//! The `whoowns` command (the command line lands in the next commit).

fn main() {
    eprintln!("whoowns: the command line is not built yet");
    std::process::exit(2);
}
