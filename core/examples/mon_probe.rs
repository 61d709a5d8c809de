use playground_core::store::{Origin, Store};
fn main() {
    let mut s = Store::new();
    let text = std::io::read_to_string(std::io::stdin()).unwrap_or_default();
    for l in text.lines() {
        let args: Vec<&str> = l.split(' ').collect();
        s.exec(0, Origin::Console, &args);
    }
    for e in s.monitor().entries() {
        println!("{}", e.command_line());
    }
}
