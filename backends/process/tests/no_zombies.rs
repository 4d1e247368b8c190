//! Alone in its own test binary, so no other test's children are around:
//! after timeouts, crashes, restarts and drops, this process has no zombie
//! children.

mod common;

use common::{backend, limits, module, zombie_children};
use jsbench_api::{ErrorKind, JsBackend};
use std::time::Duration;

#[test]
fn no_zombie_children_remain() {
    let source = r#"
export function run(input) {
  if (input === "hang") for (;;) {}
  if (input === "exit") globalThis.process.exit(1);
  return input;
}
"#;
    for name in jsbench_process::BACKEND_NAMES {
        let Some(mut backend) = backend(name) else {
            continue;
        };
        backend.create(&limits(Duration::from_millis(300))).expect("create");
        backend.load(&module("mischief", source)).expect("load");
        assert_eq!(backend.call("hang").map_err(|e| e.kind()), Err(ErrorKind::Timeout));
        assert_eq!(backend.call("exit").map_err(|e| e.kind()), Err(ErrorKind::Crashed));
        assert_eq!(backend.call("fine").expect("call"), "fine");
        backend
            .create(&limits(Duration::from_millis(300)))
            .expect("create again");
        drop(backend);
        assert_eq!(zombie_children(), Vec::<u32>::new(), "{name} left zombies");
    }
}
