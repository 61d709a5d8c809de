//! Entry point of the browser app: install the panic banner, mount the app.

fn main() {
    redis_playground::start();
}
