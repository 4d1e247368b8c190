//! The backend contract (`jsbench_api::contract`) on the real Boa engine.
//! Boa cannot interrupt JavaScript and has no memory limit (its descriptor
//! says so), so the timeout and memory bomb cases check only that.

use jsbench_api::contract::Contract;

jsbench_api::contract_tests!(Some(Contract::new(|| Box::new(jsbench_boa::BoaBackend::new()))));
